"""Where the bundled data and resources are, installed or in a checkout.

The repository keeps them in the top-level ``data/`` and ``resources/`` folders;
``pyproject.toml`` installs those as the packages ``facility_mapper_data`` and
``facility_mapper_resources``, so :mod:`importlib.resources` finds them from any
working directory, in an editable install and in a wheel alike.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

_DATA_PACKAGE = "facility_mapper_data"
_RESOURCES_PACKAGE = "facility_mapper_resources"


def _folder(package: str) -> Path:
    with as_file(files(package)) as path:  # a real folder: the packages are never zipped
        return Path(path)


def data_path(*parts: str) -> Path:
    """Return the path of a bundled data file, such as the sample project.

    Parameters
    ----------
    *parts : str
        Path components below ``data/``, for example ``"communities.gpkg"``.

    Returns
    -------
    Path
        The file's path (it may not exist if ``parts`` names nothing).
    """
    return _folder(_DATA_PACKAGE).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource: translations, web assets, icons.

    Parameters
    ----------
    *parts : str
        Path components below ``resources/``, for example ``"web"``.

    Returns
    -------
    Path
        The file's or folder's path.
    """
    return _folder(_RESOURCES_PACKAGE).joinpath(*parts)
