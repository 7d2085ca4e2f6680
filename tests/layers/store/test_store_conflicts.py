"""Two writers on one project: nothing is overwritten silently, nothing is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pyogrio
import pytest
import shapely

from layers.model.changes import ConflictError
from layers.store import open_project
from layers.store.geometry_blobs import register_functions
from tests.conftest import REPO


def test_rows_nobody_else_touched_merge_without_a_question(bundled_copy):
    mine, theirs = open_project(bundled_copy), open_project(bundled_copy)
    theirs.facilities.add_features({"name": "他们的食堂", "category": "canteen",
                                    "geometry": shapely.Point(120.13, 30.28)})
    edited = theirs.facilities.ids[5]
    theirs.facilities.update_attributes(edited, {"address": "他们写的地址"})
    theirs.save()
    mine.facilities.update_attributes(mine.facilities.ids[1], {"name": "我的改名"})
    mine.save()
    # my window now shows their saved work, and it is no unsaved edit of mine
    assert "他们的食堂" in set(mine.facilities.frame["name"])
    assert mine.facilities.feature(edited)["address"] == "他们写的地址"
    assert not mine.modified
    final = open_project(bundled_copy)
    assert len(final.facilities) == 24
    assert final.facilities.feature(mine.facilities.ids[1])["name"] == "我的改名"


def test_the_same_row_changed_twice_shows_both_versions(bundled_copy):
    mine, theirs = open_project(bundled_copy), open_project(bundled_copy)
    fid = mine.facilities.ids[2]
    theirs.facilities.update_attributes(fid, {"name": "他们的名字"})
    theirs.save()
    mine.facilities.update_attributes(fid, {"name": "我的名字"})
    before = bundled_copy.read_bytes()
    with pytest.raises(ConflictError) as info:
        mine.save()
    assert bundled_copy.read_bytes() == before  # nothing written
    [conflict] = info.value.conflicts
    assert conflict.id == fid
    assert conflict.mine["name"] == "我的名字" and conflict.theirs["name"] == "他们的名字"
    assert mine.modified

    mine.keep_mine(conflict)
    mine.save()
    assert open_project(bundled_copy).facilities.feature(fid)["name"] == "我的名字"


def test_keeping_their_version_drops_mine(bundled_copy):
    mine, theirs = open_project(bundled_copy), open_project(bundled_copy)
    fid = mine.facilities.ids[2]
    theirs.facilities.update_attributes(fid, {"name": "他们的名字"})
    theirs.save()
    mine.facilities.update_attributes(fid, {"name": "我的名字"})
    with pytest.raises(ConflictError) as info:
        mine.save()
    mine.keep_theirs(info.value.conflicts[0])
    assert mine.facilities.feature(fid)["name"] == "他们的名字"
    mine.save()
    assert open_project(bundled_copy).facilities.feature(fid)["name"] == "他们的名字"


def test_editing_a_row_somebody_deleted_is_a_conflict(bundled_copy):
    mine, theirs = open_project(bundled_copy), open_project(bundled_copy)
    fid = mine.facilities.ids[4]
    theirs.facilities.remove_features([fid])
    theirs.save()
    mine.facilities.update_attributes(fid, {"name": "还在"})
    with pytest.raises(ConflictError) as info:
        mine.save()
    [conflict] = info.value.conflicts
    assert conflict.theirs is None and conflict.mine["name"] == "还在"
    mine.keep_theirs(conflict)
    assert not mine.facilities.has_feature(fid)
    mine.save()
    assert len(open_project(bundled_copy).facilities) == 22


def test_an_edit_by_another_program_is_seen(bundled_copy):
    mine = open_project(bundled_copy)
    fid = mine.facilities.ids[0]
    mine.facilities.add_features({"name": "先存一次", "category": "canteen",
                                  "geometry": shapely.Point(120.13, 30.28)})
    mine.save()  # the file is now versioned
    with sqlite3.connect(bundled_copy) as con:  # QGIS or a script edits the row
        register_functions(con)
        con.execute("UPDATE facilities SET name = 'QGIS 改的' WHERE id = ?", (fid,))
    mine.facilities.update_attributes(fid, {"name": "我改的"})
    with pytest.raises(ConflictError) as info:
        mine.save()
    assert info.value.conflicts[0].theirs["name"] == "QGIS 改的"


IMPORTER = """
import subprocess, sys
from pathlib import Path
project, tag, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
for i in range(int(sys.argv[4]) if len(sys.argv) > 4 else 20):
    csv = folder / f"{tag}_{i}.csv"
    lon = 120.0 + (0.01 if tag == "a" else 0.02) + i * 0.001
    csv.write_text("name,category,lon,lat\\n"
                   + "".join(f"{tag}{i}-{k},食堂,{lon:.4f},{30.0 + k * 0.001:.4f}\\n"
                             for k in range(3)), encoding="utf-8")
    done = subprocess.run([sys.executable, "main.py", "import", "--project", project, str(csv)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr.strip())
        sys.exit(1)
"""


def test_two_processes_importing_twenty_times_lose_nothing(bundled_copy, tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", IMPORTER, str(bundled_copy), tag,
                               str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
    names = set(pyogrio.read_dataframe(bundled_copy, layer="facilities")["name"])
    expected = {f"{tag}{i}-{k}" for tag in "ab" for i in range(20) for k in range(3)}
    assert expected <= names
    assert len(open_project(bundled_copy).facilities) == 23 + len(expected)


def test_the_record_of_deletions_stays_bounded_and_old_windows_still_see_them(
        bundled_copy, monkeypatch):
    from layers.store import geopackage

    monkeypatch.setattr(geopackage, "KEEP_DELETIONS", 3)
    old_window, other = open_project(bundled_copy), open_project(bundled_copy)
    victims = list(other.facilities.ids[:12])
    for fid in victims:
        other.facilities.remove_features([fid])
        other.save()
    with sqlite3.connect(bundled_copy) as con:
        kept = con.execute("SELECT count(*) FROM facility_mapper_deleted").fetchone()[0]
    assert kept <= 2 * 3
    old_window.facilities.update_attributes(victims[0], {"name": "还在吗"})
    with pytest.raises(ConflictError) as info:
        old_window.save()
    assert info.value.conflicts[0].theirs is None
