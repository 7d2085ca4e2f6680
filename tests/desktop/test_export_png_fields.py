"""export-png reads only the fields it draws, and draws the very same picture."""

import numpy as np
import pytest
import shapely

from desktop.canvas.export_image import drawn_fields, render_map_image
from desktop.canvas.image_arrays import pixel_view
from layers.model.changes import StoreError
from layers.store import open_project


@pytest.mark.parametrize("community", [None, "翠苑一区"])
def test_the_map_read_in_part_is_the_map_read_whole(bundled_copy, qapp, community):
    whole = open_project(bundled_copy)
    part = open_project(bundled_copy, drawn_fields(community))
    assert "address" not in part.facilities.frame.columns  # the rest was not read
    # the process's first picture draws its text a shade differently (cold glyph caches)
    images = [render_map_image(p, 900, 600, community=community) for p in (whole, whole, part)]
    pictures = [pixel_view(image) for image in images[1:]]
    # names, ≈ marks, symbols and legend: pixel for pixel the same
    assert np.array_equal(*pictures)


def test_a_project_read_for_drawing_is_never_saved(bundled_copy):
    project = open_project(bundled_copy, drawn_fields())
    before = bundled_copy.read_bytes()
    project.communities.add_features({"name": "新社区", "geometry": shapely.Point(120.1, 30.3)})
    with pytest.raises(StoreError, match="read in part"):
        project.save()
    assert bundled_copy.read_bytes() == before
