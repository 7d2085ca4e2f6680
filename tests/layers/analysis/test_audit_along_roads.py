"""The audit measured along the streets: a river without a bridge is not a 300 m walk."""

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.analysis.checklist import Checklist, ChecklistItem
from layers.analysis.coverage import run_audit
from layers.geo.geodesy import from_metric, to_metric, utm_epsg
from layers.geo.walking import walk_settings
from layers.io.project_file import write_project_layers
from layers.model.layer import conform
from layers.model.schema import COMMUNITIES, FACILITIES, ROADS
from layers.store import open_project
from tests.conftest import REPO

LON0, LAT0 = 120.15, 30.27
EPSG = utm_epsg(LON0, LAT0)
X0, Y0 = to_metric(EPSG).transform(LON0, LAT0)
BACK = from_metric(EPSG)


def _at(dx, dy):
    return BACK.transform(X0 + dx, Y0 + dy)


def _layers(bridge_at=None, short_by=0.0):
    """Two streets 300 m apart on either side of a river; a bridge only if asked."""
    streets = [[_at(-2000, 0), _at(2000, 0)], [_at(-2000, 300), _at(2000, 300)]]
    if bridge_at is not None:
        streets.append([_at(bridge_at, 0), _at(bridge_at, 300 - short_by)])
    roads = conform(gpd.GeoDataFrame({"name": ["南岸路", "北岸路", "桥"][:len(streets)]},
                                     geometry=[shapely.LineString(s) for s in streets],
                                     crs=4326), ROADS)
    communities = conform(gpd.GeoDataFrame({"name": ["南岸社区"]},
                                           geometry=[shapely.Point(_at(0, -10))], crs=4326),
                          COMMUNITIES)
    facilities = conform(gpd.GeoDataFrame(
        {"name": ["北岸食堂", "南岸驿站"], "category": ["canteen", "service_station"]},
        geometry=[shapely.Point(_at(0, 310)), shapely.Point(_at(900, 10))], crs=4326),
        FACILITIES)
    return communities, facilities, roads


CHECKLIST = Checklist("test", (ChecklistItem("canteen", 10), ChecklistItem("service_station",
                                                                          10)))
WALK = walk_settings("walk")  # 80 m/min: 800 m in 10 minutes along the streets


def test_a_river_without_a_bridge():
    communities, facilities, roads = _layers()
    straight = run_audit(communities, facilities, CHECKLIST, WALK)[0]
    assert "canteen" in straight.covered  # 320 m as the crow flies: 400 m by the detour rule
    along = run_audit(communities, facilities, CHECKLIST, WALK, roads=roads)[0]
    assert along.method == "along roads"
    assert "canteen" in along.missing and along.nearest_walk_m["canteen"] is None
    # the station is 900 m along the same street, 10 m off it at both ends: 920 m > 800 m
    assert along.nearest_walk_m["service_station"] == pytest.approx(920, abs=1)
    assert "service_station" in along.missing
    assert along.nearest["canteen"] == pytest.approx(320, abs=1)  # straight line kept


@pytest.mark.parametrize("bridge_at,walk_m", [(200, 10 + 200 + 300 + 200 + 10),
                                              (-50, 10 + 50 + 300 + 50 + 10)])
def test_a_bridge_makes_the_walk(bridge_at, walk_m):
    communities, facilities, roads = _layers(bridge_at)
    along = run_audit(communities, facilities, CHECKLIST, WALK, roads=roads)[0]
    assert along.nearest_walk_m["canteen"] == pytest.approx(walk_m, abs=1)
    assert ("canteen" in along.covered) is (walk_m <= 800)
    assert along.nearest_name["canteen"] == "北岸食堂"


@pytest.mark.parametrize("short_by,joined", [(1.5, True), (0.3, True), (3.0, False)])
def test_a_street_drawn_a_little_short_still_meets_the_other(short_by, joined):
    """Hand-drawn data: the bridge stops short of the north street (joined within 2 m)."""
    communities, facilities, roads = _layers(200, short_by)
    along = run_audit(communities, facilities, CHECKLIST, WALK, roads=roads)[0]
    d = along.nearest_walk_m["canteen"]
    if joined:
        assert d == pytest.approx(720, abs=1)
    else:
        assert d is None


def test_cancel_stops_the_audit():
    communities, facilities, roads = _layers(200)
    assert run_audit(communities, facilities, CHECKLIST, WALK, roads=roads,
                     progress=lambda done, total: False) is None


