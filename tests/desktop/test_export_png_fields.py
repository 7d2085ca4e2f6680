"""export-png reads only the fields it draws, and draws the very same picture."""

import subprocess
import sys

import numpy as np
import pytest
import shapely

from desktop.canvas.export_image import (
    drawn_fields,
    facility_names_may_show,
    render_map_image,
)
from desktop.canvas.image_arrays import pixel_view
from layers.model.changes import StoreError
from layers.store import open_project
from tests.conftest import REPO


def _same_pictures(projects, **options):
    # the process's first picture draws its text a shade differently (cold glyph caches)
    images = [render_map_image(p, 900, 600, **options) for p in (projects[0], *projects)]
    return np.array_equal(*(pixel_view(image) for image in images[1:]))


@pytest.mark.parametrize("community", [None, "翠苑一区"])
def test_the_map_read_in_part_is_the_map_read_whole(bundled_copy, qapp, community):
    whole = open_project(bundled_copy)
    part = open_project(bundled_copy, drawn_fields(community))
    assert "address" not in part.facilities.frame.columns  # the rest was not read
    # names, ≈ marks, symbols and legend: pixel for pixel the same
    assert _same_pictures([whole, part], community=community)


def test_facility_names_are_read_when_few_facilities_are_in_view(bundled_copy):
    part = open_project(bundled_copy, drawn_fields(names=False))
    assert facility_names_may_show(part, 900, 600)


def test_a_crowded_map_is_drawn_the_same_without_reading_the_names(tmp_path, qapp):
    from benchmarks.synthetic import write_project

    path = write_project(tmp_path / "city.gpkg", 3000, 50)
    part = open_project(path, drawn_fields(names=False))
    assert "name" not in part.facilities.frame.columns
    assert not facility_names_may_show(part, 900, 600)
    assert _same_pictures([open_project(path), part])


def test_a_project_read_for_drawing_is_never_saved(bundled_copy):
    project = open_project(bundled_copy, drawn_fields())
    before = bundled_copy.read_bytes()
    project.communities.add_features({"name": "新社区", "geometry": shapely.Point(120.1, 30.3)})
    with pytest.raises(StoreError, match="read in part"):
        project.save()
    assert bundled_copy.read_bytes() == before


def test_export_png_of_a_missing_project_fails_in_one_line(tmp_path):
    # the boundaries are being read on another thread when the command gives up
    for _ in range(3):
        done = subprocess.run([sys.executable, str(REPO / "main.py"), "--project",
                               str(tmp_path / "missing.gpkg"), "export-png", "--out",
                               str(tmp_path / "map.png")], cwd=REPO, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 2
        assert done.stderr.strip().splitlines() == [
            f"error: project file not found: {tmp_path / 'missing.gpkg'}"]
