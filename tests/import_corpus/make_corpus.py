"""Write the import corpus: good, tricky and broken files a planner might bring.

Run from the repository root: python tests/import_corpus/make_corpus.py
The files are committed; this script documents how each was made.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import shapely

HERE = Path(__file__).resolve().parent
ROWS = [("翠苑一区社区老年食堂", "食堂", 120.1336, 30.2866),
        ("人人坞党群服务站", "党群服务站", 112.9531, 27.8636),
        ("耐火小区充电棚", "充电", 112.9541, 27.8625)]


def csv_text(rows=ROWS, header="name,category,lon,lat", sep=",") -> str:
    lines = [header.replace(",", sep)]
    lines += [sep.join([n, c, f"{x}", f"{y}"]) for n, c, x, y in rows]
    return "\n".join(lines) + "\n"


def write(name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = HERE / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def frame(rows=ROWS, crs=4326) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [r[0] for r in rows], "category": [r[1] for r in rows]},
                            geometry=[shapely.Point(r[2], r[3]) for r in rows], crs=crs)


def main() -> None:
    for old in HERE.iterdir():
        if old.name != "make_corpus.py":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    write("good_utf8.csv", csv_text())
    write("good_utf8_bom.csv", "\ufeff" + csv_text())
    write("gbk_excel.csv", csv_text(header="名称,类型,经度,纬度"), "gbk")
    write("chinese_headers.csv", csv_text(header="名称,类别,经度,纬度"))
    write("semicolon.csv", csv_text(sep=";"))
    write("tab_separated.txt", csv_text(sep="\t"))
    write("swapped_lonlat.csv", csv_text([(n, c, y, x) for n, c, x, y in ROWS]))
    write("text_in_coords.csv", csv_text() + "坏行,食堂,未知,三十\n")
    write("nan_coords.csv", csv_text() + "空坐标,食堂,NaN,\n")
    write("out_of_range.csv", csv_text() + "越界,食堂,200,95\n")
    write("projected_no_crs.csv", csv_text([(n, c, 500000 + i * 100, 3350000.0)
                                            for i, (n, c, _, _) in enumerate(ROWS)]))
    write("cgcs2000_gk_zone40.csv", csv_text([(n, c, 40500000 + i * 100.0, 3350000.0)
                                              for i, (n, c, _, _) in enumerate(ROWS)]))
    write("amap_gcj02.csv", csv_text([("西湖文化广场", "广场", 120.1707, 30.2779)]))
    write("empty.csv", b"")
    write("header_only.csv", "name,category,lon,lat\n")
    write("html_saved_as.csv", "<!DOCTYPE html><html><body><table><tr><td>1</td></tr>"
          "</table></body></html>\n")
    write("binary_garbage.csv", bytes(range(256)) * 40)
    write("no_coordinate_columns.csv", "name,address\n食堂,杭州\n")
    write("unknown_categories.csv", csv_text([("理发店", "理发", 120.13, 30.28),
                                              ("奇怪设施", "???", 120.14, 30.28),
                                              ("社区食堂", "食堂", 120.15, 30.28)]))
    write("duplicates.csv", csv_text(ROWS + ROWS[:1]))
    write("good.geojson", frame().to_json(ensure_ascii=False))
    write("truncated.geojson", frame().to_json()[:150])
    write("deeply_nested.json", "[" * 100_000 + "]" * 100_000)
    write("not_geodata.json", json.dumps({"hello": "world", "rows": [1, 2, 3]}))
    bowtie = shapely.Polygon([(120.1, 30.2), (120.2, 30.3), (120.2, 30.2), (120.1, 30.3)])
    write("invalid_polygon.geojson", gpd.GeoDataFrame(
        {"name": ["自相交边界"]}, geometry=[bowtie], crs=4326).to_json(ensure_ascii=False))
    write("null_geometry.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "无几何"}, "geometry": None},
        {"type": "Feature", "properties": {"name": "有几何"},
         "geometry": {"type": "Point", "coordinates": [120.13, 30.28]}}]}, ensure_ascii=False))
    gp = HERE / "two_layers.gpkg"
    frame().to_file(gp, layer="facilities", driver="GPKG")
    frame(ROWS[:1]).to_file(gp, layer="other", driver="GPKG")
    write("truncated.gpkg", gp.read_bytes()[:3000])
    write("fake.gpkg", "this is not a database\n")
    shp_dir = HERE / "shapefile_folder"
    shp_dir.mkdir()
    frame().to_file(shp_dir / "facilities.shp", encoding="utf-8")
    with zipfile.ZipFile(HERE / "shapefile.zip", "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    with zipfile.ZipFile(HERE / "zip_without_shapefile.zip", "w") as zf:
        zf.writestr("readme.txt", "no shapefile here")
    noprj = HERE / "_noprj"
    noprj.mkdir()
    frame(crs=None).set_geometry(shapely.points([500000.0] * 3, [3350000.0] * 3)).to_file(
        noprj / "projected.shp")
    with zipfile.ZipFile(HERE / "shapefile_projected_no_prj.zip", "w") as zf:
        for part in noprj.iterdir():
            if part.suffix != ".prj":
                zf.write(part, part.name)
    shutil.rmtree(noprj)
    frame().to_file(HERE / "good.kml", driver="KML")
    write("broken.kml", (HERE / "good.kml").read_text(encoding="utf-8")[:200])
    write("fake.xlsx", "name,lon,lat\nx,1,2\n")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "类型", "经度", "纬度"])
    for row in ROWS:
        ws.append(list(row))
    wb.save(HERE / "good.xlsx")
    write("report.docx", b"PK\x03\x04 not really a document")
    write("polygons_as_facilities.geojson", gpd.GeoDataFrame(
        {"name": ["口袋公园"]}, geometry=[shapely.box(120.13, 30.28, 120.131, 30.281)],
        crs=4326).to_json(ensure_ascii=False))
    roads_and_boundaries()
    swapped_and_kmz()


def swapped_and_kmz() -> None:
    """good.geojson with x and y swapped (repaired on import), and good.kml zipped as KMZ.

    The hostile files (zip bombs, mixed encodings, NUL bytes, recursive SQL views) are
    built in tests/layers/io/test_import_hostile.py, in each test's tmp_path.
    """
    swapped = frame()
    swapped = swapped.set_geometry(shapely.transform(swapped.geometry.to_numpy(),
                                                     lambda c: c[:, ::-1]))
    write("good_swapped.geojson", swapped.to_json(ensure_ascii=False))
    with zipfile.ZipFile(HERE / "good.kmz", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(HERE / "good.kml", "doc.kml")


STREETS_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="make_corpus.py">
  <node id="1" lat="30.2800" lon="120.1500"/>
  <node id="2" lat="30.2800" lon="120.1550"/>
  <node id="3" lat="30.2850" lon="120.1550"/>
  <node id="4" lat="30.2850" lon="120.1500"/>
  <node id="5" lat="30.2825" lon="120.1525"><tag k="amenity" v="cafe"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/>
    <tag k="name" v="文一路"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
  <way id="13"><nd ref="4"/><nd ref="1"/><tag k="waterway" v="river"/></way>
  <way id="14"><nd ref="1"/><nd ref="3"/><tag k="highway" v="service"/>
    <tag k="foot" v="no"/></way>
  <way id="15"><nd ref="4"/><nd ref="2"/><tag k="highway" v="path"/></way>
</osm>
"""


