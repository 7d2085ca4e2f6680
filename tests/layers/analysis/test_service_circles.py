import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from layers.analysis.checklist import load_checklist
from layers.analysis.coverage import run_audit
from layers.analysis.service_circles import circle_polygons, dissolved_circles
from layers.geo.geodesy import GEOD, from_metric, to_metric, utm_epsg
from layers.geo.network import network_walk_area, network_walk_areas
from layers.geo.walking import walk_settings
from layers.store import open_project
from tests.conftest import BUNDLED, REPO

PLACES = {"Kashgar": (75.99, 39.47), "Harbin": (126.63, 45.75), "Sanya": (109.51, 18.25),
          "Hangzhou": (120.16, 30.27), "Lhasa": (91.13, 29.65),
          "zone edge": (119.999, 30.0)}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("radius", [300.0, 500.0, 1000.0])
def test_circle_radius_is_geodesic_everywhere_in_china(place, radius):
    lon, lat = PLACES[place]
    poly = circle_polygons(np.array([lon]), np.array([lat]), radius)[0]
    vx, vy = np.asarray(poly.exterior.coords).T
    _, _, d = GEOD.inv(np.full(len(vx), lon), np.full(len(vx), lat), vx, vy)
    assert np.all(np.abs(d - radius) / radius < 0.005)
    assert np.all(np.abs(d - radius) < 0.001)  # in fact within a millimetre
    # the edge midpoints sag at most the chord error of 64 vertices
    mid = (np.asarray(poly.exterior.coords)[:-1] + np.asarray(poly.exterior.coords)[1:]) / 2
    _, _, dm = GEOD.inv(np.full(len(mid), lon), np.full(len(mid), lat), mid[:, 0], mid[:, 1])
    assert np.all(np.abs(dm - radius) / radius < 0.005)


def test_one_crs_for_the_project_would_be_wrong():
    """The bundled data spans three UTM zones."""
    project = open_project(BUNDLED)
    pts = project.communities.frame.geometry
    zones = {utm_epsg(p.x, p.y) for p in pts}
    assert len(zones) >= 3


@pytest.mark.parametrize("preset,minutes,expected", [
    ("gb50180", 5, 300), ("gb50180", 10, 500), ("gb50180", 15, 1000),
    ("walk", 10, 640), ("elderly", 10, 480), ("gb50180", 12, 600)])
def test_presets_give_their_documented_radius(preset, minutes, expected):
    assert walk_settings(preset).radius_m(minutes) == pytest.approx(expected)


def test_custom_speed_and_detour():
    w = walk_settings("walk", speed=70, detour=1.4)
    assert w.radius_m(10) == pytest.approx(500)
    assert "70 m/min ÷ 1.4" in w.describe(10)
    with pytest.raises(ValueError):
        walk_settings("walk", detour=0.5)


def test_dissolve_equals_plain_union():
    rng = np.random.default_rng(5)
    lon = rng.uniform(120.0, 120.1, 3000)
    lat = rng.uniform(30.2, 30.3, 3000)
    fast = dissolved_circles(lon, lat, 500.0)
    plain = shapely.union_all(circle_polygons(lon, lat, 500.0))
    assert shapely.is_valid(fast)
    # both approximate the true union by chords of 64-gons; they differ only where
    # the traced outline puts its corners on the true crossing points of two circles
    assert fast.symmetric_difference(plain).area / plain.area < 1e-4
    assert shapely.get_num_geometries(fast) == shapely.get_num_geometries(plain)
    # every corner of the outline is 500 m from its nearest facility, on the ground
    corners = shapely.get_coordinates(fast)
    fwd = to_metric(utm_epsg(120.05, 30.25))
    tree = shapely.STRtree(shapely.points(*fwd.transform(lon, lat)))
    nearest = tree.query_nearest(shapely.points(*fwd.transform(corners[:, 0], corners[:, 1])),
                                 return_distance=False)[1]
    _, _, d = GEOD.inv(lon[nearest], lat[nearest], corners[:, 0], corners[:, 1])
    assert np.all(np.abs(d - 500.0) < 0.5)


def _audit(minutes=10, preset="gb50180"):
    project = open_project(BUNDLED)
    checklist = load_checklist().with_minutes(minutes)
    return {r.community: r for r in run_audit(project.communities.frame,
                                              project.facilities.frame, checklist,
                                              walk_settings(preset))}


def test_audit_of_the_bundled_data():
    audit = _audit()
    assert "charging_shed" in audit["耐火小区"].covered
    assert "charging_shed" in audit["金耐社区"].covered
    assert "canteen" in audit["翠苑一区"].covered
    assert audit["翠苑一区"].nearest_name["canteen"] == "翠苑一区社区老年食堂"
    # no article names a service station for 翠苑一区, so the audit must not invent one
    assert "service_station" in audit["翠苑一区"].missing
    assert "pocket_park" in audit["翠屏社区"].covered
    assert set(audit["孔家坡社区"].missing) == {i.category for i in load_checklist().items}
    d = audit["耐火小区"].nearest["charging_shed"]
    assert 50 < d < 150  # placed about 80 m apart


