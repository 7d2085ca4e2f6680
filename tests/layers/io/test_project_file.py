import sqlite3

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.io.project_file import ProjectFileError, read_project_layers
from layers.model.layer import LayerError
from layers.model.project import Project
from layers.store import open_project, save_as
from tests.conftest import kill_while_saving


def _sample_project() -> Project:
    project = Project()
    project.communities.add_features(
        {"name": "翠苑一区", "households": 3146, "elderly_share": 23.8,
         "geometry": shapely.Point(120.133, 30.286)}
    )
    project.facilities.add_features(
        {"name": "老年食堂 <b>&amp;", "category": "canteen", "community": "翠苑一区",
         "quote": "建成杭城首家社区老年食堂", "geometry": shapely.Point(120.1336, 30.2866)}
    )
    return project


def test_round_trip_keeps_every_field(tmp_path):
    project = _sample_project()
    path = save_as(project, tmp_path / "p.gpkg")
    again = open_project(path)
    f0 = project.facilities.feature(project.facilities.ids[0])
    f1 = again.facilities.feature(f0["id"])
    for key in ("name", "category", "community", "quote"):
        assert f1[key] == f0[key]
    assert f1["geometry"].equals_exact(f0["geometry"], 1e-9)
    c1 = again.communities.frame.iloc[0]
    assert c1["households"] == 3146 and c1["elderly_share"] == pytest.approx(23.8)
    assert again.communities.frame["population"].isna().all()
    assert not again.modified


def test_save_leaves_no_temporary_files(tmp_path):
    save_as(_sample_project(), tmp_path / "p.gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]


def test_killed_save_leaves_old_file_readable(tmp_path):
    path = tmp_path / "big.gpkg"
    small = _sample_project()
    save_as(small, path)
    script = f"""
import numpy as np, geopandas as gpd, shapely
from layers.store import open_project
p = open_project({str(path)!r})
n = 400_000
rng = np.random.default_rng(1)
pts = shapely.points(rng.uniform(120, 121, n), rng.uniform(30, 31, n))
frame = gpd.GeoDataFrame({{"name": ["f"] * n, "category": ["other"] * n}}, geometry=pts, crs=4326)
p.facilities.add_features(frame)
print("saving", flush=True)
p.save()
"""
    kill_while_saving(script, tmp_path, "saving")
    again = open_project(path)
    assert len(again.facilities) == 1
    # the next save clears the way: a fresh save still works
    again.save()
    assert len(open_project(path).facilities) == 1


def test_missing_layer_is_named(tmp_path):
    path = tmp_path / "p.gpkg"
    project = _sample_project()
    save_as(project, path)
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE facilities")
        con.execute("DELETE FROM gpkg_contents WHERE table_name='facilities'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name='facilities'")
    with pytest.raises(ProjectFileError, match="no layer 'facilities'"):
        read_project_layers(path)


def test_missing_field_is_named(tmp_path):
    path = tmp_path / "p.gpkg"
    frames = _sample_project().frames()
    frames["facilities"] = frames["facilities"].drop(columns="quote")
    for name, frame in frames.items():
        frame.to_file(path, layer=name, driver="GPKG")
    with pytest.raises(ProjectFileError, match=r"layer 'facilities' has no field 'quote'"):
        read_project_layers(path)


def test_wrong_field_type_is_named(tmp_path):
    path = tmp_path / "p.gpkg"
    frames = _sample_project().frames()
    communities = frames["communities"].copy()
    communities["households"] = ["about 3000"]
    communities.to_file(path, layer="communities", driver="GPKG")
    frames["facilities"].to_file(path, layer="facilities", driver="GPKG")
    with pytest.raises(ProjectFileError, match=r"communities.households' should be integer"):
        read_project_layers(path)


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"name,lon,lat\nx,1,2\n", "not a GeoPackage"),
    (b"SQLite format 3\x00" + b"\x00" * 100, "cannot open"),
])
def test_broken_files_give_one_line(tmp_path, content, message):
    path = tmp_path / "bad.gpkg"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError, match=message) as info:
        read_project_layers(path)
    assert "\n" not in str(info.value)


def test_wrong_geometry_type_is_named(tmp_path):
    path = tmp_path / "p.gpkg"
    frames = _sample_project().frames()
    frames["communities"].to_file(path, layer="communities", driver="GPKG")
    bad = frames["facilities"].copy()
    bad["geometry"] = [shapely.LineString([(120, 30), (120.1, 30.1)])]
    bad.to_file(path, layer="facilities", driver="GPKG")
    with pytest.raises(ProjectFileError, match="facilities.*must be a Point layer"):
        read_project_layers(path)


def test_edits_validate_values():
    project = _sample_project()
    fid = project.communities.ids[0]
    with pytest.raises(LayerError, match="whole number"):
        project.communities.update_attributes(fid, {"households": "3.5"})
    with pytest.raises(LayerError, match="must not be empty"):
        project.communities.update_attributes(fid, {"name": " "})
    old = project.communities.update_attributes(fid, {"households": "3200"})
    assert old == {"households": 3146}
    assert project.communities.feature(fid)["households"] == 3200


def test_remove_and_restore_keeps_order():
    project = Project()
    pts = shapely.points(np.arange(5) + 100.0, np.full(5, 30.0))
    ids = project.facilities.add_features(gpd.GeoDataFrame(
        {"name": list("abcde"), "category": ["other"] * 5}, geometry=pts, crs=4326))
    removed = project.facilities.remove_features([ids[1], ids[3]])
    assert project.facilities.frame["name"].tolist() == ["a", "c", "e"]
    project.facilities.restore_features(removed)
    assert project.facilities.frame["name"].tolist() == list("abcde")
    assert project.facilities.row_of(ids[3]) == 3


def test_reprojects_to_storage_crs():
    project = Project()
    frame = gpd.GeoDataFrame({"name": ["x"], "category": ["other"]},
                             geometry=[shapely.Point(500000, 3300000)], crs="EPSG:32650")
    project.facilities.add_features(frame)
    pt = project.facilities.frame.geometry.iloc[0]
    assert 116 < pt.x < 118 and 29 < pt.y < 30.5
