"""The initial view: the box where most events are, so one far outlier cannot stretch it.

The box is the bounding box of the events inside a fence around the quartiles of latitude
and longitude, widened on each side by :data:`FENCE_FACTOR` times the interquartile range
(Tukey's "far out" fence; at least :data:`MIN_FENCE_DEGREES`). Events spread evenly are all
inside; one event in New York among ten or a thousand in the Sahel is not, and the page
says so. (A 5th-95th percentile box let one outlier among eleven events pull the view over
the Atlantic: with few events those percentiles lie between the outlier and the rest.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["FENCE_FACTOR", "LOW_PERCENTILE", "MIN_FENCE_DEGREES", "core_bounds"]

#: The percentile box the fence is built around (the quartiles).
LOW_PERCENTILE, HIGH_PERCENTILE = 25.0, 75.0
#: The fence extends the percentile box by this many times its span on each side...
FENCE_FACTOR = 3.0
#: ...and by at least this many degrees (events around one town keep their neighbours).
MIN_FENCE_DEGREES = 2.0


def _inside(values: np.ndarray) -> np.ndarray:
    low, high = np.percentile(values, [LOW_PERCENTILE, HIGH_PERCENTILE])
    margin = max(FENCE_FACTOR * (high - low), MIN_FENCE_DEGREES)
    return (values >= low - margin) & (values <= high + margin)


def core_bounds(lat: np.ndarray, lon: np.ndarray) -> tuple[list[list[float]], int] | None:
    """``([[south, west], [north, east]], outside)``: the box of most events and how many
    events lie outside the fence; ``None`` without events.

    Examples
    --------
    >>> lat = np.array([12.0, 13.0, 14.0] * 10 + [40.7])
    >>> lon = np.array([-8.0, -4.0, 0.0] * 10 + [-74.0])
    >>> core_bounds(lat, lon)
    ([[12.0, -8.0], [14.0, 0.0]], 1)
    >>> demo_lon = np.array([-8.0] * 5 + [3.0] * 5 + [-74.0])  # Bamako, Algiers, New York
    >>> core_bounds(np.array([12.6] * 5 + [36.7] * 5 + [40.7]), demo_lon)[1]
    1
    >>> core_bounds(np.array([1.0]), np.array([2.0]))
    ([[1.0, 2.0], [1.0, 2.0]], 0)
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if not len(lat):
        return None
    inside = _inside(lat) & _inside(lon)
    if not inside.any():
        inside = np.ones(len(lat), dtype=bool)
    box = [[float(lat[inside].min()), float(lon[inside].min())],
           [float(lat[inside].max()), float(lon[inside].max())]]
    return box, int((~inside).sum())
