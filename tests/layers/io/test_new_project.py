"""``new``: an empty project, or one made from a planner's own files."""

import geopandas as gpd
import shapely

from layers.cli import run
from layers.io.new_project import (
    SKIP,
    build_project,
    category_labels,
    is_project_file,
    plan_sources,
)
from layers.store import open_project
from tests.conftest import BUNDLED, REPO

CORPUS = REPO / "tests" / "import_corpus"


def test_new_makes_an_empty_project_that_opens(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    assert run(["new", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"created {out}: 0 facilities, 0 communities"
    project = open_project(out)
    assert len(project.facilities) == 0 and len(project.communities) == 0
    assert is_project_file(out)


def test_new_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    out.write_bytes(b"precious")
    assert run(["new", str(out)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and err.count("\n") == 1
    assert out.read_bytes() == b"precious"
    assert run(["new", str(out), "--force"]) == 0
    assert len(open_project(out).facilities) == 0


def test_new_from_the_corpus_puts_each_layer_where_it_belongs(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    files = ["good.geojson", "boundaries.geojson", "roads.geojson", "shapefile.zip",
             "two_layers.gpkg"]
    argv = ["new", str(out)]
    for name in files:
        argv += ["--from", str(CORPUS / name)]
    assert run(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "good.geojson → facilities: 3 rows"
    assert lines[1].startswith("boundaries.geojson → boundaries: 2 rows, repaired 1")
    assert lines[2].startswith("roads.geojson → roads: 2 rows, skipped 1")
    assert "not lines" in lines[2]
    # the same facilities again: skipped as duplicates, saying so
    assert lines[3].startswith("shapefile.zip → facilities: 0 rows, skipped 3")
    assert "already in the project" in lines[3]
    assert lines[4].startswith("two_layers.gpkg:facilities → facilities")
    assert lines[5].startswith("two_layers.gpkg:other → facilities")
    assert lines[6].startswith(f"created {out}")
    project = open_project(out)
    assert len(project.facilities) == 3
    assert len(project.layer("boundaries")) == 2
    assert len(project.layer("roads")) == 2
    assert set(project.facilities.frame["category"]) == {"canteen", "service_station",
                                                         "charging_shed"}


def test_a_planners_own_shapefile_of_facilities(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    assert run(["new", str(out), "--from", str(CORPUS / "shapefile.zip")]) == 0
    assert capsys.readouterr().out.startswith("shapefile.zip → facilities: 3 rows")
    names = set(open_project(out).facilities.frame["name"])
    assert "人人坞党群服务站" in names


def test_points_with_households_are_communities(tmp_path, capsys):
    src = tmp_path / "社区.geojson"
    gpd.GeoDataFrame({"社区名称": ["翠苑一区", "文新"], "户数": ["1200", "800"]},
                     geometry=[shapely.Point(120.13, 30.28), shapely.Point(120.12, 30.29)],
                     crs="EPSG:4326").to_file(src)
    out = tmp_path / "mine.gpkg"
    assert run(["new", str(out), "--from", str(src)]) == 0
    assert capsys.readouterr().out.startswith("社区.geojson → communities: 2 rows")
    project = open_project(out)
    assert len(project.communities) == 2 and len(project.facilities) == 0
    assert sorted(project.communities.frame["households"]) == [800, 1200]


def test_an_unreadable_source_is_reported_and_the_rest_imported(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    assert run(["new", str(out), "--from", str(CORPUS / "html_saved_as.csv"),
                "--from", str(CORPUS / "good.geojson")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("html_saved_as.csv → skipped:") and "web page" in lines[0]
    assert lines[1] == "good.geojson → facilities: 3 rows"


def test_a_missing_source_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "mine.gpkg"
    assert run(["new", str(out), "--from", str(tmp_path / "nope.shp")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert not out.exists()


def test_the_category_map_the_planner_chose_is_used(tmp_path):
    plan = plan_sources([CORPUS / "unknown_categories.csv"])
    [source] = plan
    labels = {label: cat for label, cat, _ in category_labels(source)}
    assert labels["理发"] == "other"
    source.category_map["理发"] = "activity_space"
    project, lines = build_project(plan)
    frame = project.facilities.frame
    assert (frame["category"] == "activity_space").sum() == 1
    assert "理发" not in lines[0]  # no longer unknown


def test_a_skipped_layer_is_left_out_and_said(tmp_path):
    plan = plan_sources([CORPUS / "two_layers.gpkg"])
    plan[1].target = SKIP
    plan[1].reason = "left out by the planner"
    project, lines = build_project(plan)
    assert lines[1] == "two_layers.gpkg:other → skipped: left out by the planner"


def test_project_or_not(tmp_path):
    assert is_project_file(BUNDLED)
    assert not is_project_file(CORPUS / "two_layers.gpkg")  # no 'id': somebody's data
    assert not is_project_file(CORPUS / "good.geojson")
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"not sqlite at all")
    assert is_project_file(broken)  # a project that is broken: the store says why
