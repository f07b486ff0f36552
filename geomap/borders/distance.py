"""Geodesic distance from points to the nearest international land border.

Border lines (Natural Earth 1:10m, :func:`geomap.borders.natural_earth.border_lines`) are
densified and treated as great-circle arcs on the unit sphere, under two levels of
bounding caps; an exact branch-and-bound search finds each point's nearest border point,
and the distance to it is then measured on the WGS84 ellipsoid with :class:`pyproj.Geod`.
Coastlines are not borders. The whole search works on numpy arrays, a block of points at
a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geomap.borders.natural_earth import border_lines, lonlat_arrays

__all__ = ["distance_to_border"]

GEOD = Geod(ellps="WGS84")

DENSIFY_DEG = 0.05  # border segments become great-circle arcs below this length
FINE = 8  # segments per fine cap in the distance index
COARSE = 16  # fine caps per coarse cap
CHUNK = 4096  # points per block in distance_to_border
COS_MARGIN = 2e-6  # covers float32 rounding in the coarse pre-filter
CAP_SLACK = 1e-9  # radians: a fine cap on the bound is kept, not lost to rounding
ARC_SLACK = 1e-7  # radians: covers the cap-angle rounding against an exact arc distance
NO_LIMIT = -2.0  # below any cosine: every coarse cap survives the pre-filter
CELL_CHORD = math.radians(0.25)  # edge of the cubes that group nearby points
CELL_OFFSET = 1024  # keeps cube coordinates positive (|p| <= 1 < CELL_OFFSET * CELL_CHORD)
CELL_BASE = 2 * CELL_OFFSET + 1  # mixes the three cube coordinates into one key


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return unit vectors on the sphere for (lon, lat) in degrees, shape (n, 3)."""
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between unit vectors, row-wise, accurate for small angles."""
    return np.arctan2(np.linalg.norm(np.cross(u, v), axis=1), np.einsum("ij,ij->i", u, v))


def _runs(group: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Split a sequence into runs of at most ``size`` items that never span two groups."""
    group_start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    group_len = np.diff(np.r_[group_start, len(group)])
    per_group = -(-group_len // size)
    rank = np.arange(per_group.sum()) - np.repeat(np.cumsum(per_group) - per_group, per_group)
    starts = np.repeat(group_start, per_group) + rank * size
    ends = np.minimum(starts + size, np.repeat(group_start + group_len, per_group))
    return starts, ends - starts


def _expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + c)`` for every (s, c)."""
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


@dataclass(frozen=True)
class _Caps:
    """Spherical caps (centre, angular radius) each covering a run of children."""

    starts: np.ndarray  # first child of each cap
    counts: np.ndarray  # children per cap
    centres: np.ndarray  # (c, 3) unit vectors
    radius: np.ndarray  # angular radius in radians

    @classmethod
    def build(
        cls,
        runs: tuple[np.ndarray, np.ndarray],
        points: list[np.ndarray],
        extra: np.ndarray | None = None,
    ) -> _Caps:
        """Caps over runs of children given as point sets (plus each child's own radius)."""
        starts, counts = runs
        sums = np.add.reduceat(sum(points), starts, axis=0)
        centres = sums / np.linalg.norm(sums, axis=1, keepdims=True)
        owner = np.repeat(np.arange(len(starts)), counts)
        reach = np.max([_angle(pts, centres[owner]) for pts in points], axis=0)
        if extra is not None:
            reach = reach + extra
        return cls(starts, counts, centres, np.maximum.reduceat(reach, starts))


@dataclass(frozen=True)
class _SegmentIndex:
    """Border segments as great-circle arcs under two levels of bounding caps."""

    a: np.ndarray  # (s, 3) segment starts
    b: np.ndarray  # (s, 3) segment ends
    pair: np.ndarray  # (s,) "DZ-ML" per segment
    fine: _Caps  # caps over runs of segments
    coarse: _Caps  # caps over runs of fine caps
    coarse32: np.ndarray  # (3, c) coarse centres, float32, contiguous for a fast matmul
    cos_r: np.ndarray  # cos of the coarse radii
    sin_r: np.ndarray  # sin of the coarse radii
    normal: np.ndarray  # (s, 3) unit normals of the arcs' great circles (0 if degenerate)
    has_normal: np.ndarray  # (s,) the arc has a great circle
    side_a: np.ndarray  # (s, 3) normal x a: p.side_a >= 0 on b's side of a
    side_b: np.ndarray  # (s, 3) b x normal: p.side_b >= 0 on a's side of b
    mid: np.ndarray  # (s, 3) arc midpoints
    half: np.ndarray  # (s,) half arc lengths in radians: each arc's own bounding cap


@lru_cache(maxsize=1)
def _segment_index() -> _SegmentIndex:
    table = border_lines()
    pairs = (table["a"] + "-" + table["b"]).to_numpy(dtype=object)
    lines = shapely.segmentize(table.geometry.values, DENSIFY_DEG)
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    start = np.flatnonzero(part_of[1:] == part_of[:-1])
    ends = _unit(coords[:, 0], coords[:, 1])
    a, b = ends[start], ends[start + 1]
    seg_part = part_of[start]
    fine_runs = _runs(seg_part, FINE)
    fine = _Caps.build(fine_runs, [a, b])
    coarse = _Caps.build(_runs(seg_part[fine_runs[0]], COARSE), [fine.centres], extra=fine.radius)
    normal = np.cross(a, b)
    norm = np.linalg.norm(normal, axis=1, keepdims=True)
    normal = np.divide(normal, norm, out=np.zeros_like(normal), where=norm > 0)
    mid = a + b
    return _SegmentIndex(
        a,
        b,
        pairs[owner[seg_part]],
        fine,
        coarse,
        np.ascontiguousarray(coarse.centres.T, dtype=np.float32),
        np.cos(coarse.radius).astype(np.float32),
        np.sin(coarse.radius).astype(np.float32),
        normal,
        norm[:, 0] > 0,
        np.cross(normal, a),
        np.cross(b, normal),
        mid / np.linalg.norm(mid, axis=1, keepdims=True),
        _angle(a, b) / 2.0 + CAP_SLACK,
    )


def _arc_terms(p: np.ndarray, index: _SegmentIndex, segment: np.ndarray) -> tuple:
    """Cross-track sine, arc-interior flag and end-point angles of p against segments."""
    normal = index.normal[segment]
    sin_xt = np.einsum("ij,ij->i", p, normal)
    foot_sq = np.einsum("ij,ij->i", p, p) - sin_xt * sin_xt
    inside = (
        index.has_normal[segment]
        & (foot_sq > 0)
        & (np.einsum("ij,ij->i", p, index.side_a[segment]) >= 0)
        & (np.einsum("ij,ij->i", p, index.side_b[segment]) >= 0)
    )
    d_a = _chord_angle(p, index.a[segment])
    d_b = _chord_angle(p, index.b[segment])
    return sin_xt, foot_sq, inside, d_a, d_b


def _chord_angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between unit vectors from their chord, row-wise, accurate for small angles."""
    diff = u - v
    return 2.0 * np.arcsin(np.minimum(0.5 * np.sqrt(np.einsum("ij,ij->i", diff, diff)), 1.0))


def _arc_distance(p: np.ndarray, index: _SegmentIndex, segment: np.ndarray) -> np.ndarray:
    """Angular distance from each p to its great-circle arc ``segment``."""
    sin_xt, foot_sq, inside, d_a, d_b = _arc_terms(p, index, segment)
    across = np.arctan2(np.abs(sin_xt), np.sqrt(np.maximum(foot_sq, 0.0)))
    return np.where(inside, across, np.minimum(d_a, d_b))


def _arc_nearest(p: np.ndarray, index: _SegmentIndex, segment: np.ndarray) -> np.ndarray:
    """Nearest point (unit vector) of each arc ``segment`` to p."""
    sin_xt, foot_sq, inside, d_a, d_b = _arc_terms(p, index, segment)
    foot = p - sin_xt[:, None] * index.normal[segment]
    foot /= np.sqrt(np.where(foot_sq > 0, foot_sq, 1.0))[:, None]
    end = np.where((d_a <= d_b)[:, None], index.a[segment], index.b[segment])
    return np.where(inside[:, None], foot, end)


def _first_minimum(dist: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per run of equal ``group`` (sorted), the position of its first least ``dist``."""
    if group.size == 0:
        return np.empty(0, dtype=np.intp)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    least = np.minimum.reduceat(dist, starts)
    run = np.cumsum(np.r_[False, group[1:] != group[:-1]])
    hits = np.flatnonzero(dist == least[run])
    return hits[np.r_[True, run[hits][1:] != run[hits][:-1]]]


def _cap_angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between unit vectors from their dot product (about 0.1 m accurate; bounds only)."""
    return np.arccos(np.clip(np.einsum("ij,ij->i", u, v), -1.0, 1.0))


def _tighter(upper: np.ndarray, point_of: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Lower each point's bound to the least ``reach`` of its caps (``point_of`` sorted)."""
    if point_of.size == 0:
        return upper
    starts = np.flatnonzero(np.r_[True, point_of[1:] != point_of[:-1]])
    out = upper.copy()
    owners = point_of[starts]
    out[owners] = np.minimum(out[owners], np.minimum.reduceat(reach, starts))
    return out


def _cells(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group points into small cubes of the unit sphere's embedding.

    Returns the point order that makes each cell contiguous, each point's cell (in that
    order), and each cell's centre (unit vector) and angular radius over its points.
    """
    key = np.floor(p / CELL_CHORD).astype(np.int64) + CELL_OFFSET
    key = (key[:, 0] * CELL_BASE + key[:, 1]) * CELL_BASE + key[:, 2]
    order = np.argsort(key, kind="stable")
    key = key[order]
    cell = np.cumsum(np.r_[False, key[1:] != key[:-1]])
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sums = np.add.reduceat(p[order], starts, axis=0)
    centres = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    reach = _chord_angle(p[order], centres[cell]) + CAP_SLACK
    return order, cell, centres, np.maximum.reduceat(reach, starts)


def _cell_caps(
    c: np.ndarray, slack: np.ndarray, index: _SegmentIndex
) -> tuple[np.ndarray, np.ndarray]:
    """Fine caps that may hold the nearest border point of some point within ``slack``
    of each centre ``c``, as sorted (centre, fine cap) pairs.

    Exact branch and bound: a dense float32 pass over the coarse caps keeps those that may
    be nearer than an upper bound, then the fine caps inside them.
    """
    coarse, fine = index.coarse, index.fine
    cos = c.astype(np.float32) @ index.coarse32
    best = np.argmax(cos, axis=1)
    # upper bound: the farthest point of the nearest fine cap inside the nearest coarse cap,
    # seen from anywhere within the slack; caps are kept up to the bound plus the slack
    first_point = np.repeat(np.arange(len(c)), coarse.counts[best])
    first_cap = _expand(coarse.starts[best], coarse.counts[best])
    reach = _cap_angle(c[first_point], fine.centres[first_cap]) + fine.radius[first_cap]
    upper = np.minimum.reduceat(reach, np.r_[0, np.cumsum(coarse.counts[best])[:-1]]) + slack
    wide = upper + slack
    # keep coarse caps whose nearest point may be within the bound: angle <= wide + radius,
    # i.e. cos(angle) >= cos(wide) cos(radius) - sin(wide) sin(radius), in float32
    cos_u = np.cos(wide).astype(np.float32)[:, None]
    sin_u = np.sin(wide).astype(np.float32)[:, None]
    limit = cos_u * index.cos_r
    limit -= sin_u * index.sin_r
    limit -= COS_MARGIN
    limit[wide + coarse.radius.max() >= np.pi] = NO_LIMIT  # the bound reaches the antipode
    point_of, cap = np.nonzero(cos >= limit)
    # fine caps inside the surviving coarse caps
    point_of = np.repeat(point_of, coarse.counts[cap])
    cap = _expand(coarse.starts[cap], coarse.counts[cap])
    centre_angle = _cap_angle(c[point_of], fine.centres[cap])
    keep = centre_angle - fine.radius[cap] <= wide[point_of] + CAP_SLACK
    point_of, cap, centre_angle = point_of[keep], cap[keep], centre_angle[keep]
    upper = _tighter(upper - slack, point_of, centre_angle + fine.radius[cap]) + slack
    keep = centre_angle - fine.radius[cap] <= upper[point_of] + slack[point_of] + CAP_SLACK
    return point_of[keep], cap[keep]


def _nearest_block(p: np.ndarray, index: _SegmentIndex) -> tuple[np.ndarray, np.ndarray]:
    """Nearest border point (unit vector) and segment number for a block of points.

    Candidate fine caps are found once per cell of nearby points (:func:`_cell_caps`),
    then pruned per point against the point's own upper bound before the exact segments.
    """
    fine = index.fine
    order, cell, centres, radius = _cells(p)
    q = p[order]
    cell_of, cell_cap = _cell_caps(centres, radius, index)
    cell_start = np.searchsorted(cell_of, np.arange(len(centres)))
    cell_count = np.bincount(cell_of, minlength=len(centres))
    point_of = np.repeat(np.arange(len(q)), cell_count[cell])
    cap = cell_cap[_expand(cell_start[cell], cell_count[cell])]
    centre_angle = _cap_angle(q[point_of], fine.centres[cap])
    upper = _tighter(np.full(len(q), np.inf), point_of, centre_angle + fine.radius[cap])
    lower = centre_angle - fine.radius[cap]
    keep = lower <= upper[point_of] + CAP_SLACK
    segment = _nearest_segment(q, point_of[keep], cap[keep], lower[keep], index)
    nearest = np.empty_like(p)
    nearest_segment = np.empty(len(p), dtype=np.intp)
    nearest[order] = _arc_nearest(q, index, segment)
    nearest_segment[order] = segment
    return nearest, nearest_segment


def _best_segments(
    q: np.ndarray,
    point_of: np.ndarray,
    cap: np.ndarray,
    index: _SegmentIndex,
    bound: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point with candidates: the point, its nearest segment in ``cap``, its distance.

    With a ``bound`` per point, segments whose own cap lies beyond it are skipped.
    """
    fine = index.fine
    seg_point = np.repeat(point_of, fine.counts[cap])
    segment = _expand(fine.starts[cap], fine.counts[cap])
    if bound is not None:
        lower = _cap_angle(q[seg_point], index.mid[segment]) - index.half[segment]
        keep = lower <= bound[seg_point] + ARC_SLACK
        seg_point, segment = seg_point[keep], segment[keep]
    dist = _arc_distance(q[seg_point], index, segment)
    first = _first_minimum(dist, seg_point)
    return seg_point[first], segment[first], dist[first]


def _nearest_segment(
    q: np.ndarray, point_of: np.ndarray, cap: np.ndarray, lower: np.ndarray, index: _SegmentIndex
) -> np.ndarray:
    """Nearest segment of each point among its candidate fine caps (``point_of`` sorted).

    The segments of the cap with the least lower bound give an exact upper bound first;
    only the caps that may still beat it are then searched. Ties go to the lowest segment.
    """
    first = _first_minimum(lower, point_of)
    _, segment, best = _best_segments(q, point_of[first], cap[first], index)
    rest = np.ones(len(cap), dtype=bool)
    rest[first] = False
    rest &= lower <= best[point_of] + ARC_SLACK
    who, other, dist = _best_segments(q, point_of[rest], cap[rest], index, bound=best)
    wins = (dist < best[who]) | ((dist == best[who]) & (other < segment[who]))
    segment[who[wins]] = other[wins]
    return segment


def distance_to_border(lon: object, lat: object) -> pd.DataFrame:
    """Return the geodesic distance from each point to the nearest international land border.

    Border lines are densified to 0.05 degree steps and treated as great-circle arcs; the
    nearest point is found on the sphere (exact search, no cut-off distance) and the
    distance to it is then measured on the WGS84 ellipsoid with :class:`pyproj.Geod`.
    Coastlines are not borders.

    Parameters
    ----------
    lon, lat : array-like of float
        Coordinates in degrees (WGS84), equal length. Missing values give missing results.

    Returns
    -------
    pandas.DataFrame
        ``border_distance_km`` (float) and ``border_pair`` (e.g. ``"DZ-ML"``), one row
        per point, in input order.

    Raises
    ------
    BorderError
        If the coordinates are out of range or of unequal length.

    Examples
    --------
    >>> row = distance_to_border([-8.0], [12.65]).iloc[0]
    >>> row.border_pair, round(float(row.border_distance_km))
    ('GN-ML', 110)
    """
    x, y = lonlat_arrays(lon, lat)
    dist_km = np.full(x.shape, np.nan)
    pair = np.full(x.shape, None, dtype=object)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    # each distinct point once: incident tables repeat the coordinates of their places
    xy = np.column_stack([x[valid], y[valid]]).view(np.complex128)[:, 0]
    distinct, back = np.unique(xy, return_inverse=True)
    ux, uy = distinct.real.copy(), distinct.imag.copy()
    u_km = np.empty(ux.shape)
    u_segment = np.empty(ux.shape, dtype=np.intp)
    index = _segment_index()
    for block in np.array_split(np.arange(ux.size), max(1, math.ceil(ux.size / CHUNK))):
        if block.size == 0:
            continue
        nearest, u_segment[block] = _nearest_block(_unit(ux[block], uy[block]), index)
        near_lon = np.degrees(np.arctan2(nearest[:, 1], nearest[:, 0]))
        near_lat = np.degrees(np.arctan2(nearest[:, 2], np.hypot(nearest[:, 0], nearest[:, 1])))
        _, _, metres = GEOD.inv(ux[block], uy[block], near_lon, near_lat)
        u_km[block] = metres / 1000.0
    dist_km[valid] = u_km[back]
    pair[valid] = index.pair[u_segment[back]]
    return pd.DataFrame({"border_distance_km": dist_km, "border_pair": pair})
