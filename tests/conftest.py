import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FACILITY_MAPPER_NO_BASEMAP", "1")

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "communities.gpkg"


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled project."""
    target = tmp_path / "project.gpkg"
    shutil.copy(BUNDLED, target)
    return target
