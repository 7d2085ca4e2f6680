"""Temporary files left by an interrupted save are removed on start and on exit; nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from layers.cli import Command, run
from layers.io.atomic import atomic_write_text
from layers.io.leftovers import clean_leftovers
from tests.conftest import REPO

HOUR_AGO = time.time() - 3600


def _file(folder: Path, name: str, age_from: float | None = HOUR_AGO) -> Path:
    path = folder / name
    path.write_bytes(b"x")
    if age_from is not None:
        os.utime(path, (age_from, age_from))
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_only_the_apps_own_stale_temp_files_go(tmp_path):
    dead = _dead_pid()
    stale = [_file(tmp_path, f".project.{dead}-0a1b2c3d.saving.gpkg"),
             _file(tmp_path, f".project.{dead}-0a1b2c3d.saving.gpkg-journal"),
             _file(tmp_path, f".map.{dead}-ffee0011.saving.html"),
             _file(tmp_path, ".old.12ab34cd.saving.gpkg")]  # named by an older version
    kept = [
        _file(tmp_path, f".project.{os.getpid()}-0a1b2c3d.saving.gpkg"),  # being written here
        _file(tmp_path, f".fresh.{dead}-0a1b2c3d.saving.gpkg", age_from=None),  # just written
        # a planner's own files with names alike
        _file(tmp_path, "project.saving.gpkg"),
        _file(tmp_path, ".notes.saving.gpkg"),
        _file(tmp_path, f".project.{dead}-0a1b2c3d.saving.gpkg.bak"),
        _file(tmp_path, ".project.ZZZZZZZZ.saving.gpkg"),
        _file(tmp_path, f"project.{dead}-0a1b2c3d.saving.gpkg"),
        _file(tmp_path, "map.html"),
    ]
    os.symlink(kept[-1], tmp_path / f".link.{dead}-0a1b2c3d.saving.html")
    sub = tmp_path / "sub"
    sub.mkdir()
    kept.append(_file(sub, f".deeper.{dead}-0a1b2c3d.saving.gpkg"))  # subfolders: not searched
    assert clean_leftovers([tmp_path]) == sorted(stale)
    assert all(p.exists() for p in kept)
    assert (tmp_path / f".link.{dead}-0a1b2c3d.saving.html").is_symlink()
    assert not any(p.exists() for p in stale)


def test_a_command_cleans_the_project_folder_on_start(bundled_copy):
    folder = bundled_copy.parent
    stale = _file(folder, f".project.{_dead_pid()}-0a1b2c3d.saving.gpkg")
    mine = _file(folder, ".project.saving.gpkg")
    res = subprocess.run([sys.executable, "main.py", "info", "--project", str(bundled_copy)],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert not stale.exists() and mine.exists()
    assert res.stderr == f"removed 1 temporary file left by an interrupted save: {stale.name}\n"


def test_folders_written_to_are_cleaned_on_exit(tmp_path, capsys):
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    stale = _file(elsewhere, f".map.{_dead_pid()}-0a1b2c3d.saving.html")

    def export(_args):
        assert stale.exists()  # not a folder this command names: found only once written to
        atomic_write_text(elsewhere / "map.html", "<html></html>")
        return 0

    assert run(["export"], [Command("export", "write a page", export)]) == 0
    assert not stale.exists() and (elsewhere / "map.html").exists()
    assert "removed 1 temporary file" in capsys.readouterr().err
