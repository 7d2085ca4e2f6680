"""Atomic writes: permissions kept, nothing half-written, symlinks followed."""

from __future__ import annotations

import os
import stat

import pytest

from layers.io.atomic import atomic_path, atomic_write, atomic_write_text


def _mode(path) -> int:  # noqa: ANN001
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "project.gpkg"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with atomic_write(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o640


def test_new_file_honours_the_umask(tmp_path, umask_022):
    target = tmp_path / "audit.csv"
    atomic_write_text(target, "a,b\n")
    assert target.read_text(encoding="utf-8") == "a,b\n"
    assert _mode(target) == 0o644


def test_new_file_from_a_path_writer_honours_the_umask(tmp_path, umask_022):
    target = tmp_path / "map.png"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".png" and not tmp.exists()
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o600))  # a writer that makes 0600
    assert _mode(target) == 0o644


def test_failure_mid_write_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "project.gpkg"
    target.write_bytes(b"old content \x00\xff")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old content \x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.gpkg"]


def test_failure_in_a_path_writer_removes_its_files(tmp_path):
    target = tmp_path / "circles.gpkg"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"partial")
        (tmp.parent / f"{tmp.name}-journal").write_bytes(b"journal")
        raise RuntimeError("GDAL failed")
    assert list(tmp_path.iterdir()) == []


def test_a_writer_that_writes_nothing_fails(tmp_path):
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    with pytest.raises(FileNotFoundError), atomic_path(target):
        pass
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_symlinked_target_stays_a_link(tmp_path):
    real = tmp_path / "data" / "project.gpkg"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "current.gpkg"
    link.symlink_to(real)
    with atomic_write(link) as fh:
        fh.write(b"new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"new"


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "nowhere" / "x.html", "w",
                                                        encoding="utf-8") as fh:
        fh.write("never")


def test_only_whole_file_modes(tmp_path):
    with pytest.raises(ValueError, match="mode"), atomic_write(tmp_path / "x", "ab"):
        pass


def test_a_failed_write_names_the_file_the_planner_chose(tmp_path):
    blocker = tmp_path / "exports"
    blocker.write_bytes(b"")
    with pytest.raises(NotADirectoryError) as err, atomic_write(blocker / "audit.json") as fh:
        fh.write(b"{}")
    assert err.value.filename == str(blocker / "audit.json")


def test_a_cache_write_without_flushing_is_still_whole(tmp_path):
    tile = tmp_path / "12" / "3.png"
    tile.parent.mkdir()
    with atomic_write(tile, durable=False) as fh:
        fh.write(b"png")
    assert tile.read_bytes() == b"png" and [p.name for p in tile.parent.iterdir()] == ["3.png"]
