"""Hostile and messy import files: one clear line, bounded time and memory, nothing lost."""

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import geopandas as gpd
import pytest
import shapely

from layers.cli import run
from layers.io.importing import ImportFailure, read_import, to_layer_frame
from layers.store import open_project
from tests.conftest import BUNDLED, REPO

CORPUS = REPO / "tests" / "import_corpus"
MB = 1_000_000


def _pad_member(zf: zipfile.ZipFile, name: str, megabytes: int, head: bytes = b"",
                tail: bytes = b"", fill: bytes = b"\x00") -> None:
    """Write a member of ``megabytes`` MB of ``fill``, streaming, so the test stays small."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        chunk = fill * MB
        for _ in range(megabytes):
            out.write(chunk)
        out.write(tail)


def _zip_like(source, target, huge: str | None = None, megabytes: int = 200,
              fill: bytes = b"\x00"):
    """Copy a zip, deflated; the member ``huge`` gets ``megabytes`` MB of ``fill`` inside.

    For the worksheet the padding is whitespace after ``<sheetData>``, so the XML
    stays valid and a reader without limits really reads all of it.
    """
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == huge:
                head, _, tail = data.partition(b"<sheetData>")
                _pad_member(dst, info.filename, megabytes, head + b"<sheetData>",
                            tail, fill)
            else:
                dst.writestr(info.filename, data)
        if huge is not None and huge not in src.namelist():
            _pad_member(dst, huge, megabytes)
    return target


def _kmz(target, extra: str | None = None):
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(CORPUS / "good.kml", "doc.kml")
        if extra:
            _pad_member(zf, extra, 200)
    return target


# ----- zip bombs ---------------------------------------------------------------
def test_xlsx_zip_bomb_is_refused_before_reading(tmp_path):
    bomb = _zip_like(CORPUS / "good.xlsx", tmp_path / "bomb.xlsx",
                     "xl/worksheets/sheet1.xml", 200, b" ")
    assert bomb.stat().st_size < 2 * MB  # 200 MB of sheet in a small file
    with pytest.raises(ImportFailure) as caught:
        read_import(bomb)
    message = str(caught.value)
    assert "xl/worksheets/sheet1.xml" in message and "--max-zip-ratio" in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", ["shapefile.zip", "kmz"])
def test_zipped_shapefile_and_kmz_bombs_are_refused(tmp_path, kind):
    if kind == "kmz":
        bomb = _kmz(tmp_path / "bomb.kmz", extra="files/pad.bin")
    else:
        bomb = _zip_like(CORPUS / "shapefile.zip", tmp_path / "bomb.zip", "pad.bin")
    with pytest.raises(ImportFailure, match=r"pad\.bin unpacks \d+ times"):
        read_import(bomb)


def test_kmz_imports(tmp_path):
    raw, report = read_import(_kmz(tmp_path / "good.kmz"))
    assert len(to_layer_frame(raw, "facilities", report)) == 3


def test_uncompressed_size_limit_is_a_flag(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    before = project.read_bytes()
    code = run(["import", str(CORPUS / "good.xlsx"), "--project", str(project),
                "--max-uncompressed-mb", "0.001"])
    err = capsys.readouterr().err
    assert code == 2 and "beyond the limit of 0.001 MB" in err and err.count("\n") == 1
    assert project.read_bytes() == before


def test_ratio_limit_can_be_raised_for_a_trusted_file(tmp_path, capsys):
    """A 12 MB sheet of blanks is refused by default and imports once the planner says so."""
    padded = _zip_like(CORPUS / "good.xlsx", tmp_path / "padded.xlsx",
                       "xl/worksheets/sheet1.xml", 12, b" ")
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    assert run(["import", str(padded), "--project", str(project)]) == 2
    assert "--max-zip-ratio" in capsys.readouterr().err
    assert run(["import", str(padded), "--project", str(project), "--allow-duplicates",
                "--max-zip-ratio", "100000"]) == 0
    assert len(open_project(project).facilities) == 23 + 3


# ----- encodings and NUL bytes --------------------------------------------------
UTF8_ROWS = "".join(f"社区食堂{i},食堂,120.13,30.28\n" for i in range(200))
GBK_ROWS = "翠苑一区社区老年食堂,食堂,120.1336,30.2866\n"


@pytest.mark.parametrize("first,then,bad_line", [("utf-8", "gbk", 202), ("gbk", "utf-8", 202)])
def test_mixed_encodings_are_refused_with_the_line(tmp_path, first, then, bad_line):
    path = tmp_path / "mixed.csv"
    path.write_bytes(("name,category,lon,lat\n" + UTF8_ROWS).encode(first)
                     + GBK_ROWS.encode(then))
    with pytest.raises(ImportFailure, match=f"line {bad_line}") as caught:
        read_import(path)
    assert "mixed encodings" in str(caught.value)


def test_mixed_encodings_are_refused_when_gbk_is_forced(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(("name,category,lon,lat\n" + UTF8_ROWS).encode() + GBK_ROWS.encode("gbk"))
    with pytest.raises(ImportFailure, match="line 202"):
        read_import(path, encoding="gb18030")


def test_a_gbk_file_is_not_mistaken_for_mixed():
    _, report = read_import(CORPUS / "gbk_excel.csv")
    assert report.encoding == "gb18030"


@pytest.mark.parametrize("rows_before", [0, 600])  # in the sniffed head, and after it
def test_nul_bytes_are_stripped_and_reported(tmp_path, capsys, rows_before):
    path = tmp_path / "nul.csv"
    rows = "".join(f"设施{i},食堂,120.13,30.28\n" for i in range(rows_before))
    path.write_text("name,category,lon,lat\n" + rows + "老年\x00食堂,食堂,120.14,30.29\n",
                    encoding="utf-8")
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    assert run(["import", str(path), "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "repaired 1" in out.splitlines()[0]
    assert f"1 NUL character removed (line {rows_before + 2})" in out
    names = set(open_project(project).facilities.frame["name"])
    assert "老年食堂" in names and "老年" not in names


def test_nul_escape_in_geojson_is_refused_with_the_line(tmp_path):
    text = (CORPUS / "good.geojson").read_text(encoding="utf-8")
    data = json.loads(text)
    data["features"][1]["properties"]["name"] = "人人坞\x00党群服务站"
    path = tmp_path / "nul.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(ImportFailure, match=r"line \d+: .*NUL"):
        read_import(path)


# ----- coordinates that do not fit the declared CRS ------------------------------
def _points(x, y, crs=4326):
    return gpd.GeoDataFrame({"name": ["甲", "乙", "丙"]}, geometry=shapely.points(x, y), crs=crs)


GK40 = ([40500000, 40500100, 40500200], [3350000.0] * 3)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_metres_labelled_as_degrees_name_the_crs_they_look_like(tmp_path, suffix):
    path = tmp_path / f"metres{suffix}"
    _points(*GK40).to_file(path)
    with pytest.raises(ImportFailure) as caught:
        read_import(path)
    message = str(caught.value)
    assert "out of range for EPSG:4326" in message and "\n" not in message
    assert "zone 40 (EPSG:4528): give the right CRS, e.g. --crs EPSG:4528" in message


def test_the_crs_they_look_like_reads_them(tmp_path):
    path = tmp_path / "metres.geojson"
    _points(*GK40).to_file(path)
    raw, report = read_import(path, crs="EPSG:4528")
    assert 119.9 < raw.geometry.x.iloc[0] < 120.1 and 30.0 < raw.geometry.y.iloc[0] < 30.5
    assert "the file declares EPSG:4326; read as EPSG:4528 (--crs)" in report.warnings


def test_metres_in_a_csv_said_to_be_degrees(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    code = run(["import", str(CORPUS / "projected_no_crs.csv"), "--project", str(project),
                "--crs", "EPSG:4326"])
    err = capsys.readouterr().err
    assert code == 2 and "look like metres" in err and err.count("\n") == 1


def test_degrees_labelled_as_metres_are_refused():
    """Lon/lat said to be in a Gauss-Krüger CRS land near the equator: refused, not imported."""
    with pytest.raises(ImportFailure, match=r"outside the area of EPSG:4547.*--crs EPSG:4326"):
        read_import(CORPUS / "good_utf8.csv", crs="EPSG:4547")


def test_gauss_kruger_with_its_right_crs_still_imports():
    raw, _ = read_import(CORPUS / "cgcs2000_gk_zone40.csv", crs="EPSG:4528")
    assert len(raw) == 3


# ----- swapped longitude and latitude, in every format ----------------------------
def _swapped(path, frame):
    frame = frame.set_geometry(shapely.transform(frame.geometry.to_numpy(),
                                                 lambda c: c[:, ::-1]))
    frame.to_file(path)
    return path


def test_swapped_geojson_in_the_corpus_is_repaired_like_the_csv():
    geojson, report = read_import(CORPUS / "good_swapped.geojson")
    csv, csv_report = read_import(CORPUS / "swapped_lonlat.csv")
    assert report.swapped == csv_report.swapped == 3
    assert [w for w in report.warnings if "swapped" in w] == [
        "3 features had longitude and latitude swapped; repaired"]
    assert shapely.equals_exact(geojson.geometry.to_numpy(), csv.geometry.to_numpy(),
                                1e-9).all()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_swapped_lonlat_is_repaired_in_every_vector_format(tmp_path, suffix):
    good = gpd.read_file(CORPUS / "good.geojson")
    path = _swapped(tmp_path / f"swapped{suffix}", good)
    raw, report = read_import(path)
    frame = to_layer_frame(raw, "facilities", report)
    assert report.swapped == 3
    assert "3 features had longitude and latitude swapped; repaired" in report.warnings
    for a, b in zip(frame.geometry, good.geometry, strict=True):
        assert a.equals_exact(b, 1e-9)


def test_swapped_lines_are_repaired(tmp_path):
    roads = gpd.read_file(CORPUS / "roads.geojson")
    raw, report = read_import(_swapped(tmp_path / "roads.geojson", roads))
    assert report.swapped == len(roads)
    assert shapely.equals_exact(raw.geometry.to_numpy(), roads.geometry.to_numpy(), 1e-9).all()


def test_swapped_csv_with_a_declared_crs_is_repaired():
    raw, report = read_import(CORPUS / "swapped_lonlat.csv", crs="EPSG:4326")
    good, _ = read_import(CORPUS / "good_utf8.csv")
    assert report.swapped == 3
    assert shapely.equals_exact(raw.geometry.to_numpy(), good.geometry.to_numpy(), 1e-9).all()


# ----- SQL views in an import source ---------------------------------------------
RECURSIVE = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) ")


def _with_views(tmp_path):
    """two_layers.gpkg plus recursive views: a spatial one listed first, and unlisted ones."""
    path = tmp_path / "views.gpkg"
    shutil.copy(CORPUS / "two_layers.gpkg", path)
    with sqlite3.connect(path) as con:
        con.execute(f"CREATE VIEW aaa_view AS {RECURSIVE}SELECT f.fid + r.n * 1000 AS fid, "
                    "f.geom, f.name FROM facilities f, r")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES ('aaa_view', 'features', 'aaa_view', 4326)")
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('aaa_view', 'geom', 'POINT', "
                    "4326, 0, 0)")
        # list the tables after the view, so a reader that takes the first layer takes it
        tables = con.execute("SELECT * FROM gpkg_contents WHERE table_name IN "
                             "('facilities', 'other')").fetchall()
        con.execute("DELETE FROM gpkg_contents WHERE table_name IN ('facilities', 'other')")
        con.executemany(f"INSERT INTO gpkg_contents VALUES ({', '.join('?' * len(tables[0]))})",
                        tables)
        con.execute(f"CREATE VIEW counter AS {RECURSIVE}SELECT n FROM r")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                    "VALUES ('counter', 'attributes', 'counter')")
        con.execute(f"CREATE VIEW hidden AS {RECURSIVE}SELECT n FROM r")
    return path


def _cli(*args):
    """Run the command line in its own process: a hang fails the test instead of CI."""
    return subprocess.run([sys.executable, "main.py", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_recursive_view_is_never_read_by_default(tmp_path):
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    res = _cli("import", _with_views(tmp_path), "--project", project, "--allow-duplicates")
    assert res.returncode == 0, res.stderr
    assert "imported 3" in res.stdout
    assert len(open_project(project).facilities) == 23 + 3


@pytest.mark.parametrize("view", ["aaa_view", "counter", "hidden"])
def test_naming_a_view_is_refused_in_one_line(tmp_path, view):
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    before = project.read_bytes()
    res = _cli("import", _with_views(tmp_path), "--project", project, "--source-layer", view)
    assert res.returncode == 2
    assert f"{view!r} is an SQL view" in res.stderr and res.stderr.count("\n") == 1
    assert project.read_bytes() == before


def test_listing_layers_leaves_views_out(tmp_path):
    from layers.io.importing import list_source_layers

    assert list_source_layers(_with_views(tmp_path)) == ["facilities", "other"]
