"""Distances and means on the Earth, shared by the gazetteer, geoparsing and borders.

Ranking and radius tests use a spherical Earth (:func:`great_circle_km`); distances that
are reported to users (border distances, QA) are geodesic on WGS84 through ``pyproj.Geod``
in :mod:`geomap.borders` and :mod:`geomap.incidents.qa`.
"""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "great_circle_km", "spherical_mean"]

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def great_circle_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km on a spherical Earth (haversine).

    Plain floats give a float; numpy arrays broadcast. numpy is imported only for arrays, so
    that opening the gazetteer and looking up one name stays fast in a new process.

    Examples
    --------
    >>> round(great_circle_km(12.65, -8.0, 36.75, 3.06))
    2898
    >>> import numpy as np
    >>> great_circle_km(np.array([0.0, 0.0]), 0.0, 0.0, np.array([0.0, 1.0])).round(1).tolist()
    [0.0, 111.2]
    """
    if all(isinstance(v, (int, float)) for v in (lat1, lon1, lat2, lon2)):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        a = (math.sin((p2 - p1) / 2) ** 2
             + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def spherical_mean(points: list[tuple[float, float]],
                   weights: list[float] | None = None) -> tuple[float, float]:
    """The weighted mean of points on the sphere (lat, lon), rounded to 1e-4 degrees.

    The mean of their unit vectors, projected back to the sphere: the geodesic midpoint
    of two points, and a mean that does not break across the antimeridian.

    Examples
    --------
    >>> spherical_mean([(0.0, 179.0), (0.0, -179.0)])
    (0.0, 180.0)
    >>> spherical_mean([(10.0, 0.0), (0.0, 0.0)], [3.0, 1.0])
    (7.5048, 0.0)
    """
    import numpy as np

    rad = np.radians(np.asarray(points, dtype=float))
    xyz = np.column_stack([np.cos(rad[:, 0]) * np.cos(rad[:, 1]),
                           np.cos(rad[:, 0]) * np.sin(rad[:, 1]), np.sin(rad[:, 0])])
    if weights is not None:
        xyz = xyz * np.asarray(weights, dtype=float)[:, None]
    m = xyz.sum(axis=0)
    m /= np.linalg.norm(m)
    return (round(float(np.degrees(np.arcsin(m[2]))), 4),
            round(float(np.degrees(np.arctan2(m[1], m[0]))), 4))
