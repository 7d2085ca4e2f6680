"""What an imported row says: its category, its notes and its location precision."""

from __future__ import annotations

from layers.cli import run
from layers.io.importing import read_import, to_layer_frame
from layers.model.categories import category_for_label
from layers.model.project import Project
from layers.model.schema import PRECISIONS
from layers.store import open_project, save_as
from tests.conftest import REPO

CORPUS = REPO / "tests" / "import_corpus"


def _imported(path, layer="facilities"):
    raw, report = read_import(path)
    return to_layer_frame(raw, layer, report), report


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_gym_is_not_a_public_activity_space(tmp_path):
    path = _write(tmp_path / "gyms.csv", "name,category,notes,lon,lat\n"
                  "星光健身,健身房,,120.13,30.28\n"
                  "力美健身,健身房,二楼,120.14,30.28\n"
                  "翠苑健身广场,健身广场,,120.15,30.28\n")
    frame, report = _imported(path)
    assert list(frame["category"]) == ["other", "other", "activity_space"]
    assert list(frame["notes"][:2]) == ["原类别: 健身房", "二楼; 原类别: 健身房"]
    assert not frame["notes"].iloc[2]  # a known category leaves the notes alone
    assert report.unknown_categories == {"健身房": 2}


def test_each_unknown_label_is_reported_once_with_its_count(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    save_as(Project(), project)
    assert run(["import", str(CORPUS / "unknown_categories.csv"), "--project",
                str(project)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "unknown categories" in line]
    assert lines == ["unknown categories (imported as other): ??? ×1, 理发 ×1"]
    frame = open_project(project).facilities.frame.set_index("name")
    assert frame.loc["理发店", "category"] == "other"
    assert frame.loc["理发店", "notes"] == "原类别: 理发"
    assert frame.loc["社区食堂", "category"] == "canteen"


def test_category_labels_match_whole_words_not_fragments():
    assert category_for_label("食堂") == "canteen"  # a short form on its own
    assert category_for_label("社区老年食堂") == "canteen"  # contains a full name
    assert category_for_label("canteen") == "canteen"
    assert category_for_label(" Pocket park ") == "pocket_park"
    assert category_for_label("其他") == "other"
    assert category_for_label("健身房") is None  # 健身 is a short form, a gym is not ours
    assert category_for_label("卫生服务站") is None  # a clinic, not a service station
    assert category_for_label("") is None


def test_imported_rows_say_their_position_comes_from_the_file():
    frame, _ = _imported(CORPUS / "good_utf8.csv")
    assert list(frame["location_precision"]) == ["from-file"] * 3
    communities, _ = _imported(CORPUS / "good_utf8.csv", "communities")
    assert list(communities["location_precision"]) == ["from-file"] * 3


def test_a_precision_column_is_used_when_valid(tmp_path):
    path = _write(tmp_path / "p.csv", "名称,类别,位置精度,备注,经度,纬度\n"
                  "甲食堂,食堂,surveyed,,120.13,30.28\n"
                  "乙食堂,食堂,Approximate-Street,,120.14,30.28\n"
                  "丙食堂,食堂,about right,旧址,120.15,30.28\n"
                  "丁食堂,食堂,,,120.16,30.28\n")
    frame, report = _imported(path)
    assert list(frame["location_precision"]) == ["surveyed", "approximate-street",
                                                 "from-file", "from-file"]
    assert frame["notes"].iloc[2] == "旧址; 原位置精度: about right"
    assert set(frame["location_precision"]) <= set(PRECISIONS)
    lines = [w for w in report.warnings if "location precision" in w]
    assert len(lines) == 1 and lines[0].startswith("1 row")


def test_no_imported_row_has_an_empty_precision_from_the_command_line(tmp_path):
    project = tmp_path / "p.gpkg"
    save_as(Project(), project)
    for name in ("good.geojson", "good.kml", "good.xlsx", "shapefile.zip"):
        assert run(["import", str(CORPUS / name), "--project", str(project),
                    "--allow-duplicates"]) == 0
    precision = open_project(project).facilities.frame["location_precision"]
    assert len(precision) == 12 and (precision == "from-file").all()
