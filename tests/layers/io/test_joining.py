"""Joining a table of figures onto the communities layer by name or id."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyogrio
import pytest

from layers import store
from layers.cli import run
from layers.io.joining import JoinError, apply_join, plan_join, read_table

TODAY = dt.date(2026, 12, 3)


def _communities(path):
    frame = pyogrio.read_dataframe(path, layer="communities")
    return frame.set_index("name")


def _write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


TABLE = ("社区名称,常住人口,户数\n"
         "翠光,1.2万,3000余户\n"           # loose: without 社区
         " 翠苑一區 ,9800,3146\n"          # traditional, spaces; 10000 and 3146 already there
         "金耐社区,abc,八十余户\n"          # duplicate key below
         "金耐社区,1,2\n"
         "不存在社区,5,5\n"
         "耐火小区,两百,\n"                 # an empty cell
         "汉东楼社区,12.5,3000人\n"         # not whole; wrong unit
         ",7,7\n")                          # no key


def test_join_fills_population_and_reports_every_row(bundled_copy, tmp_path, capsys):
    table = _write_csv(tmp_path / "人口.csv", TABLE, "gbk")
    assert run(["join", str(table), "--fields", "population,households",
                "--project", str(bundled_copy)]) == 0
    out = capsys.readouterr().out
    assert "encoding gb18030" in out
    assert "matched rows: 4" in out
    assert "loose matches (with or without 社区): 1: 翠光 → 翠光社区" in out
    assert "table keys not in the layer: 1: 不存在社区" in out
    assert "duplicate keys in the table (skipped): 1: 金耐社区 ×2" in out
    assert "rows without a key (skipped): 1" in out
    assert "invalid numbers (skipped): 2" in out and "not a whole number" in out
    assert "unit 人 does not fit households" in out
    assert "values already the same: 1" in out
    assert "conflicting values (kept; --overwrite replaces them): 1: 翠苑一区.population " \
           "10000 ≠ 9800" in out
    assert "empty cells (nothing taken): 1" in out
    assert "approximate values (noted 约 in notes): 1" in out
    c = _communities(bundled_copy)
    assert c.loc["翠光社区", "population"] == 12000
    assert c.loc["翠光社区", "households"] == 3000
    assert "约3000户" in c.loc["翠光社区", "notes"]
    assert "population, households from 人口.csv (joined " in c.loc["翠光社区", "notes"]
    assert c.loc["翠苑一区", "population"] == 10000  # the article's figure is kept
    assert c.loc["耐火小区", "population"] == 200
    assert pd.isna(c.loc["金耐社区", "population"])  # duplicates are skipped
    assert pd.isna(c.loc["汉东楼社区", "population"])
    # the layer's features the table does not name are listed
    assert "layer features not in the table: 9:" in out
    assert "金耐社区" not in out.split("layer features not in the table")[1].split("\n")[0]


def test_dry_run_writes_nothing(bundled_copy, tmp_path, capsys):
    table = _write_csv(tmp_path / "t.csv", TABLE)
    before = bundled_copy.read_bytes()
    assert run(["join", str(table), "--fields", "population", "--dry-run",
                "--project", str(bundled_copy)]) == 0
    assert "dry run: nothing written" in capsys.readouterr().out
    assert bundled_copy.read_bytes() == before


def test_conflicting_values_are_kept_unless_overwrite(bundled_copy, tmp_path, capsys):
    table = _write_csv(tmp_path / "t.csv", "名称,户数\n翠苑一区,3200\n")  # article: 3146
    assert run(["join", str(table), "--fields", "households", "--format", "json",
                "--project", str(bundled_copy)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conflicts"] == [{"key": "翠苑一区", "feature": "翠苑一区",
                                    "field": "households", "old": 3146, "new": 3200}]
    assert report["saved"] is False and report["values_set"] == 0
    assert _communities(bundled_copy).loc["翠苑一区", "households"] == 3146
    assert run(["join", str(table), "--fields", "households", "--overwrite",
                "--project", str(bundled_copy)]) == 0
    assert "conflicting values (overwritten): 1: 翠苑一区.households 3146 ≠ 3200" in (
        capsys.readouterr().out)
    assert _communities(bundled_copy).loc["翠苑一区", "households"] == 3200


def test_join_by_id_from_xlsx_with_a_named_column(bundled_copy, tmp_path, capsys):
    ids = _communities(bundled_copy)["id"]
    table = pd.DataFrame({"编号": [ids["金耐社区"], ids["翠屏社区"]],
                          "居民数": ["两千三百", "１２００"]})
    path = tmp_path / "t.xlsx"
    table.to_excel(path, index=False)
    assert run(["join", str(path), "--on", "id", "--fields", "population=居民数",
                "--project", str(bundled_copy)]) == 0
    assert "matched rows: 2" in capsys.readouterr().out
    c = _communities(bundled_copy)
    assert (c.loc["金耐社区", "population"], c.loc["翠屏社区", "population"]) == (2300, 1200)


def test_a_missing_column_or_field_is_one_line(bundled_copy, tmp_path, capsys):
    table = _write_csv(tmp_path / "t.csv", "名称,人数\n翠光社区,5\n")
    assert run(["join", str(table), "--fields", "population",
                "--project", str(bundled_copy)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no column 'population'" in err
    assert run(["join", str(table), "--fields", "nonsense=人数",
                "--project", str(bundled_copy)]) == 2
    assert "has no field 'nonsense'" in capsys.readouterr().err
    assert run(["join", str(tmp_path / "missing.csv"), "--fields", "population",
                "--project", str(bundled_copy)]) == 2
    assert "file not found" in capsys.readouterr().err


def test_a_name_shared_by_two_features_is_ambiguous_not_guessed(bundled_copy, tmp_path):
    project = store.open_project(bundled_copy)
    layer = project.communities
    fid = layer.frame["id"].iat[1]
    layer.update_attributes(fid, {"name": "翠光"})  # 翠光 and 翠光社区 now both fit 翠光
    table = pd.DataFrame({"name": ["翠光社区", "翠光"], "population": ["100", "200"]})
    plan = plan_join(table, layer, "name", {"population": None}, "t.csv", today=TODAY)
    assert [k for k, _ in plan.matched] == ["翠光社区", "翠光"]  # exact beats loose
    table = pd.DataFrame({"name": ["翠光社"], "population": ["100"]})
    plan = plan_join(table, layer, "name", {"population": None}, "t.csv", today=TODAY)
    assert plan.not_in_layer == ["翠光社"]


def test_applying_a_plan_returns_what_undo_needs(bundled_copy):
    project = store.open_project(bundled_copy)
    layer = project.communities
    table = pd.DataFrame({"社区": ["翠屏社区"], "人口": ["约5000"]})
    plan = plan_join(table, layer, "name", {"population": None}, "街道.csv", today=TODAY)
    old = apply_join(layer, plan)
    fid = next(iter(plan.changes))
    assert layer.feature(fid)["population"] == 5000
    assert "population from 街道.csv (joined 2026-12-03; population 约5000" in (
        layer.feature(fid)["notes"])
    assert old[fid]["population"] is None
    layer.update_attributes(fid, old[fid])
    assert pd.isna(layer.feature(fid)["population"])


def test_read_table_ignores_geometry_of_a_geodata_file(tmp_path):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"name": ["翠光社区"], "population": [1234]},
                             geometry=[shapely.Point(119.17, 29.03)], crs="EPSG:4326")
    frame.to_file(tmp_path / "t.geojson")
    table, _ = read_table(tmp_path / "t.geojson")
    assert list(table.columns) == ["name", "population"]
    assert table["population"].iat[0] == "1234"
    with pytest.raises(JoinError, match="header but no rows"):
        read_table(_write_csv(tmp_path / "h.csv", "name,population\n"))