def test_cli_audit_along_roads(tmp_path):
    communities, facilities, roads = _layers(200)
    path = tmp_path / "river.gpkg"
    write_project_layers(path, {"communities": communities, "facilities": facilities,
                                "roads": roads})
    res = subprocess.run([sys.executable, "main.py", "audit", "--project", str(path),
                          "--minutes", "10", "--preset", "walk", "--network", "--format",
                          "json"], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    record = json.loads(res.stdout)[0]
    assert record["method"] == "along roads" and "canteen" in record["covered"]
    assert np.isclose(record["nearest_walk_m"]["canteen"], 720, atol=1)
    table = subprocess.run([sys.executable, "main.py", "audit", "--project", str(path),
                            "--preset", "walk", "--network"], cwd=REPO, capture_output=True,
                           text=True)
    assert "along roads" in table.stdout and "720 m" in table.stdout
    plain = tmp_path / "plain.gpkg"
    write_project_layers(plain, {"communities": communities, "facilities": facilities})
    res = subprocess.run([sys.executable, "main.py", "audit", "--project", str(plain),
                          "--network"], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 2 and "no roads layer" in res.stderr


def test_checklist_dock_walks_along_roads(make_window, tmp_path):
    communities, facilities, roads = _layers()
    path = tmp_path / "river.gpkg"
    write_project_layers(path, {"communities": communities, "facilities": facilities,
                                "roads": roads})
    window = make_window(path)
    panel = window.checklist
    panel.minutes.setValue(10)
    panel.preset.setCurrentIndex(panel.preset.findData("walk"))
    panel.run()
    assert panel.along_roads.isEnabled()
    assert panel.status_of("南岸社区", "canteen") is True  # straight line × detour
    panel.along_roads.setChecked(True)
    panel.run()
    assert panel.status_of("南岸社区", "canteen") is False  # no bridge
    assert "沿道路" in panel.summary.text() or "along roads" in panel.summary.text()


def test_walking_distance_is_the_same_both_ways():
    """From each community to each facility equals from that facility back (random streets)."""
    from layers.geo.network import nearest_along_roads

    rng = np.random.default_rng(11)
    streets = []
    for k in range(12):  # a crooked grid with some streets missing
        for horizontal in (True, False):
            if rng.random() < 0.2:
                continue
            a = rng.uniform(-30, 30, 2)
            if horizontal:
                streets.append(shapely.LineString([_at(0, k * 150 + a[0]),
                                                   _at(1800, k * 150 + a[1])]))
            else:
                streets.append(shapely.LineString([_at(k * 150 + a[0], 0),
                                                   _at(k * 150 + a[1], 1800)]))
    roads = gpd.GeoDataFrame(geometry=streets, crs=4326)
    a_lon, a_lat = _at(rng.uniform(0, 1800, 15), rng.uniform(0, 1800, 15))
    b_lon, b_lat = _at(rng.uniform(0, 1800, 15), rng.uniform(0, 1800, 15))
    # every target in its own group: the distance to each one
    there, _ = nearest_along_roads(roads, a_lon, a_lat, b_lon, b_lat, np.arange(15), 15, 5000)
    back, _ = nearest_along_roads(roads, b_lon, b_lat, a_lon, a_lat, np.arange(15), 15, 5000)
    assert np.isfinite(there).mean() > 0.5  # most pairs are connected
    # equal up to the two runs' projections (each centred on its own starting points)
    np.testing.assert_allclose(there, back.T, rtol=2e-5, atol=0.01)
    # and never shorter than the straight line
    ax, ay = to_metric(EPSG).transform(a_lon, a_lat)
    bx, by = to_metric(EPSG).transform(b_lon, b_lat)
    straight = np.hypot(np.subtract.outer(ax, bx), np.subtract.outer(ay, by))
    linked = np.isfinite(there)
    assert np.all(there[linked] >= straight[linked] - 0.05)


def test_streets_in_one_city_do_not_stop_the_audit_elsewhere():
    """The bundled data spans several cities; streets of one leave the others unreached."""
    from layers.analysis.checklist import load_checklist
    from layers.geo.network import network_walk_areas
    from layers.io.importing import read_import, to_layer_frame
    from tests.conftest import BUNDLED
    from tests.layers.io.test_import_corpus import CORPUS

    raw, report = read_import(CORPUS / "streets.pbf")
    roads = to_layer_frame(raw, "roads", report)
    project = open_project(BUNDLED)
    comm, fac = project.communities.frame, project.facilities.frame
    results = run_audit(comm, fac, load_checklist(), WALK, roads=roads)
    assert len(results) == len(comm) and all(r.method == "along roads" for r in results)
    far = [r for r in results if r.community != "翠苑一区"]
    assert all(v is None for r in far for v in r.nearest_walk_m.values())
    areas = network_walk_areas(roads, fac.geometry.x.to_numpy(), fac.geometry.y.to_numpy(),
                               400.0)
    assert len(areas) == len(fac) and all(a.is_empty for a in areas)


def test_cancel_in_the_dialog_stops_a_long_walk_and_the_window_keeps_answering(window, qtbot):
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from desktop.workers import run_with_progress

    ticks = []

    def job(progress):
        for i in range(200):  # four seconds of work unless cancelled
            time.sleep(0.02)
            if progress(i + 1, 200) is False:
                return None
        return "finished"

    def cancel():
        dialog = window.findChild(QProgressDialog, "JobProgress")
        dialog.cancel()

    QTimer.singleShot(300, cancel)
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(50)
    started = time.monotonic()
    assert run_with_progress(window, "test", job, label="walking", total=200) is None
    beat.stop()
    assert time.monotonic() - started < 2.0
    assert len(ticks) >= 4  # the event loop kept running while the job worked


def test_a_road_layer_without_lines_is_a_message_not_a_traceback(window):
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from layers.geo.walking import PRESETS
    from layers.model.layer import FeatureLayer, empty_frame

    window.project.add_layer(FeatureLayer("roads", empty_frame(ROADS)))
    seen = []
    deadline = time.monotonic() + 10

    def answer_the_message():  # the progress dialog comes first: wait for the message box
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, answer_the_message)

    QTimer.singleShot(0, answer_the_message)
    assert not window.make_service_circles("category:canteen", 10, PRESETS["walk"],
                                           method="network")
    assert seen and "no lines" in seen[0]
    assert not window.project.has_layer("service_circles")
