"""A facility or community with an empty or NaN geometry has no position: left out, and said so."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.cli import run
from layers.model.layer import FeatureLayer
from layers.store import open_project


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_empty_and_nan_geometries_are_read_as_no_position(no_position_copy):
    project = open_project(no_position_copy)
    facilities = project.facilities.frame
    unplaced = facilities[facilities["id"].str.startswith("no-position")]
    assert len(unplaced) == 2 and unplaced.geometry.isna().all()
    # a layer the app has no schema for: NaN vertices and an empty polygon are no position too
    other = FeatureLayer("planner_sketch", gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]},
        geometry=[shapely.LineString([(np.nan, np.nan), (120.1, 30.2)]), shapely.Polygon(),
                  shapely.LineString([(120.1, 30.2), (120.2, 30.3)])], crs=4326))
    assert other.frame.geometry.isna().tolist() == [True, True, False]


def test_circles_skip_facilities_without_position_and_say_so(no_position_copy, tmp_path,
                                                            capsys):
    project = open_project(no_position_copy)
    placed = len(project.facilities) - 2
    out = tmp_path / "circles.geojson"
    assert run(["circles", "--minutes", "10", "--out", str(out),
                "--project", str(no_position_copy)]) == 0
    printed = capsys.readouterr().out
    assert "2 facilities have no position: skipped" in printed
    circles = gpd.read_file(out)
    assert len(circles) == placed
    assert not circles["facility_id"].str.startswith("no-position").any()
    assert circles.geometry.is_valid.all() and not circles.geometry.is_empty.any()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_audit_skips_them_and_says_so_without_spoiling_the_output(no_position_copy, tmp_path,
                                                                  capsys, fmt):
    out = tmp_path / f"audit.{fmt}"
    assert run(["audit", "--format", fmt, "--out", str(out),
                "--project", str(no_position_copy)]) == 0
    err = capsys.readouterr().err
    assert "2 facilities have no position: skipped" in err
    assert "1 community has no position: not audited" in err
    text = out.read_text(encoding="utf-8-sig")
    assert "无位置0" not in text  # the community with no position is not reported as lacking all
    if fmt == "json":
        rows = json.loads(text)
        assert len(rows) == len(open_project(no_position_copy).communities) - 1
        # the facilities that do have a position still count
        assert any(r["covered"] for r in rows)


def test_audit_to_standard_output_stays_pure_json(no_position_copy, capsys):
    assert run(["audit", "--format", "json", "--project", str(no_position_copy)]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "no position" in captured.err


def test_the_html_map_leaves_them_out_and_says_so(no_position_copy, tmp_path, capsys):
    out = tmp_path / "map.html"
    assert run(["export-html", "--out", str(out), "--tiles", "none",
                "--project", str(no_position_copy)]) == 0
    printed = capsys.readouterr().out
    assert "2 facilities have no position: not drawn" in printed
    assert "1 community has no position: not drawn" in printed
    data = _map_data(out)
    assert "无位置" not in data and "NaN" not in data


def _map_data(page: Path) -> str:
    """The map's data as embedded in the exported page."""
    text = page.read_text(encoding="utf-8")
    start = text.index('id="fm-data">') + len('id="fm-data">')
    return text[start:text.index("</script>", start)]


@pytest.mark.browser
def test_the_html_map_draws_every_placed_marker(no_position_copy, tmp_path):
    from layers.export.html import export_html
    from tests.browser import file_url, offline_page

    project = open_project(no_position_copy)
    out = export_html(project, tmp_path / "map.html", minutes=10, tiles=None)
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        page.wait_for_function("typeof window.facilityMapStats === 'function'", timeout=15000)
        stats = page.evaluate("window.facilityMapStats()")
        assert stats["facilities"] == len(project.facilities) - 2
        assert stats["communities"] == len(project.communities) - 1
        assert stats["service_circles"] == len(project.facilities) - 2
        assert errors == [] and blocked == []
