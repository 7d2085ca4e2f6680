"""Every output of the command line is written whole or not at all, on a disk that fills up.

The child process gets a file-size limit (RLIMIT_FSIZE): a write past it fails
with EFBIG in the middle of the file, as a full disk fails with ENOSPC.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

import pytest

from tests.conftest import REPO

LIMIT = 2048  # bytes: more than the old files below, less than any new output


def _full_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.parametrize("command,name", [
    (["audit", "--format", "json"], "audit.json"),
    (["audit", "--format", "csv"], "audit.csv"),
    (["circles", "--minutes", "10"], "circles.geojson"),
    (["circles", "--minutes", "10"], "circles.gpkg"),
    (["export-html", "--tiles", "none"], "map.html"),
    (["export-png"], "map.png"),
])
def test_a_full_disk_leaves_the_old_output_and_no_partial_file(bundled_copy, tmp_path,
                                                               command, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    old = b'{"the": "previous audit"}' if name.endswith("json") else b"previous output"
    out.write_bytes(old)
    res = subprocess.run([sys.executable, "main.py", *command, "--project", str(bundled_copy),
                          "--out", str(out)], cwd=REPO, capture_output=True, text=True,
                         preexec_fn=_full_disk)
    assert res.returncode == 2, res.stdout
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: ")
    assert name in res.stderr and ".saving" not in res.stderr  # names the file the planner chose
    assert out.read_bytes() == old
    assert [p.name for p in out.parent.iterdir()] == [name]  # no partial or temporary file


def test_an_output_whose_folder_is_a_file_is_one_line(bundled_copy, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine", encoding="utf-8")
    res = subprocess.run([sys.executable, "main.py", "audit", "--format", "json", "--project",
                          str(bundled_copy), "--out", str(blocker / "audit.json")],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "audit.json" in res.stderr
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_without_the_limit_the_same_outputs_are_written(bundled_copy, tmp_path):
    out = tmp_path / "audit.json"
    res = subprocess.run([sys.executable, "main.py", "audit", "--format", "json", "--project",
                          str(bundled_copy), "--out", str(out)], cwd=REPO, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    assert len(out.read_bytes()) > LIMIT and json.loads(out.read_text(encoding="utf-8"))
