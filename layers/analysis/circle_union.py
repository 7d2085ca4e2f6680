"""Union of many circles, traced along their exposed arcs.

The outline of a union of discs is made of circle arcs: the parts of each circle
that no other disc covers. This module finds those arcs with vectorised numpy
(each neighbour within reach covers one angular interval of a circle), chains
them into rings through the circle-circle intersection points, and samples each
arc at fixed angles. Every vertex lies on a true circle, and each intersection
point is computed once and shared by the two arcs that meet there, so the rings
close exactly. Every chord of circle *i* lies in the power cell of *i*, so rings
of different circles cannot cross.

It is much faster than a general polygon union for the case it handles: circles
in a metric plane. When the data are degenerate (three circles through one
point, for example) :func:`union_of_circles` returns ``None`` and the caller falls
back to a general union.
"""

from __future__ import annotations

import numpy as np
import shapely

TWO_PI = 2.0 * np.pi


def union_of_circles(x: np.ndarray, y: np.ndarray, radius: np.ndarray, segments: int = 64,
                     candidates: np.ndarray | None = None) -> shapely.Geometry | None:
    """Return the union of discs as one (multi)polygon, or None when degenerate.

    Parameters
    ----------
    x, y : ndarray
        Centres in a metric CRS.
    radius : ndarray
        Radius of each disc, in the same units.
    segments : int
        Vertices of a full circle; arcs are sampled at multiples of ``2π/segments``.
    candidates : ndarray of bool, optional
        Discs that may reach the outline. Discs known to lie inside the union
        (False) still cover others but are not traced. Default: all.

    Returns
    -------
    shapely.Geometry or None
        Polygon or MultiPolygon; None when the configuration is degenerate.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    r = np.broadcast_to(np.asarray(radius, dtype=float), x.shape).copy()
    if len(x) == 0:
        return shapely.MultiPolygon()
    cand = np.ones(len(x), dtype=bool) if candidates is None else np.asarray(candidates, bool)
    x, y, r, cand = _drop_repeated(x, y, r, cand)
    i, j = _overlapping_pairs(x, y, r, cand)
    dx, dy = x[j] - x[i], y[j] - y[i]
    d = np.hypot(dx, dy)
    inside_i = d <= r[j] - r[i]  # disc i lies within disc j
    inside_j = d <= r[i] - r[j]
    covered = np.zeros(len(x), dtype=bool)
    covered[i[inside_i]] = True
    covered[j[inside_j]] = True
    cross = ~(inside_i | inside_j)
    i, j, d, dx, dy = i[cross], j[cross], d[cross], dx[cross], dy[cross]
    a = (d * d + r[i] ** 2 - r[j] ** 2) / (2 * d)
    h = np.sqrt(np.maximum(r[i] ** 2 - a * a, 0.0))
    ux, uy = dx / d, dy / d
    bx, by = x[i] + a * ux, y[i] + a * uy
    # point 2k is left of the line i -> j, point 2k + 1 is right of it
    px = np.empty(2 * len(i))
    py = np.empty(2 * len(i))
    px[0::2], py[0::2] = bx - h * uy, by + h * ux
    px[1::2], py[1::2] = bx + h * uy, by - h * ux
    theta = np.arctan2(dy, dx)
    alpha_i = np.arctan2(h, a)
    alpha_j = np.arctan2(h, d - a)
    pair = np.arange(len(i))
    # disc j covers circle i from the right point to the left point (counter-clockwise),
    # disc i covers circle j from the left point to the right point
    owner = np.concatenate([i, j])
    start = np.concatenate([theta - alpha_i, theta + np.pi - alpha_j])
    end = np.concatenate([theta + alpha_i, theta + np.pi + alpha_j])
    start_pid = np.concatenate([2 * pair + 1, 2 * pair])
    end_pid = np.concatenate([2 * pair, 2 * pair + 1])
    keep = cand[owner] & ~covered[owner]
    owner, start, end = owner[keep], start[keep], end[keep]
    start_pid, end_pid = start_pid[keep], end_pid[keep]
    arcs = _exposed_arcs(len(x), owner, np.mod(start, TWO_PI), np.mod(end, TWO_PI),
                         start_pid, end_pid)
    if arcs is None:
        return None
    lone = np.nonzero(cand & ~covered & ~np.isin(np.arange(len(x)), owner))[0]
    rings = _trace_rings(arcs, x, y, r, px, py, segments)
    if rings is None:
        return None
    rings += _full_circles(x[lone], y[lone], r[lone], segments)
    return _assemble(rings)


def _drop_repeated(x, y, r, cand):  # noqa: ANN001, ANN202
    """Keep one disc per centre (the largest); repeated centres have no crossing points."""
    order = np.lexsort((-r, y, x))
    xs, ys = x[order], y[order]
    first = np.ones(len(x), dtype=bool)
    first[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
    keep = order[first]
    group = np.cumsum(first) - 1
    any_cand = np.zeros(int(first.sum()), dtype=bool)
    np.logical_or.at(any_cand, group, cand[order])
    return x[keep], y[keep], r[keep], any_cand


def _overlapping_pairs(x, y, r, cand):  # noqa: ANN001, ANN202
    """Pairs (i, j) of discs that overlap or touch, each once, with i a candidate.

    A grid of cells as wide as the longest reach buckets the centres; each
    candidate is paired with the centres in its own and the eight neighbouring cells.
    """
    reach = 2.0 * float(r.max())
    cx = np.floor((x - x.min()) / reach).astype(np.int64)
    cy = np.floor((y - y.min()) / reach).astype(np.int64)
    width = int(cy.max()) + 3
    key = (cx + 1) * width + (cy + 1)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    q = np.nonzero(cand)[0]
    src_parts, dst_parts = [], []
    for dx in (-1, 0, 1):  # the three cells of a column are consecutive keys
        column = key[q] + dx * width
        lo = np.searchsorted(sorted_key, column - 1, side="left")
        hi = np.searchsorted(sorted_key, column + 1, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            continue
        src_parts.append(np.repeat(q, counts))
        dst_parts.append(order[np.repeat(lo - np.cumsum(counts) + counts, counts)
                               + np.arange(total)])
    if not src_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    src, dst = np.concatenate(src_parts), np.concatenate(dst_parts)
    keep = (src != dst) & ~(cand[dst] & (dst < src))
    src, dst = src[keep], dst[keep]
    d2 = (x[dst] - x[src]) ** 2 + (y[dst] - y[src]) ** 2
    near = d2 <= (r[src] + r[dst]) ** 2  # touching circles count (they decline below)
    return src[near], dst[near]


def _exposed_arcs(n, owner, start, end, start_pid, end_pid):  # noqa: ANN001, ANN202
    """Arcs of each circle outside every covering interval.

    Returns arrays (circle, angle_from, angle_to, pid_from, pid_to) with
    angle_to > angle_from (unwrapped), or None on a tie that makes tracing unsafe.
    """
    if len(owner) == 0:
        empty = np.zeros(0)
        return (empty.astype(int), empty, empty, empty.astype(int), empty.astype(int))
    # intervals that wrap past 2π cover angle 0 at the start of the sweep
    wraps = start > end
    initial = np.bincount(owner[wraps], minlength=n)
    m = len(owner)
    ev_circle = np.concatenate([owner, owner])
    ev_angle = np.concatenate([start, end])
    ev_step = np.concatenate([np.ones(m, np.int64), -np.ones(m, np.int64)])
    ev_pid = np.concatenate([start_pid, end_pid])
    # one integer key per event: the circle, then the angle in steps of 2⁻³⁷ rad (< 2π < 2³)
    key = (ev_circle.astype(np.int64) << 40) | (ev_angle * 2.0**37).astype(np.int64)
    order = np.argsort(key)
    key = key[order]
    if np.any(key[1:] == key[:-1]):  # (nearly) three circles through one point
        return None
    ev_circle, ev_angle = ev_circle[order], ev_angle[order]
    ev_step, ev_pid = ev_step[order], ev_pid[order]
    count = np.cumsum(ev_step) + initial[ev_circle]
    # the last event of each circle is followed by its first one (wrapping round)
    last = np.ones(len(ev_circle), dtype=bool)
    last[:-1] = ev_circle[1:] != ev_circle[:-1]
    first = np.roll(last, 1)
    nxt = np.arange(1, len(ev_circle) + 1)
    nxt[last] = np.nonzero(first)[0]
    gap = count == 0
    k, k2 = np.nonzero(gap)[0], nxt[gap]
    if np.any(ev_step[k] != -1) or np.any(ev_step[k2] != 1):
        return None
    a0 = ev_angle[k]
    a1 = ev_angle[k2]
    a1 = np.where(a1 <= a0, a1 + TWO_PI, a1)
    return ev_circle[k], a0, a1, ev_pid[k], ev_pid[k2]


def _trace_rings(arcs, x, y, r, px, py, segments):  # noqa: ANN001, ANN202
    """Chain arcs end to start into closed rings, sampling each arc."""
    circle, a0, a1, pid0, pid1 = arcs
    n_arcs = len(circle)
    if n_arcs == 0:
        return []
    by_start = np.full(len(px), -1, dtype=np.int64)
    if len(np.unique(pid0)) != n_arcs:
        return None
    by_start[pid0] = np.arange(n_arcs)
    following = by_start[pid1]
    if np.any(following < 0):
        return None
    # sample points strictly inside each arc, at multiples of the step angle
    step = TWO_PI / segments
    k0 = np.floor(a0 / step).astype(np.int64) + 1
    k1 = np.ceil(a1 / step).astype(np.int64) - 1
    n_inner = np.maximum(k1 - k0 + 1, 0)
    sizes = n_inner + 1  # the start point, then the inner samples
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    total = int(offsets[-1])
    arc_of = np.repeat(np.arange(n_arcs), sizes)
    rank = np.arange(total) - offsets[arc_of]
    angle = (k0[arc_of] + rank - 1) * step
    cx, cy, rad = x[circle][arc_of], y[circle][arc_of], r[circle][arc_of]
    vx = cx + rad * np.cos(angle)
    vy = cy + rad * np.sin(angle)
    head = offsets[:-1]
    vx[head] = px[pid0]
    vy[head] = py[pid0]
    # order the arcs ring by ring
    seen = np.zeros(n_arcs, dtype=bool)
    ring_order = np.empty(n_arcs, dtype=np.int64)
    ring_id = np.empty(n_arcs, dtype=np.int64)
    pos = 0
    ring = 0
    following_list = following.tolist()
    for s in range(n_arcs):
        if seen[s]:
            continue
        a = s
        while not seen[a]:
            seen[a] = True
            ring_order[pos] = a
            ring_id[pos] = ring
            pos += 1
            a = following_list[a]
        if a != s:
            return None
        ring += 1
    lengths = sizes[ring_order]
    idx = np.concatenate([np.arange(offsets[a], offsets[a + 1]) for a in ring_order]) \
        if n_arcs < 64 else _gather_ranges(offsets[ring_order], lengths)
    coords = np.column_stack([vx[idx], vy[idx]])
    ids = np.repeat(ring_id, lengths)
    return list(shapely.linearrings(coords, indices=ids))


def _full_circles(x: np.ndarray, y: np.ndarray, r: np.ndarray, segments: int) -> list:
    """Counter-clockwise rings for circles that touch no other."""
    if len(x) == 0:
        return []
    angle = np.arange(segments) * (TWO_PI / segments)
    vx = x[:, None] + r[:, None] * np.cos(angle)
    vy = y[:, None] + r[:, None] * np.sin(angle)
    coords = np.column_stack([vx.ravel(), vy.ravel()])
    return list(shapely.linearrings(coords, indices=np.repeat(np.arange(len(x)), segments)))


def _gather_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + n)`` for every (s, n) without a Python loop."""
    total = int(lengths.sum())
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    base = np.repeat(starts - offsets, lengths)
    return base + np.arange(total)


