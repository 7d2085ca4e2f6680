"""A team on PostGIS, live: others' saves are announced and loaded, and who changed what."""

from __future__ import annotations

import psycopg
import pytest
import shapely

from layers.model.changes import ConflictError
from layers.store import open_project, save_as
from layers.store.live import catch_up
from layers.store.postgis import PostgisStore, location_label, split_url
from tests.conftest import BUNDLED

pytestmark = pytest.mark.postgres


def _project_in(url: str) -> str:
    save_as(open_project(BUNDLED), url)
    return url


def test_a_save_is_announced_and_loaded_while_own_unsaved_edits_survive(postgis_url):
    _project_in(postgis_url)
    mine, theirs = open_project(postgis_url), open_project(postgis_url)
    listener = mine.store.listen()
    try:
        assert listener.poll(0) == []
        own, other = mine.facilities.ids[1], mine.facilities.ids[2]
        mine.facilities.update_attributes(own, {"name": "我没存的改名"})
        theirs.facilities.update_attributes(other, {"name": "他们存的名字"})
        theirs.facilities.add_features({"name": "他们的新食堂", "category": "canteen",
                                        "geometry": shapely.Point(120.13, 30.28)})
        theirs.save()
        heard = listener.poll(timeout=10)
        assert heard == [theirs.revision]
        refreshed = catch_up(mine)
    finally:
        listener.close()
    assert refreshed.loaded == 2 and refreshed.conflicts == []
    assert mine.facilities.feature(other)["name"] == "他们存的名字"
    assert "他们的新食堂" in set(mine.facilities.frame["name"])
    assert mine.facilities.feature(own)["name"] == "我没存的改名"  # kept, still unsaved
    assert mine.modified and mine.revision == theirs.revision
    assert catch_up(mine, refreshed.revision).loaded == 0  # nothing new: nothing reported
    mine.save()
    final = open_project(postgis_url).facilities
    assert final.feature(own)["name"] == "我没存的改名"
    assert final.feature(other)["name"] == "他们存的名字"
    assert len(final) == 24


def test_a_row_changed_on_both_sides_keeps_mine_and_conflicts_on_save(postgis_url):
    _project_in(postgis_url)
    mine, theirs = open_project(postgis_url), open_project(postgis_url)
    shared = mine.facilities.ids[0]
    mine.facilities.update_attributes(shared, {"name": "我的名字"})
    theirs.facilities.update_attributes(shared, {"name": "他们的名字"})
    theirs.facilities.update_attributes(theirs.facilities.ids[3], {"name": "别的改动"})
    theirs.save()
    refreshed = catch_up(mine)
    assert [c.id for c in refreshed.conflicts] == [shared]
    assert refreshed.conflicts[0].theirs["name"] == "他们的名字"
    assert mine.facilities.feature(shared)["name"] == "我的名字"  # never overwritten
    assert mine.facilities.feature(mine.facilities.ids[3])["name"] == "别的改动"
    # a second catch-up merges nothing new and still reports the conflict
    again = catch_up(mine, refreshed.revision)
    assert again.loaded == 0 and len(again.conflicts) == 1
    with pytest.raises(ConflictError):  # the planner chooses when saving
        mine.save()


def test_an_edit_made_in_psql_is_announced_and_loaded(postgis_url):
    _project_in(postgis_url)
    mine = open_project(postgis_url)
    listener = mine.store.listen()
    fid = mine.facilities.ids[4]
    conninfo, schema = split_url(postgis_url)
    try:
        with psycopg.connect(conninfo) as con:  # QGIS editing the table directly
            con.execute(f"UPDATE {schema}.facilities SET name = 'QGIS 改的' WHERE id = %s",
                        (fid,))
        assert listener.poll(timeout=10)
    finally:
        listener.close()
    assert catch_up(mine).loaded == 1
    assert mine.facilities.feature(fid)["name"] == "QGIS 改的"
    assert not mine.modified


def test_the_history_says_who_changed_what(postgis_url):
    _project_in(postgis_url)
    conninfo, schema = split_url(postgis_url)
    project = open_project(PostgisStore(postgis_url, planner="王工"))
    fid = project.facilities.ids[0]
    old = project.facilities.feature(fid)
    assert project.store.history("facilities", fid) == []  # the copy is no edit
    project.facilities.update_attributes(fid, {"name": "新名字", "notes": "已核实"})
    project.save()
    [entry] = project.store.history("facilities", fid)
    assert entry.action == "update" and entry.planner == "王工"
    assert entry.revision == project.revision
    assert entry.changes == {"name": {"old": old["name"], "new": "新名字"},
                             "notes": {"old": old["notes"], "new": "已核实"}}
    with psycopg.connect(conninfo) as con:
        user = con.execute("SELECT current_user").fetchone()[0]
        con.execute(f"UPDATE {schema}.facilities SET geom = ST_SetSRID(ST_MakePoint(120.1, 30.2),"
                    " 4326) WHERE id = %s", (fid,))
    newest = project.store.history("facilities", fid)[0]
    assert entry.who == user and newest.who == user and newest.planner is None
    assert newest.changes == {"geometry": {"old": newest.changes["geometry"]["old"],
                                           "new": "POINT(120.1 30.2)"}}
    project.facilities.add_features({"name": "新食堂", "category": "canteen",
                                     "geometry": shapely.Point(120.13, 30.28)})
    added = project.facilities.ids[-1]
    project.save()
    [insert] = project.store.history("facilities", added)
    assert insert.action == "insert" and insert.changes["name"] == {"old": None, "new": "新食堂"}
    project.facilities.remove_features([added])
    project.save()
    delete = project.store.history("facilities", added)[0]
    assert delete.action == "delete" and delete.changes["name"] == {"old": "新食堂", "new": None}
    project.store.close()


def test_a_database_project_is_named_db_and_schema():
    url = "postgresql://planner@db.example:5432/district?schema=team"
    assert location_label(url) == "district · team"