def roads_and_boundaries() -> None:
    """Street networks (GeoJSON, OpenStreetMap) and community boundaries."""
    write("streets.osm", STREETS_OSM)
    write("not_osm.osm", "<!DOCTYPE html><html><body>404</body></html>")
    write("fake.pbf", b"\x00\x00\x00\x0dnot a pbf at all")
    streets_pbf()
    lines = [shapely.LineString([(120.130, 30.280), (120.135, 30.280)]),
             shapely.MultiLineString([[(120.135, 30.280), (120.135, 30.285)],
                                      [(120.135, 30.285), (120.140, 30.285)]]),
             shapely.Point(120.13, 30.28)]
    write("roads.geojson", gpd.GeoDataFrame(
        {"名称": ["文二路", "学院路", "路口"], "道路等级": ["支路", "支路", None]},
        geometry=lines, crs=4326).to_json(ensure_ascii=False))
    bowtie = shapely.Polygon([(120.13, 30.28), (120.14, 30.29), (120.14, 30.28),
                              (120.13, 30.29)])
    write("boundaries.geojson", gpd.GeoDataFrame(
        {"社区": ["翠苑一区", "耐火小区"]},
        geometry=[shapely.box(120.130, 30.283, 120.138, 30.290), bowtie],
        crs=4326).to_json(ensure_ascii=False))


def streets_pbf() -> None:
    """The same streets as streets.osm, as PBF. Needs pyosmium (pip install osmium), which
    the app does not: without it the committed streets.pbf is kept."""
    try:
        import osmium
        from osmium.osm.mutable import Node, Way
    except ImportError:
        return
    nodes = {1: (120.1500, 30.2800), 2: (120.1550, 30.2800), 3: (120.1550, 30.2850),
             4: (120.1500, 30.2850)}
    ways = [(10, [1, 2], {"highway": "residential", "name": "文一路"}),
            (11, [2, 3], {"highway": "footway"}), (12, [3, 4], {"highway": "motorway"}),
            (13, [4, 1], {"waterway": "river"}),
            (14, [1, 3], {"highway": "service", "foot": "no"}), (15, [4, 2], {"highway": "path"})]
    target = HERE / "streets.pbf"
    target.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(target))
    for i, (lon, lat) in nodes.items():
        writer.add_node(Node(id=i, location=(lon, lat), version=1))
    for i, refs, tags in ways:
        writer.add_way(Way(id=i, nodes=refs, tags=tags, version=1))
    writer.close()


if __name__ == "__main__":
    main()