def _assemble(rings: list) -> shapely.Geometry:
    """Turn counter-clockwise shells and clockwise holes into one (multi)polygon."""
    if not rings:
        return shapely.MultiPolygon()
    rings = np.asarray(rings, dtype=object)
    ccw = shapely.is_ccw(rings)
    shells = shapely.polygons(rings[ccw])
    holes = rings[~ccw]
    if len(holes) == 0:
        return shells[0] if len(shells) == 1 else shapely.MultiPolygon(list(shells))
    if len(shells) == 1:  # the usual case in a city: one outline and its holes
        return shapely.Polygon(rings[ccw][0], holes=list(holes))
    area = shapely.area(shells)
    probe = shapely.get_point(holes, 0)
    hole_idx, shell_idx = shapely.STRtree(shells).query(probe, predicate="within")
    # the smallest shell around a hole is its own (shells can sit in other shells' holes)
    order = np.lexsort((area[shell_idx], hole_idx))
    hole_idx, shell_idx = hole_idx[order], shell_idx[order]
    first = np.ones(len(hole_idx), dtype=bool)
    first[1:] = hole_idx[1:] != hole_idx[:-1]
    owner = np.full(len(holes), -1, dtype=np.int64)
    owner[hole_idx[first]] = shell_idx[first]
    if np.any(owner < 0):
        return None
    polys = list(shells)
    for s in np.unique(owner):
        polys[s] = shapely.Polygon(rings[ccw][s], holes=list(holes[owner == s]))
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


__all__ = ["union_of_circles"]
