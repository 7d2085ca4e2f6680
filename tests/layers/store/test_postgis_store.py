"""A team on PostGIS: the bundled project copied into a real server, two planners at once."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
import shapely

from layers.model.changes import ConflictError, StoreBusyError
from layers.store import open_project, save_as
from layers.store.postgis import PostgisStore, split_url
from tests.conftest import BUNDLED, REPO
from tests.layers.store.test_store_conflicts import IMPORTER

pytestmark = pytest.mark.postgres


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def _copied(url: str) -> str:
    done = _run("copy-project", str(BUNDLED), url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("copied 2 layers (facilities 23, communities 14)")
    return url


def test_copy_project_round_trips_every_layer_and_field(postgis_url, tmp_path):
    _copied(postgis_url)
    db = open_project(postgis_url)
    original = open_project(BUNDLED)
    for name in ("facilities", "communities"):
        a = original.layer(name).frame.sort_values("id").reset_index(drop=True)
        b = db.layer(name).frame.sort_values("id").reset_index(drop=True)
        assert list(a.columns) == list(b.columns)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
        assert a.geometry.geom_equals_exact(b.geometry, 1e-12).all()
    back = tmp_path / "back.gpkg"
    done = _run("copy-project", postgis_url, str(back))
    assert done.returncode == 0, done.stderr
    assert len(open_project(back).facilities) == 23
    conninfo, schema = split_url(postgis_url)
    with psycopg.connect(conninfo) as con:  # geometry in 4326 with a GiST index
        srid = con.execute(f"SELECT Find_SRID('{schema}', 'facilities', 'geom')").fetchone()[0]
        gist = con.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND "
                           "tablename = 'facilities' AND indexdef LIKE '%%gist%%'",
                           (schema,)).fetchone()[0]
    assert srid == 4326 and gist == 1


def test_commands_work_on_a_database_project(postgis_url):
    _copied(postgis_url)
    info = _run("info", "--project", postgis_url)
    assert info.returncode == 0, info.stderr
    assert "layer facilities: 23 features (Point)" in info.stdout
    audit = _run("audit", "--project", postgis_url, "--format", "csv")
    assert audit.returncode == 0, audit.stderr
    assert "翠苑一区" in audit.stdout


def test_two_planners_different_rows_merge_same_row_conflicts(postgis_url):
    _copied(postgis_url)
    mine, theirs = open_project(postgis_url), open_project(postgis_url)
    theirs.facilities.add_features({"name": "他们的食堂", "category": "canteen",
                                    "geometry": shapely.Point(120.13, 30.28)})
    shared = mine.facilities.ids[2]
    theirs.facilities.update_attributes(shared, {"name": "他们的名字"})
    theirs.save()
    mine.facilities.update_attributes(mine.facilities.ids[1], {"name": "我的改名"})
    mine.facilities.update_attributes(shared, {"name": "我的名字"})
    with pytest.raises(ConflictError) as info:
        mine.save()
    [conflict] = info.value.conflicts
    assert conflict.id == shared and conflict.theirs["name"] == "他们的名字"
    assert conflict.mine["name"] == "我的名字"
    mine.keep_mine(conflict)
    mine.save()
    assert "他们的食堂" in set(mine.facilities.frame["name"])  # their new row merged in
    final = open_project(postgis_url).facilities
    assert len(final) == 24
    assert final.feature(shared)["name"] == "我的名字"
    assert final.feature(mine.facilities.ids[1])["name"] == "我的改名"


def test_an_edit_made_in_another_program_is_a_conflict(postgis_url):
    _copied(postgis_url)
    mine = open_project(postgis_url)
    fid = mine.facilities.ids[0]
    conninfo, schema = split_url(postgis_url)
    with psycopg.connect(conninfo) as con:  # QGIS editing the table directly
        con.execute(f"UPDATE {schema}.facilities SET name = 'QGIS 改的' WHERE id = %s", (fid,))
    mine.facilities.update_attributes(fid, {"name": "我改的"})
    with pytest.raises(ConflictError) as info:
        mine.save()
    assert info.value.conflicts[0].theirs["name"] == "QGIS 改的"


def test_a_second_writer_waits_then_gets_one_line(postgis_url, monkeypatch):
    from layers.store import postgis

    _copied(postgis_url)
    monkeypatch.setattr(postgis, "LOCK_TIMEOUT_S", 1)
    holder = PostgisStore(postgis_url)
    project = open_project(postgis_url)
    project.facilities.update_attributes(project.facilities.ids[0], {"name": "等一下"})
    with holder.lock(), pytest.raises(StoreBusyError, match="being written by another"):
        project.save()
    project.save()
    assert open_project(postgis_url).facilities.feature(
        project.facilities.ids[0])["name"] == "等一下"




def test_two_concurrent_imports_lose_nothing(postgis_url, tmp_path):
    _copied(postgis_url)
    procs = [subprocess.Popen([sys.executable, "-c", IMPORTER, postgis_url, tag, str(tmp_path),
                               "10"],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
    names = set(open_project(postgis_url).facilities.frame["name"])
    expected = {f"{tag}{i}-{k}" for tag in "ab" for i in range(10) for k in range(3)}
    assert expected <= names
    assert len(open_project(postgis_url).facilities) == 23 + len(expected)


def test_save_as_into_a_schema_that_holds_a_project_is_refused(postgis_url):
    from layers.model.changes import StoreError

    _copied(postgis_url)
    with pytest.raises(StoreError, match="already holds a project"):
        save_as(open_project(BUNDLED), postgis_url)