def test_shorter_walk_can_miss_what_a_longer_one_reaches():
    assert "service_station" in _audit(10)["世纪花园翠光四区"].covered
    assert "service_station" in _audit(5)["世纪花园翠光四区"].covered
    far = _audit(15)["孔家坡社区"].nearest["service_station"]
    assert far > 1000 and "service_station" in _audit(15)["孔家坡社区"].missing


def test_boundary_polygon_gives_covered_share():
    project = open_project(BUNDLED)
    comm = project.communities.frame.set_index("name").loc["翠苑一区"]
    x, y = to_metric(utm_epsg(comm.geometry.x, comm.geometry.y)).transform(
        comm.geometry.x, comm.geometry.y)
    # a 2 km square around the community: the canteen's 500 m circle covers part of it
    square = shapely.box(comm.geometry.x - 0.01, comm.geometry.y - 0.009,
                         comm.geometry.x + 0.01, comm.geometry.y + 0.009)
    bounds = gpd.GeoDataFrame({"community": ["翠苑一区"]}, geometry=[square], crs=4326)
    results = {r.community: r for r in run_audit(
        project.communities.frame, project.facilities.frame, load_checklist(),
        walk_settings("gb50180"), bounds)}
    r = results["翠苑一区"]
    assert r.has_boundary
    share = r.covered_share["canteen"]
    expected = np.pi * 500**2 / (square.area * 111_000 * 96_000)
    assert 0.5 * expected < share < 1.0 and share < 0.4
    assert r.nearest["canteen"] == 0.0  # inside the polygon


def _grid_roads(lon0, lat0, spacing=100.0, n=21):
    epsg = utm_epsg(lon0, lat0)
    tf = to_metric(epsg)
    from layers.geo.geodesy import from_metric

    x0, y0 = tf.transform(lon0, lat0)
    back = from_metric(epsg)
    lines = []
    half = spacing * (n - 1) / 2
    for k in range(n):
        off = -half + k * spacing
        for a, b in (((x0 - half, y0 + off), (x0 + half, y0 + off)),
                     ((x0 + off, y0 - half), (x0 + off, y0 + half))):
            (la, pa), (lb, pb) = back.transform(*a), back.transform(*b)
            lines.append(shapely.LineString([(la, pa), (lb, pb)]))
    roads = gpd.GeoDataFrame({"name": ["grid"] * len(lines)}, geometry=lines, crs=4326)
    return roads, (x0, y0), back


def test_network_walk_area_on_a_grid():
    """On a street grid, 500 m along streets reaches a diamond, not a circle."""
    lon0, lat0 = 120.15, 30.27
    roads, (x0, y0), back = _grid_roads(lon0, lat0)
    area = network_walk_area(roads, lon0, lat0, 500.0)

    def at(dx, dy):
        return shapely.Point(*back.transform(x0 + dx, y0 + dy))

    assert area.contains(at(450, 0))        # along a street: 450 m
    assert area.contains(at(200, 280))      # 200 + 280 = 480 m
    assert not area.contains(at(300, 300))  # 600 m by the streets, though 424 m straight
    assert not area.contains(at(0, 560))
    assert not area.contains(at(150, 150))  # inside a block, off the streets


def test_walking_area_covers_the_street_it_starts_on():
    """A facility halfway along a 2 km street reaches 500 m each way along it."""
    lon0, lat0 = 120.15, 30.27
    epsg = utm_epsg(lon0, lat0)
    x0, y0 = to_metric(epsg).transform(lon0, lat0)
    back = from_metric(epsg)
    street = shapely.LineString([back.transform(x0 - 1000, y0), back.transform(x0 + 1000, y0)])
    roads = gpd.GeoDataFrame({"name": ["长街"]}, geometry=[street], crs=4326)
    area = network_walk_area(roads, *back.transform(x0, y0 + 20), 520.0)  # 20 m to the street
    for dx, inside in ((-480, True), (480, True), (-560, False), (560, False)):
        assert area.contains(shapely.Point(*back.transform(x0 + dx, y0))) is inside, dx


def test_walking_areas_share_one_graph_and_match_one_by_one():
    lon0, lat0 = 120.15, 30.27
    roads, (x0, y0), back = _grid_roads(lon0, lat0)
    lon, lat = back.transform(np.array([x0, x0 + 230, x0 - 410]), np.array([y0, y0 + 60, y0]))
    seen = []
    areas = network_walk_areas(roads, lon, lat, 400.0, progress=lambda d, t: seen.append(d))
    assert seen == [0, 1, 2, 3]  # 0: before the graph is built
    for a, x, y in zip(areas, lon, lat, strict=True):
        one = network_walk_area(roads, x, y, 400.0)
        # the same walk; only the local projection's centre differs (a city's vs the point's)
        assert a.symmetric_difference(one).area < 1e-3 * one.area
    assert network_walk_areas(roads, lon, lat, 400.0, progress=lambda d, t: False) is None


