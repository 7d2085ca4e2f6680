"""Virtual environments the slow tests build once and keep in ``.venvs/`` (gitignored).

A venv is rebuilt when ``pyproject.toml`` or the Python version changes: the
key of both is written into the venv last, so a build cut short is redone.
pip's download cache makes a rebuild cost little more than unpacking wheels.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

VENVS = REPO / ".venvs"
PYPROJECT = REPO / "pyproject.toml"
# the Qt binding, however it is spelled in the dependencies
QT_DISTRIBUTIONS = ("pyside6", "shiboken6")


def dependencies(*, qt: bool) -> list[str]:
    """Return the package's runtime dependencies from ``pyproject.toml``.

    Parameters
    ----------
    qt : bool
        False leaves out PySide6 (any ``pyside6*`` or ``shiboken6*`` distribution).

    Returns
    -------
    list of str
        Requirement strings, as written in ``pyproject.toml``.
    """
    with PYPROJECT.open("rb") as fh:
        spec = tomllib.load(fh)
    return [r for r in spec["project"]["dependencies"]
            if qt or not canonicalize_name(Requirement(r).name).startswith(QT_DISTRIBUTIONS)]


def build_requirements() -> list[str]:
    """Return ``[build-system] requires``, so installs need no build isolation.

    Returns
    -------
    list of str
        Requirement strings.
    """
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)["build-system"]["requires"]


def python_in(venv: Path) -> Path:
    """Return the interpreter of ``venv``.

    Parameters
    ----------
    venv : Path
        The venv's folder.

    Returns
    -------
    Path
        Its ``python``.
    """
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def script_in(venv: Path, name: str) -> Path:
    """Return a console script installed in ``venv``.

    Parameters
    ----------
    venv : Path
        The venv's folder.
    name : str
        The script, such as ``"facility-mapper"``.

    Returns
    -------
    Path
        Its path (it may not exist).
    """
    return venv / ("Scripts" if sys.platform == "win32" else "bin") / (
        f"{name}.exe" if sys.platform == "win32" else name)


def pip_install(venv: Path, *args: str) -> None:
    """Run ``pip install`` in ``venv``, failing with pip's own output.

    Parameters
    ----------
    venv : Path
        The venv's folder.
    *args : str
        Arguments after ``pip install``.
    """
    res = subprocess.run([str(python_in(venv)), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", *args],
                         capture_output=True, text=True)
    assert res.returncode == 0, f"pip install {' '.join(args)} failed:\n{res.stdout}{res.stderr}"


def cached_venv(name: str, requirements: list[str], editable_checkout: bool = False) -> Path:
    """Return ``.venvs/NAME`` with ``requirements`` installed, building it if stale.

    Parameters
    ----------
    name : str
        Folder name under ``.venvs/``.
    requirements : list of str
        What to install, besides the build requirements.
    editable_checkout : bool
        Also install this checkout, editable and without dependencies, so the
        venv runs the current code without being rebuilt for every change.

    Returns
    -------
    Path
        The venv's folder.
    """
    venv = VENVS / name
    key_file = venv / "facility-mapper-key"
    key = hashlib.sha256(b"\0".join([
        PYPROJECT.read_bytes(), sys.version.encode(), repr(requirements).encode(),
        str(editable_checkout).encode()])).hexdigest()
    if key_file.is_file() and key_file.read_text() == key and python_in(venv).exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    VENVS.mkdir(exist_ok=True)
    # the base interpreter makes the venv, not the test venv's: nothing leaks in from it
    res = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    pip_install(venv, *build_requirements(), *requirements)
    if editable_checkout:
        pip_install(venv, "--no-deps", "--no-build-isolation", "-e", str(REPO))
    key_file.write_text(key)
    return venv
