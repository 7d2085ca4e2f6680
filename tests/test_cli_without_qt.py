"""The headless command line runs where PySide6 is not installed at all.

A venv with the model's dependencies and no PySide6 runs the commands on the
bundled data; their output must be what the full install prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.venvs import cached_venv, dependencies, python_in, script_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def no_qt_venv() -> Path:
    """A venv with every runtime dependency but PySide6, and this checkout."""
    return cached_venv("no-qt", dependencies(qt=False), editable_checkout=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _checkout(*args: str) -> subprocess.CompletedProcess:
    """The same command in the test's own environment, which has Qt."""
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def _no_qt(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(script_in(venv, "facility-mapper")), *args], cwd=cwd,
                          capture_output=True, text=True, env=_env(), timeout=300)


def test_pyside6_is_not_installed_and_the_cli_imports(no_qt_venv, tmp_path):
    code = ("import importlib.util, sys\n"
            "assert importlib.util.find_spec('PySide6') is None, 'PySide6 is installed'\n"
            "import layers.cli, desktop.cli\n"
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "print(layers.cli.__file__)")
    res = subprocess.run([str(python_in(no_qt_venv)), "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, env=_env())
    assert res.returncode == 0, res.stderr
    assert Path(res.stdout.strip()) == REPO / "layers" / "cli.py"  # the checkout's code


def test_info_and_audit_print_what_the_full_install_prints(no_qt_venv, tmp_path):
    for command in (["info"], ["audit"], ["audit", "--format", "csv"]):
        res = _no_qt(no_qt_venv, tmp_path, *command)
        assert res.returncode == 0, res.stderr
        expected = _checkout(*command)
        assert expected.returncode == 0, expected.stderr
        if command == ["info"]:  # the first line names the project file: the venvs differ
            assert res.stdout.splitlines()[0].endswith("communities.gpkg")
            assert res.stdout.splitlines()[1:] == expected.stdout.splitlines()[1:]
            assert "layer facilities: " in res.stdout
        else:
            assert res.stdout == expected.stdout
            assert "翠苑一区" in res.stdout


def test_export_html_works_without_qt(no_qt_venv, tmp_path):
    out = tmp_path / "map.html"
    res = _no_qt(no_qt_venv, tmp_path, "export-html", "--out", str(out), "--minutes", "10")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"wrote {out}")
    page = out.read_text(encoding="utf-8")
    assert "Leaflet" in page and "翠苑一区社区老年食堂" in page


@pytest.mark.parametrize("args, what", [
    (["export-png", "--out", "map.png"], "export-png"),
    (["screenshot", "--out", "window.png"], "screenshot"),
    ([], "the window"),
    (["gui"], "gui"),
])
def test_drawing_commands_say_they_need_pyside6(no_qt_venv, tmp_path, args, what):
    res = _no_qt(no_qt_venv, tmp_path, *args)
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr == (f"error: {what} needs PySide6, which is not installed "
                          "(pip install PySide6-Essentials)\n")
    assert list(tmp_path.iterdir()) == []  # no half-written picture
