"""A recovery file is checked whole before anything is restored; views in it are never run."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import geopandas as gpd
import pyogrio
import pytest
import shapely

from layers.io.project_file import write_project_layers
from layers.io.recovery import RecoveryError, load_recovery, recovery_path, write_recovery
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.store import open_project
from tests.conftest import REPO


def _recovery_with_extra(project: Project, name: str, frame: gpd.GeoDataFrame):
    rec = recovery_path(project.path)
    write_recovery(project, rec)
    pyogrio.write_dataframe(frame, rec, layer=name)
    return rec


def _sketch(geoms) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": [f"s{i}" for i in range(len(geoms))]}, geometry=geoms,
                            crs=4326)


def test_a_good_recovery_file_loads_whole(bundled_copy):
    project = open_project(bundled_copy)
    project.facilities.add_features({"name": "崩溃前", "category": "canteen",
                                     "geometry": shapely.Point(120.133, 30.285)})
    rec = recovery_path(bundled_copy)
    write_recovery(project, rec)
    recovery = load_recovery(rec, open_project(bundled_copy))
    assert set(recovery.frames["facilities"]["name"]) == {"崩溃前"}  # the edit, not the project


def test_an_unknown_layer_refuses_the_whole_file_in_one_line(bundled_copy):
    project = open_project(bundled_copy)
    rec = _recovery_with_extra(project, "mystery", _sketch([shapely.Point(120.1, 30.2)]))
    with pytest.raises(RecoveryError) as err:
        load_recovery(rec, project)
    message = str(err.value)
    assert "mystery" in message and "nothing was restored" in message
    assert "\n" not in message


def test_an_extra_layer_the_project_holds_is_restored(bundled_copy):
    project = open_project(bundled_copy)
    project.add_layer(FeatureLayer("planner_sketch", _sketch([shapely.Point(120.1, 30.2)])))
    project.save()
    project = open_project(bundled_copy)
    rec = recovery_path(bundled_copy)
    sketch = project.layer("planner_sketch")
    sketch.update_attributes(sketch.ids[0], {})  # no change of value, still an edit
    sketch.move_feature(sketch.ids[0], shapely.Point(120.11, 30.21))
    write_recovery(project, rec)
    assert len(load_recovery(rec, project).frames["planner_sketch"]) == 1
    # the same layer name with lines instead of points is not this project's layer
    rec = _recovery_with_extra(open_project(bundled_copy), "planner_sketch", _sketch(
        [shapely.LineString([(120.1, 30.2), (120.2, 30.3)])]))
    with pytest.raises(RecoveryError, match="planner_sketch.*line geometry, not point"):
        load_recovery(rec, project)


def test_a_repeated_feature_id_refuses_the_file(bundled_copy):
    project = open_project(bundled_copy)
    frames = dict(project.frames())
    facilities = frames["facilities"].copy()
    facilities.loc[len(facilities) - 1, "id"] = facilities["id"].iloc[0]
    frames["facilities"] = facilities
    rec = recovery_path(bundled_copy)
    write_project_layers(rec, frames)
    with pytest.raises(RecoveryError, match="twice"):
        load_recovery(rec, project)


def test_a_recursive_view_is_never_run(bundled_copy):
    """It used to hang with growing memory; now it is refused before any layer is read."""
    project = open_project(bundled_copy)
    rec = recovery_path(bundled_copy)
    write_recovery(project, rec)
    con = sqlite3.connect(rec)
    con.execute("CREATE VIEW endless AS WITH RECURSIVE n(i) AS "
                "(SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS fid, i FROM n")
    con.commit()
    con.close()
    script = (f"from layers.io.recovery import load_recovery, RecoveryError\n"
              f"from layers.store import open_project\n"
              f"try:\n    load_recovery({str(rec)!r}, open_project({str(bundled_copy)!r}))\n"
              f"except RecoveryError as exc:\n    print(exc)\n")
    # a subprocess, so that a regression fails here instead of hanging the test run
    res = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "SQL view (endless)" in res.stdout and res.stdout.count("\n") == 1


def test_an_autosave_holds_only_the_edits(bundled_copy):
    project = open_project(bundled_copy)
    edited, gone = project.facilities.ids[3], project.facilities.ids[5]
    project.facilities.update_attributes(edited, {"name": "改过"})
    project.facilities.remove_features([gone])
    rec = write_recovery(project, recovery_path(bundled_copy))
    assert pyogrio.read_info(rec, layer="facilities")["features"] == 1
    assert pyogrio.read_info(rec, layer="communities")["features"] == 0
    recovery = load_recovery(rec, open_project(bundled_copy))
    assert recovery.deleted == {"facilities": [gone]}
    assert recovery.whole == set() and recovery.base == 0
    assert list(recovery.frames["facilities"]["name"]) == ["改过"]


def test_edits_stay_due_after_somebody_else_saves_the_project(bundled_copy):
    import os

    from layers.io.recovery import pending_recovery

    project = open_project(bundled_copy)
    project.facilities.update_attributes(project.facilities.ids[3], {"name": "改过"})
    rec = write_recovery(project, recovery_path(bundled_copy))
    other = open_project(bundled_copy)
    other.facilities.update_attributes(other.facilities.ids[1], {"name": "别人"})
    other.save()
    os.utime(bundled_copy, (rec.stat().st_mtime + 60, rec.stat().st_mtime + 60))
    assert pending_recovery(bundled_copy) == rec
