"""Read-only commands read only the fields they need, and such a read can never be saved."""

from __future__ import annotations

import subprocess
import sys

import pyogrio
import pytest

from layers.io.project_file import read_project_file
from layers.model.changes import ChangeSet, StoreError
from layers.store import GeoPackageStore, open_project
from tests.conftest import REPO


def test_a_partial_read_holds_only_the_named_fields(bundled_copy):
    whole = read_project_file(bundled_copy).frames
    read = read_project_file(bundled_copy, columns={"facilities": ("name", "category")},
                             layers=("communities", "facilities"))
    facilities = read.frames["facilities"]
    assert list(facilities.columns) == ["name", "category", "geometry"]
    assert facilities["name"].tolist() == whole["facilities"]["name"].tolist()
    assert facilities.geometry.equals(whole["facilities"].geometry)
    # communities were read whole; the layers not asked for were not read at all
    assert list(read.frames["communities"].columns) == list(whole["communities"].columns)
    assert set(read.frames) == {"communities", "facilities"}


def test_a_store_read_in_part_refuses_to_save(bundled_copy):
    store = GeoPackageStore(bundled_copy)
    store.read(columns={"facilities": ("name",)})
    before = bundled_copy.read_bytes()
    with pytest.raises(StoreError, match="read in part"):
        store.apply(ChangeSet([]), 0)
    assert bundled_copy.read_bytes() == before
    # a whole read of the same file still saves
    project = open_project(bundled_copy)
    project.facilities.update_attributes(project.facilities.frame["id"].iat[0], {"name": "改名"})
    project.save()
    assert "改名" in pyogrio.read_dataframe(bundled_copy, layer="facilities")["name"].tolist()


def test_audit_reads_only_what_it_needs_and_reports_the_same(bundled_copy, tmp_path):
    ours = tmp_path / "audit.csv"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--project",
                           str(bundled_copy), "--quiet", "audit", "--format", "csv",
                           "--out", str(ours)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    from layers.analysis.checklist import load_checklist
    from layers.analysis.coverage import audit_csv, run_audit
    from layers.cli import build_parser
    from layers.commands.base import walk_from_args
    from layers.io.spreadsheet import CSV_ENCODING

    args = build_parser().parse_args(["--project", str(bundled_copy), "audit"])
    checklist = load_checklist(None).with_minutes(None)
    project = open_project(bundled_copy)
    whole = audit_csv(run_audit(project.communities.frame, project.facilities.frame,
                                checklist, walk_from_args(args)), checklist)
    assert done.stdout.strip() == f"wrote {ours}"
    assert ours.read_bytes() == whole.encode(CSV_ENCODING)
