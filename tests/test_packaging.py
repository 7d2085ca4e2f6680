"""``pip install .`` (a wheel, not editable) works from any folder.

The package goes into a cached venv that holds its dependencies, PySide6
included, and nothing of this checkout: the commands run from a temporary
folder, so the bundled data, translations and web assets must come from the
installed wheel.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.venvs import cached_venv, dependencies, pip_install, python_in, script_in

pytestmark = pytest.mark.slow

# what a build needs is the source, not the checkout's venvs, caches or outputs
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".venvs", "build", "dist", "out",
                                     "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv with the package installed from a wheel of this checkout's source."""
    venv = cached_venv("wheel", dependencies(qt=True))
    # a clean copy: an in-tree build could pack stale files left in build/
    source = tmp_path_factory.mktemp("source") / "facility-mapper"
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE)
    pip_install(venv, "--no-deps", "--no-build-isolation", "--force-reinstall", str(source))
    return venv


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY",
                        "QT_QPA_PLATFORM")}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def _run(venv: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(script_in(venv, "facility-mapper")), *args], cwd=cwd,
                          capture_output=True, text=True, env=_env(**env), timeout=300)


def _site_packages(venv: Path) -> Path:
    res = subprocess.run([str(python_in(venv)), "-c", "import sysconfig; "
                          "print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(res.stdout.strip())


def test_the_wheel_is_what_runs(installed, tmp_path):
    code = ("import layers, desktop, main, facility_mapper_data as d\n"
            "for m in (layers, desktop, main, d): print(m.__file__)")
    res = subprocess.run([str(python_in(installed)), "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, env=_env())
    assert res.returncode == 0, res.stderr
    site = _site_packages(installed)
    for path in res.stdout.split():
        assert Path(path).is_relative_to(site), path
    assert script_in(installed, "facility-mapper").is_file()
    assert not script_in(installed, "facility-mapper-cli").exists()  # one script


def test_info_prints_the_bundled_layers_from_another_folder(installed, tmp_path):
    res = _run(installed, tmp_path, "info")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert Path(lines[0].removeprefix("project: ")) == (
        _site_packages(installed) / "facility_mapper_data" / "communities.gpkg")
    expected = subprocess.run([sys.executable, "main.py", "info"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.splitlines()
    assert lines[1:] == expected[1:]
    assert any(line.startswith("layer facilities: ") for line in lines)


def test_export_html_finds_the_web_assets(installed, tmp_path):
    out = tmp_path / "map.html"
    res = _run(installed, tmp_path, "export-html", "--out", "map.html", "--minutes", "10")
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    assert "Leaflet" in page
    assert (REPO / "resources" / "web" / "facility_map.js").read_text(encoding="utf-8") in page


def test_translations_are_found(installed, tmp_path):
    code = ("from PySide6.QtCore import QCoreApplication\n"
            "from desktop.i18n import install_language, tr\n"
            "app = QCoreApplication([])\n"
            "assert install_language('zh_CN'), 'no Chinese translation'\n"
            "print(tr('Identify Features'))")
    res = subprocess.run([str(python_in(installed)), "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, env=_env(QT_QPA_PLATFORM="offscreen"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "识别要素"


def test_the_window_opens_from_the_console_script(installed, tmp_path):
    res = _run(installed, tmp_path, "screenshot", "--out", "window.png",
               QT_QPA_PLATFORM="offscreen")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr  # no background job outlives the window
    header = (tmp_path / "window.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1500, 920)  # the window's size
    # without a command the script goes for the window; with no display it says why
    res = _run(installed, tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stderr.startswith("No display found, so the window cannot open.")
