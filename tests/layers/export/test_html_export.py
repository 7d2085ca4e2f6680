"""The exported HTML map, opened in Debian's headless Chromium with the network blocked."""


import pytest
import shapely

from layers.export.html import export_html
from layers.store import open_project
from tests.browser import file_url, offline_page

XSS_NAMES = ['<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>",
             "\"'><svg onload=window.__xss=3>", "{{ 7*7 }} 食堂 & </script>"]


def _ready(page):
    page.wait_for_function("typeof window.facilityMapStats === 'function'", timeout=15000)
    page.wait_for_timeout(200)


@pytest.mark.browser
def test_page_loads_offline_with_every_feature(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    out = export_html(project, tmp_path / "map.html", minutes=10, tiles=None)
    text = out.read_text(encoding="utf-8")
    assert "cdn." not in text and "jquery" not in text.lower() and "bootstrap" not in text.lower()
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        assert page.evaluate("!!window.L && !!document.querySelector('.leaflet-container')")
        stats = page.evaluate("window.facilityMapStats()")
        assert stats["facilities"] == len(project.facilities)
        assert stats["communities"] == len(project.communities)
        assert stats["service_circles"] == len(project.facilities)
        assert errors == [] and blocked == []
        legend = page.inner_text(".fm-legend")
        assert "社区/老年食堂" in legend and "近似" in legend
        control = page.inner_text(".leaflet-control-layers")
        assert "服务圈 10 分钟" in control and "500 m" in control
        assert page.query_selector(".leaflet-control-scale")
        page.screenshot(path=str(tmp_path / "map.png"))


@pytest.mark.browser
def test_with_tiles_but_no_network_the_data_still_shows(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    out = export_html(project, tmp_path / "map.html")
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        assert any("tile.openstreetmap.org" in b for b in blocked)
        assert all("Failed to load resource" in e for e in errors)  # only the tiles failed
        assert page.evaluate("window.facilityMapStats()")["facilities"] == len(
            project.facilities)


@pytest.mark.browser
def test_click_opens_popup_with_name_and_quote(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    fac = project.facilities.frame
    row = fac[fac["name"] == "翠苑一区社区老年食堂"].iloc[0]
    out = export_html(project, tmp_path / "map.html", tiles=None)
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        page.evaluate(f"window.facilityMapView({row.geometry.y}, {row.geometry.x}, 17)")
        page.wait_for_timeout(300)
        x, y = page.evaluate(f"window.facilityMapPoint('facilities', '{row['id']}')")
        page.mouse.move(x, y)
        page.wait_for_selector(".leaflet-tooltip", timeout=3000)
        assert "翠苑一区社区老年食堂" in page.inner_text(".leaflet-tooltip")
        page.mouse.click(x, y)
        page.wait_for_selector(".leaflet-popup-content", timeout=3000)
        popup = page.inner_text(".leaflet-popup-content")
        assert "翠苑一区社区老年食堂" in popup
        assert "建成杭城首家社区老年食堂" in popup  # the quote
        assert "001_98ea566b4a976e15.txt" in popup  # and its source
        assert "社区/老年食堂" in popup
        page.screenshot(path=str(tmp_path / "popup.png"))
        assert errors == []


@pytest.mark.browser
def test_hostile_names_show_as_text_and_run_nothing(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    lon, lat = 120.14, 30.29
    for k, name in enumerate(XSS_NAMES):
        project.facilities.add_features({"name": name, "category": "canteen",
                                         "quote": name, "community": name,
                                         "geometry": shapely.Point(lon + k * 0.002, lat)})
    title = "</title><script>window.__xss=9</script>{{x}}"
    out = export_html(project, tmp_path / "xss.html", title=title, tiles=None)
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        assert page.evaluate("window.__xss") is None
        assert page.title() == title
        assert page.inner_text(".fm-map-title") == title
        for k, name in enumerate(XSS_NAMES):
            fid = project.facilities.frame["id"].iloc[-len(XSS_NAMES) + k]
            page.evaluate(f"window.facilityMapView({lat}, {lon + k * 0.002}, 18)")
            page.wait_for_timeout(250)
            x, y = page.evaluate(f"window.facilityMapPoint('facilities', '{fid}')")
            page.mouse.click(x, y)
            page.wait_for_function(
                "n => (document.querySelector('.leaflet-popup-content .fm-title') || {})"
                ".textContent === n", arg=name, timeout=3000)
            assert page.evaluate("window.__xss") is None
            assert page.query_selector(".leaflet-popup-content img, .leaflet-popup-content svg,"
                                       " .leaflet-popup-content script") is None
        assert errors == []


def test_cli_export_html(tmp_path):
    import subprocess
    import sys

    from tests.conftest import BUNDLED, REPO

    out = tmp_path / "m.html"
    res = subprocess.run([sys.executable, "main.py", "export-html", "--project", str(BUNDLED),
                          "--out", str(out), "--minutes", "10", "--layers", "facilities",
                          "service_circles"], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert '"key":"communities"' not in text and '"key":"service_circles"' in text
    res = subprocess.run([sys.executable, "main.py", "export-html", "--out",
                          str(tmp_path / "nope" / "m.html")], cwd=REPO, capture_output=True,
                         text=True)
    assert res.returncode == 2 and "folder does not exist" in res.stderr


def test_gui_export_keeps_the_chosen_walk(window, tmp_path):
    from layers.geo.walking import PRESETS

    window.make_service_circles("all", 10, PRESETS["walk"])
    out = window.export_html_to(tmp_path / "gui.html")
    assert out is not None and out.exists()
    text = out.read_text(encoding="utf-8")
    assert "facilityMap(" in text
    assert '"circleMetres":640' in text and "640 m" in text  # not the GB 500 m


@pytest.mark.browser
def test_gui_export_draws_what_the_circle_layer_holds(window, tmp_path):
    """Circles for one category stay one category; walking areas stay street-shaped."""
    from layers.geo.walking import PRESETS

    window.make_service_circles("category:canteen", 10, PRESETS["gb50180"])
    out = window.export_html_to(tmp_path / "canteen.html")
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        assert page.evaluate("window.facilityMapStats()")["service_circles"] == 1
        assert all("Failed to load resource" in e for e in errors)  # only blocked tiles

    # a street past the canteen, imported as the road layer, then walking areas along it
    from desktop.dialogs.import_dialog import ImportDialog
    from tests.desktop.test_import_gui import CORPUS

    fac = window.project.facilities.frame
    canteen = fac[fac["category"] == "canteen"].geometry.iloc[0]
    street = shapely.LineString([(canteen.x - 0.01, canteen.y), (canteen.x + 0.01, canteen.y)])
    path = tmp_path / "street.geojson"
    import geopandas as gpd

    gpd.GeoDataFrame({"name": ["长街"]}, geometry=[street], crs=4326).to_file(path)
    dialog = ImportDialog(path, window)
    dialog.start_reading()
    dialog.wait()
    assert dialog.layer.currentData() == "roads" and CORPUS.exists()
    window.finish_import(dialog)
    dialog.close()
    assert window.make_service_circles("category:canteen", 10, PRESETS["walk"], method="network")
    out = window.export_html_to(tmp_path / "walk.html")
    text = out.read_text(encoding="utf-8")
    assert '"kind":"areas"' in text and '"circleMetres"' not in text
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        assert page.evaluate("window.facilityMapStats()")["areas"] == 1
        # the compact rings decode to the area the app computed
        b = page.evaluate("(() => { const b = window.facilityMapLayers.service_circles"
                          ".getLayers()[0].getBounds();"
                          " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()")
        area = window.project.layer("service_circles").frame.geometry.iloc[0]
        assert max(abs(a - e) for a, e in zip(b, area.bounds, strict=True)) < 2e-5
        assert "步行范围" in page.inner_text(".leaflet-control-layers")
        page.evaluate(f"window.facilityMapView({canteen.y}, {canteen.x}, 15)")
        page.wait_for_timeout(300)
        assert page.evaluate("document.querySelectorAll('.leaflet-overlay-pane canvas, "
                             ".leaflet-overlay-pane path').length") > 0
        page.screenshot(path=str(tmp_path / "walk.png"))
        assert all("Failed to load resource" in e for e in errors)  # only blocked tiles


def test_cli_export_uses_the_saved_circle_layer(tmp_path, bundled_copy):
    import json
    import re
    import subprocess
    import sys

    from layers.analysis.service_circles import service_circles_frame
    from layers.model.layer import FeatureLayer
    from tests.conftest import REPO

    project = open_project(bundled_copy)
    fac = project.facilities.frame
    parks = fac[fac["category"] == "pocket_park"]
    project.add_layer(FeatureLayer("service_circles", service_circles_frame(parks, 5, 300.0)))
    project.save()
    out = tmp_path / "m.html"
    res = subprocess.run([sys.executable, "main.py", "export-html", "--project",
                          str(bundled_copy), "--out", str(out), "--tiles", "none"], cwd=REPO,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    block = re.search(r'<script type="application/json" id="fm-data">(.*?)</script>',
                      out.read_text(encoding="utf-8"), re.S).group(1)
    group = next(g for g in json.loads(block)["groups"] if g["key"] == "service_circles")
    assert group["count"] == len(parks) == 3
    assert group["options"]["circleMetres"] == 300.0


@pytest.mark.browser
def test_popups_show_what_a_precision_means_never_its_id(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    fac, comm = project.facilities.frame, project.communities.frame
    row = fac[fac["name"] == "翠苑一区社区老年食堂"].iloc[0]
    out = export_html(project, tmp_path / "map.html", tiles=None)
    text = out.read_text(encoding="utf-8")
    assert "approximate-community" not in text and "approximate-district" not in text
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        _click_feature(page, "facilities", row)
        page.wait_for_selector(".leaflet-popup-content", timeout=3000)
        popup = page.inner_text(".leaflet-popup-content")
        assert "社区级（大致）" in popup and "approximate" not in popup
        _click_feature(page, "communities", comm[comm["name"] == "翠苑一区"].iloc[0])
        page.wait_for_function(
            "document.querySelector('.leaflet-popup-content') && document.querySelector("
            "'.leaflet-popup-content').innerText.includes('区县级')", timeout=3000)
        assert "approximate" not in page.inner_text(".leaflet-popup-content")
        assert errors == []


def _click_feature(page, layer, row):
    page.evaluate(f"window.facilityMapView({row.geometry.y}, {row.geometry.x}, 17)")
    page.wait_for_timeout(300)
    x, y = page.evaluate(f"window.facilityMapPoint('{layer}', '{row['id']}')")
    page.mouse.click(x, y)


def _page_data(path):
    import json
    import re

    text = path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    block = re.search(r'<script type="application/json" id="fm-data">(.*?)</script>', text,
                      re.S).group(1)
    return title, json.loads(block)


def test_gui_html_export_is_titled_and_labelled_as_the_cli_one(window, tmp_path):
    import subprocess
    import sys

    from layers.geo.walking import PRESETS
    from tests.conftest import REPO

    window.make_service_circles("all", 10, PRESETS["gb50180"])
    assert window.save()
    gui = window.export_html_to(tmp_path / "gui.html")
    cli = tmp_path / "cli.html"
    res = subprocess.run([sys.executable, "main.py", "export-html", "--project",
                          str(window.project.path), "--out", str(cli)], cwd=REPO,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    (gui_title, gui_data), (cli_title, cli_data) = _page_data(gui), _page_data(cli)
    assert gui_title == cli_title == "社区设施地图"  # not the file's stem
    assert gui_data["title"] == cli_data["title"]
    gui_groups = [g["title"] for g in gui_data["groups"]]
    assert gui_groups == [g["title"] for g in cli_data["groups"]]
    assert "服务圈 10 分钟 · GB 50180 · 半径 500 m" in gui_groups
    assert "min" not in " ".join(gui_groups)  # no English circle label


# ---- the compact columnar format (issue 17): decoded here as the page decodes it ----

def _uvarints(text):
    import base64

    out, value, mult = [], 0, 1
    for byte in base64.b64decode(text):
        value += (byte & 127) * mult
        if byte < 128:
            out.append(value)
            value, mult = 0, 1
        else:
            mult *= 128
    return out


def _steps(text):
    out, acc = [], 0
    for z in _uvarints(text):
        acc += -(z + 1) // 2 if z % 2 else z // 2
        out.append(acc)
    return out


def _read(col, n):
    import base64

    import numpy as np

    if "codes" in col:
        dtype = {1: "<u1", 2: "<u2", 4: "<u4"}[col["width"]]
        codes = np.frombuffer(base64.b64decode(col["codes"]), dtype=dtype)
        return [col["values"][k - 1] if k else None for k in codes]
    if "text" in col:
        units, out, at = col["text"].encode("utf-16-le"), [], 0
        for length in _uvarints(col["lens"]):
            if not length:
                out.append(None)
                continue
            out.append(units[2 * at:2 * (at + length - 1)].decode("utf-16-le"))
            at += length - 1
        return out
    return [None] * n


def _decoded(layer):
    import base64

    import numpy as np

    n = layer["n"]
    rows = {"lon": _steps(layer["lon"]), "lat": _steps(layer["lat"]),
            "idHash": np.frombuffer(base64.b64decode(layer["idHash"]), dtype="<u4").tolist()}
    rows.update({f: _read(col, n) for f, col in layer["fields"].items()})
    return [dict(zip(rows, values, strict=True)) for values in zip(*rows.values(), strict=True)]


def test_compact_columns_keep_every_value_a_popup_shows(tmp_path, bundled_copy):
    import numpy as np

    from layers.export.html import _id_hashes
    from layers.model.categories import get_category
    from layers.model.schema import precision_label

    project = open_project(bundled_copy)
    tricky = ["𠮷野家 食堂", "", "引号\"和\\反斜杠\n第二行", "\u2028分隔"]
    for k, name in enumerate(tricky):
        project.facilities.add_features({"name": name, "category": "canteen",
                                         "community": None if k % 2 else name,
                                         "quote": name, "address": "同一地址",
                                         "geometry": shapely.Point(120.1 + k / 1e4, 30.2)})
    out = export_html(project, tmp_path / "m.html", minutes=10, tiles=None)
    _, data = _page_data(out)
    page = {r["idHash"]: r for r in _decoded(data["layers"]["facilities"])}
    fac = project.facilities.frame
    hashes = np.frombuffer(__import__("base64").b64decode(
        _id_hashes(fac["id"].to_numpy(dtype=object))), dtype="<u4")
    assert len(page) == len(fac)  # no two ids share a hash here
    for h, (_, row) in zip(hashes.tolist(), fac.iterrows(), strict=True):
        got = page[h]
        assert (got["lon"], got["lat"]) == (round(row.geometry.x * 1e6),
                                            round(row.geometry.y * 1e6))
        assert got["category_label"] == get_category(row["category"]).label_zh
        assert (got["location_precision"] or "") == precision_label(row["location_precision"])
        for field in ("name", "community", "address", "quote", "source", "description"):
            want = row[field]
            want = None if want is None or want != want else str(want)
            assert got[field] == want, (field, got[field], want)
    # every category's group and the circles cover each facility once
    groups = [g for g in data["groups"] if g["kind"] == "facilities"]
    rows = sorted(r for g in groups for r in _steps(g["rows"]))
    assert rows == list(range(len(fac)))
    circles = next(g for g in data["groups"] if g["key"] == "service_circles")
    assert circles["count"] == len(fac) and _steps(circles["rows"]) == list(range(len(fac)))


@pytest.fixture
def city(tmp_path):
    """A generated city of 20,000 facilities, half of them canteens (drawn dense)."""
    from benchmarks.synthetic import communities, facilities
    from layers.io.project_file import write_project_layers

    fac = facilities(20_000)
    fac.loc[fac.index[::2], "category"] = "canteen"
    write_project_layers(tmp_path / "city.gpkg", {"communities": communities(300),
                                                  "facilities": fac})
    return open_project(tmp_path / "city.gpkg")


@pytest.mark.browser
def test_a_city_of_facilities_draws_and_every_one_can_be_clicked(tmp_path, city):
    fac = city.facilities.frame
    out = export_html(city, tmp_path / "city.html", minutes=10, tiles=None)
    assert out.stat().st_size < 20_000 * 60  # compact: well under 60 bytes a facility
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        _ready(page)
        stats = page.evaluate("window.facilityMapStats()")
        assert stats["facilities"] == stats["service_circles"] == len(fac)
        assert stats["communities"] == len(city.communities)
        # at the first (low) zoom a facility is found under the mouse by the grid
        row = fac.iloc[777]
        x, y = page.evaluate(f"window.facilityMapPoint('facilities', '{row['id']}')")
        page.mouse.move(x, y)
        page.wait_for_selector(".leaflet-tooltip", timeout=3000)
        assert page.inner_text(".leaflet-tooltip").startswith("设施")
        page.screenshot(path=str(tmp_path / "city.png"))
        # a canteen just off the top-left corner at a low zoom: its square is clipped,
        # it never floods the canteens' layer
        canteen = fac[fac["category"] == "canteen"].iloc[0].geometry
        page.evaluate("([lat, lon]) => { const m = Object.values(window).find("
                      "v => v instanceof L.Map), z = 12, s = m.getSize();"
                      " const c = m.project([lat, lon], z).add([s.x / 2 + 3, s.y / 2 - 1]);"
                      " m.setView(m.unproject(c, z), z, {animate: false}); }",
                      [canteen.y, canteen.x])
        page.wait_for_timeout(300)
        covered = page.evaluate(
            "(() => { const c = window.facilityMapLayers['facilities:canteen'].canvas;"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;"
            " return n / (c.width * c.height); })()")
        assert 0 < covered < 0.5
        for k in (0, 4321, len(fac) - 1):
            row = fac.iloc[k]
            _click_feature(page, "facilities", row)
            page.wait_for_function(
                "n => (document.querySelector('.leaflet-popup-content .fm-title') || {})"
                ".textContent === n", arg=row["name"], timeout=3000)
            popup = page.inner_text(".leaflet-popup-content")
            assert row["community"] in popup and "实测" in popup  # the precision, as words
        assert errors == [] and blocked == []
