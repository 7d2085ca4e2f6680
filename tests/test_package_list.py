"""Every package of the source is in the wheel's package list (a fast check of pyproject)."""

import tomllib

from tests.conftest import REPO


def test_every_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts)
             for top in ("layers", "desktop") for init in (REPO / top).rglob("__init__.py")}
    assert found - listed == set()  # a package missing here is missing from the install