def _run(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, capture_output=True,
                          text=True)


def test_cli_circles_schema(tmp_path):
    out = tmp_path / "c.gpkg"
    res = _run("circles", "--project", str(BUNDLED), "--minutes", "10", "--out", str(out))
    assert res.returncode == 0, res.stderr
    frame = pyogrio.read_dataframe(out, layer="service_circles")
    project = open_project(BUNDLED)
    assert len(frame) == len(project.facilities)
    assert {"facility_id", "name", "category", "radius_m"} <= set(frame.columns)
    assert set(frame["facility_id"]) == set(project.facilities.frame["id"])
    assert (frame["radius_m"] == 500).all()
    out2 = tmp_path / "d.geojson"
    res = _run("circles", "--project", str(BUNDLED), "--minutes", "15", "--preset", "elderly",
               "--dissolve", "--out", str(out2))
    assert res.returncode == 0, res.stderr
    data = json.loads(out2.read_text(encoding="utf-8"))
    cats = [f["properties"]["category"] for f in data["features"]]
    assert sorted(cats) == sorted(set(project.facilities.frame["category"]))
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}
    assert all(f["properties"]["radius_m"] == 720 for f in data["features"])


def test_cli_network_walking_areas(tmp_path):
    project = open_project(BUNDLED)
    fac = project.facilities.frame
    canteen = fac[fac["category"] == "canteen"].geometry.iloc[0]
    roads, (x0, y0), back = _grid_roads(canteen.x, canteen.y)
    path = tmp_path / "p.gpkg"
    from layers.io.project_file import write_project_layers
    from layers.model.layer import conform
    from layers.model.schema import ROADS

    write_project_layers(path, {"communities": project.communities.frame, "facilities": fac,
                                "roads": conform(roads, ROADS)})
    out = tmp_path / "walk.gpkg"
    res = _run("circles", "--project", str(path), "--minutes", "5", "--preset", "walk",
               "--category", "canteen", "--network", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "walking areas" in res.stdout and "400 m along roads" in res.stdout
    frame = gpd.read_file(out, layer="service_circles")
    assert list(frame["method"]) == ["network"] * len(frame)
    area = frame.geometry.iloc[0]
    assert area.contains(shapely.Point(*back.transform(x0 + 350, y0)))  # along the street
    assert not area.contains(shapely.Point(*back.transform(x0 + 250, y0 + 250)))  # 500 m away
    res = _run("circles", "--project", str(BUNDLED), "--minutes", "5", "--network",
               "--out", str(out))
    assert res.returncode == 2 and "no roads layer" in res.stderr


def test_cli_audit_json_schema():
    res = _run("audit", "--project", str(BUNDLED), "--minutes", "10", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert isinstance(data, list) and len(data) == 14
    for obj in data:
        assert {"community", "covered", "missing", "nearest"} <= set(obj)
        assert set(obj["covered"]) | set(obj["missing"]) == set(obj["nearest"])
        assert all(isinstance(v, (int, float)) for v in obj["nearest"].values())
    cuiyuan = next(o for o in data if o["community"] == "翠苑一区")
    assert "canteen" in cuiyuan["covered"]


def test_cli_audit_csv_and_bad_input(tmp_path):
    res = _run("audit", "--project", str(BUNDLED), "--format", "csv")
    assert res.returncode == 0 and res.stdout.startswith("community,covered,missing")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[items]]\ncategory = "nonsense"\n', encoding="utf-8")
    res = _run("audit", "--project", str(BUNDLED), "--checklist", str(bad))
    assert res.returncode == 2 and "nonsense" in res.stderr and "Traceback" not in res.stderr
    res = _run("circles", "--project", str(BUNDLED), "--out", str(tmp_path / "x.shp"))
    assert res.returncode == 2 and "gpkg" in res.stderr


def test_a_facility_without_a_real_position_is_left_out(tmp_path):
    """POINT (NaN NaN), as some tools write, has no position: no circle, no crash."""
    from layers.analysis.service_circles import dissolved_frame, service_circles_frame
    from layers.export.html import export_html
    from layers.model.layer import FeatureLayer

    project = open_project(BUNDLED)
    fac = project.facilities.frame.copy()
    fac.loc[0, "geometry"] = shapely.points(np.nan, np.nan)
    layer = FeatureLayer("facilities", fac)
    assert layer.frame.geometry.iloc[0] is None and len(layer) == len(fac)
    assert len(service_circles_frame(layer.frame, 10, 500.0)) == len(fac) - 1
    assert dissolved_frame(layer.frame, 10, 500.0).geometry.is_valid.all()
    checklist = load_checklist().with_minutes(10)
    assert len(run_audit(project.communities.frame, layer.frame, checklist,
                         walk_settings("gb50180"))) == len(project.communities)
    project.add_layer(layer)
    text = export_html(project, tmp_path / "m.html", tiles=None).read_text(encoding="utf-8")
    assert "NaN" not in text.split('id="fm-data">', 1)[1].split("</script>", 1)[0]
