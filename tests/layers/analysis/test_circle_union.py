"""The traced union of circles (layers.analysis.circle_union) against known shapes and GEOS."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.analysis.circle_union import union_of_circles
from layers.analysis.service_circles import _inner_circles, union_in_metres

CHORD_AREA = 1 - np.sin(2 * np.pi / 64) / (2 * np.pi / 64)  # a 64-gon's area deficit


def _geos_union(x, y, r, quad_segs=16):
    return shapely.union_all(shapely.buffer(shapely.points(x, y), r, quad_segs=quad_segs))


def _holes(geom):
    return int(shapely.get_num_interior_rings(shapely.get_parts(geom)).sum())


def test_two_overlapping_circles_have_the_lens_area():
    r, d = 500.0, 500.0
    got = union_of_circles(np.array([0.0, d]), np.array([0.0, 0.0]), r)
    lens = 2 * r * r * np.arccos(d / (2 * r)) - d / 2 * np.sqrt(4 * r * r - d * d)
    exact = 2 * np.pi * r * r - lens
    assert got.geom_type == "Polygon" and got.is_valid
    assert got.area == pytest.approx(exact, rel=CHORD_AREA)
    assert got.area < exact
    # the two crossing points are corners of the outline, exactly where the circles cross
    corners = shapely.get_coordinates(got)
    assert np.min(np.hypot(corners[:, 0] - d / 2, corners[:, 1] - np.sqrt(r * r - d * d / 4))) \
        < 1e-9


def test_ring_of_circles_leaves_a_hole_with_an_island():
    angles = np.arange(12) * np.pi / 6
    x = np.append(1000 * np.cos(angles), 0.0)
    y = np.append(1000 * np.sin(angles), 0.0)
    got = union_of_circles(x, y, 300.0)
    assert got.is_valid
    parts = shapely.get_parts(got)
    assert len(parts) == 2  # the ring and the circle in its hole
    assert _holes(got) == 1
    ring = parts[np.argmax(shapely.area(parts))]
    assert not ring.contains(shapely.Point(0, 0))
    assert got.contains(shapely.Point(0, 0))


def test_separate_circles_and_repeats():
    x = np.array([0.0, 0.0, 5000.0, 5000.0 + 1e-9])
    y = np.array([0.0, 0.0, 0.0, 0.0])
    got = union_of_circles(x, y, 500.0)
    assert got.is_valid and len(shapely.get_parts(got)) == 2
    assert got.area == pytest.approx(2 * np.pi * 500.0**2, rel=2 * CHORD_AREA)


def test_a_smaller_circle_inside_a_larger_one_adds_nothing():
    got = union_of_circles(np.array([0.0, 100.0]), np.array([0.0, 0.0]),
                           np.array([1000.0, 300.0]))
    assert got.is_valid
    assert got.area == pytest.approx(np.pi * 1000.0**2, rel=1.01 * CHORD_AREA)


@pytest.mark.parametrize("n,seed", [(300, 1), (3000, 2),
                                    pytest.param(20000, 3, marks=pytest.mark.slow)])
def test_random_city_matches_the_general_union(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 20000, n)
    y = rng.uniform(0, 18000, n)
    r = 500.0 * (1 + rng.uniform(-1e-4, 1e-4, n))  # projection scale factors vary a little
    got = union_of_circles(x, y, r)
    want = _geos_union(x, y, r)
    assert got.is_valid
    assert got.symmetric_difference(want).area / want.area < 1e-4
    # 64-gons of two circles that overlap by less than 0.6 m do not touch; the traced
    # outline keeps such circles joined, as a much finer polygon union does
    fine = _geos_union(x, y, r, quad_segs=128)
    assert len(shapely.get_parts(got)) == len(shapely.get_parts(fine))
    assert abs(_holes(got) - _holes(want)) <= max(2, _holes(want) // 50)


@pytest.mark.slow
def test_inner_circles_are_skipped_without_changing_the_answer():
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 10000, 20000)
    y = rng.uniform(0, 10000, 20000)
    r = np.full(len(x), 500.0)
    inner = _inner_circles(x, y, r)
    assert inner.mean() > 0.5
    pruned = union_of_circles(x, y, r, candidates=~inner)
    full = union_of_circles(x, y, r)
    assert pruned.is_valid
    assert pruned.symmetric_difference(full).area < 1e-6 * full.area


def test_degenerate_lattice_falls_back_to_the_general_union():
    # on this lattice four circles pass through the middle of every square
    gx, gy = np.meshgrid(np.arange(12) * 600.0, np.arange(12) * 800.0)
    x, y = gx.ravel(), gy.ravel()
    r = np.full(len(x), 500.0)
    got = union_in_metres(x, y, r, 16)
    want = _geos_union(x, y, r)
    assert got.is_valid
    assert got.symmetric_difference(want).area / want.area < 1e-4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=40),
       st.sampled_from([100.0, 250.0, 500.0]))
def test_any_layout_gives_a_valid_union_of_the_right_area(cells, radius):
    pts = np.array(cells, dtype=float) * 100.0
    r = np.full(len(pts), radius)
    got = union_in_metres(pts[:, 0], pts[:, 1], r, 16)
    want = _geos_union(pts[:, 0], pts[:, 1], r)
    assert got.is_valid
    assert got.symmetric_difference(want).area / want.area < 1e-3


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 3000), st.floats(0, 3000), st.floats(50, 800)),
                min_size=1, max_size=30))
def test_traced_union_is_valid_or_declines(discs):
    x, y, r = (np.array(v) for v in zip(*discs, strict=True))
    got = union_of_circles(x, y, r)
    if got is None:  # degenerate: the caller uses the general union
        return
    want = _geos_union(x, y, r)
    assert got.is_valid
    assert got.symmetric_difference(want).area / want.area < 5e-3


def test_covered_shares_match_a_direct_intersection():
    from layers.analysis.coverage import covered_shares

    rng = np.random.default_rng(8)
    x = rng.uniform(0, 30000, 3000)
    y = rng.uniform(0, 30000, 3000)
    cx, cy = rng.uniform(-2000, 32000, 400), rng.uniform(-2000, 32000, 400)
    polys = shapely.buffer(shapely.points(cx, cy), rng.uniform(100, 900, 400), quad_segs=3)
    polys = np.append(polys, [shapely.box(-9000, -9000, -8000, -8000),   # nothing in reach
                              shapely.box(100, 100, 100, 200)])           # no area
    got = covered_shares(polys, x, y, 500.0)
    discs = _geos_union(x, y, np.full(len(x), 500.0))
    want = shapely.area(shapely.intersection(polys, discs)) / np.maximum(shapely.area(polys),
                                                                         1e-300)
    want[shapely.area(polys) == 0] = 0.0
    assert np.abs(got - want).max() < 0.003  # 64-gon chords against the traced arcs
    assert got[-2] == 0.0 and got[-1] == 0.0
    assert 0.0 < got[:-2].mean() < 1.0
