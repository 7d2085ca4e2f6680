"""A layer of points is read with its coordinates straight from the WKB, and reads the same."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.io.point_reading import read_point_layer


def _write(path, geoms, **columns):
    frame = gpd.GeoDataFrame({"name": [f"n{i}" for i in range(len(geoms))], **columns},
                             geometry=list(geoms), crs="EPSG:4326")
    frame.to_file(path, layer="facilities", engine="pyogrio")
    return path


def _ordinary(path, columns=None):
    return pyogrio.read_dataframe(path, layer="facilities", use_arrow=True, fid_as_index=True,
                                  columns=columns)


def test_points_read_the_same_as_the_ordinary_reader(tmp_path):
    rng = np.random.default_rng(3)
    xy = rng.uniform([119, 29], [121, 31], size=(5000, 2))
    path = _write(tmp_path / "p.gpkg", shapely.points(xy),
                  capacity=rng.integers(0, 50, 5000).astype(float))
    for columns in (None, ["name"]):
        fast, ordinary = read_point_layer(path, "facilities", columns), _ordinary(path, columns)
        pd.testing.assert_frame_equal(pd.DataFrame(fast.drop(columns="geometry")),
                                      pd.DataFrame(ordinary.drop(columns="geometry")))
        assert fast.crs == ordinary.crs and fast.index.name == "fid"
        assert shapely.equals_exact(fast.geometry.to_numpy(), ordinary.geometry.to_numpy(),
                                    0).all()


@pytest.mark.parametrize("odd", [shapely.Point(), None, shapely.Point(120, 30, 5),
                                 shapely.MultiPoint([(120, 30), (121, 31)])])
def test_anything_but_plain_points_is_left_to_the_ordinary_reader(tmp_path, odd):
    geoms = [shapely.Point(120, 30), odd, shapely.Point(121, 31)]
    path = _write(tmp_path / "odd.gpkg", geoms)
    assert read_point_layer(path, "facilities") is None
