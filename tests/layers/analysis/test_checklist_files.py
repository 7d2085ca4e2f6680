"""Checklist files a planner edits by hand: good ones load, broken ones give one line."""

import subprocess
import sys

import pytest

from layers.analysis.checklist import ChecklistError, load_checklist
from tests.conftest import REPO

GOOD = """name = "我们街道的清单"
[[items]]
category = "canteen"
minutes = 15
[[items]]
category = "党群服务站"
minutes = 5
"""

BROKEN = {
    "not_toml.toml": ("name = [unclosed", "not valid TOML"),
    "unknown.toml": ('[[items]]\ncategory = "理发店"\n', "unknown category '理发店'"),
    "no_category.toml": ("[[items]]\nminutes = 10\n", "unknown category ''"),
    "text_minutes.toml": ('[[items]]\ncategory = "canteen"\nminutes = "ten"\n',
                          "must be a number"),
    "bool_minutes.toml": ('[[items]]\ncategory = "canteen"\nminutes = true\n',
                          "must be a number"),
    "nan_minutes.toml": ('[[items]]\ncategory = "canteen"\nminutes = nan\n', "between 0 and 120"),
    "zero_minutes.toml": ('[[items]]\ncategory = "canteen"\nminutes = 0\n', "between 0 and 120"),
    "twice.toml": ('[[items]]\ncategory = "canteen"\n[[items]]\ncategory = "食堂"\n',
                   "listed twice"),
    "items_not_tables.toml": ('items = ["canteen"]\n', "[[items]] table"),
    "empty.toml": ("", "has no items"),
    "binary.toml": (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
}


def test_good_checklist_with_chinese_names(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    checklist = load_checklist(path)
    assert checklist.name == "我们街道的清单"
    assert [(i.category, i.minutes) for i in checklist.items] == [("canteen", 15.0),
                                                                   ("service_station", 5.0)]


def test_gbk_checklist_is_read(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(GOOD.encode("gbk"))
    assert load_checklist(path).name == "我们街道的清单"


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_checklist_is_one_line(tmp_path, name):
    content, expected = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_cli_audit_with_a_broken_checklist(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[items]]\ncategory = "canteen"\nminutes = -5\n', encoding="utf-8")
    res = subprocess.run([sys.executable, "main.py", "audit", "--checklist", str(path)],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "between 0 and 120" in res.stderr
    res = subprocess.run([sys.executable, "main.py", "audit", "--checklist",
                          str(tmp_path / "missing.toml")], cwd=REPO, capture_output=True,
                         text=True)
    assert res.returncode == 2 and "missing.toml" in res.stderr and "Traceback" not in res.stderr
