"""The point that stands for a country named as a whole.

Two conventions exist and, for large countries, disagree by hundreds of km: the CIA
World Factbook's "geographic coordinates" (``countryinfo`` ships them; GeoNames uses
them for most countries) and the geographic centre of the country's main landmass
(:func:`country_centres`, from the shipped borders). :func:`country_point` chooses.
"""

from __future__ import annotations

import logging

import numpy as np

from geomap.geodesy import great_circle_km, spherical_mean

__all__ = ["FAR_APART_KM", "CENTRE_DECIMALS", "country_point", "country_centres"]

log = logging.getLogger(__name__)

Point = tuple[float, float]

#: Beyond this disagreement the midpoint is far from both conventions (see country_point).
FAR_APART_KM = 450.0
#: Landmass centres are rounded to this many decimals (about 10 m).
CENTRE_DECIMALS = 4


def country_point(factbook: Point | None, centre: Point | None) -> Point:
    """The point that stands for a country named as a whole.

    Neither convention is the country; when they agree within :data:`FAR_APART_KM` we
    take their geodesic midpoint, the point whose larger distance to the two is smallest
    (half their disagreement). When they disagree by more, the midpoint is far from
    both: the landmass centre of a country that spans a continent or an archipelago (its
    equal-area centroid pulled into empty Arctic land, or between islands) is then a
    poor stand-in, and the Factbook point, the usual reference of gazetteers, is kept.
    Else whichever one exists.

    Examples
    --------
    >>> country_point((38.0, -97.0), (39.87, -98.83))
    (38.9386, -97.9029)
    >>> country_point((60.0, 100.0), (65.55, 94.97))
    (60.0, 100.0)
    >>> country_point(None, (17.3, -3.6))
    (17.3, -3.6)
    """
    if factbook is None or centre is None:
        point = factbook or centre
        if point is None:
            raise ValueError("country_point needs at least one point")
        return point
    if float(great_circle_km(*factbook, *centre)) > FAR_APART_KM:
        return (float(factbook[0]), float(factbook[1]))
    return spherical_mean([factbook, centre])


def country_centres() -> dict[str, Point]:
    """Geographic centre of each country's main landmass, from the shipped borders.

    The centre is the area centroid of the country's largest polygon, computed in a
    Lambert azimuthal equal-area projection about that polygon; when the centroid falls
    outside the polygon (a crescent-shaped country) the polygon's nearest point is used.

    Returns
    -------
    dict
        ISO alpha-2 code -> (lat, lon), rounded to :data:`CENTRE_DECIMALS`; empty when
        the borders layer cannot be read.
    """
    try:
        from geomap.borders import load_countries

        frame = load_countries()
    except Exception as err:  # noqa: BLE001 - optional: fall back to countryinfo points
        log.warning("country centres unavailable (%s): using countryinfo points", err)
        return {}
    out = {}
    for code, geom in zip(frame["iso_a2"], frame.geometry, strict=True):
        if isinstance(code, str) and len(code) == 2 and geom is not None and not geom.is_empty:
            out[code] = _main_centre(geom)
    return out


def _main_centre(geom) -> Point:
    import shapely
    from pyproj import Transformer
    from shapely.ops import nearest_points

    polys = list(getattr(geom, "geoms", [geom]))
    best = None
    for poly in polys:
        anchor = poly.representative_point()
        fwd = Transformer.from_crs(
            "EPSG:4326", f"+proj=laea +lat_0={anchor.y} +lon_0={anchor.x} +datum=WGS84",
            always_xy=True)
        flat = shapely.transform(poly, lambda xy, t=fwd: np.column_stack(
            t.transform(xy[:, 0], xy[:, 1])))
        if best is None or flat.area > best[0].area:
            best = (flat, fwd)
    flat, fwd = best
    centre = flat.centroid
    if not flat.contains(centre):
        centre = nearest_points(flat, centre)[0]
    lon, lat = fwd.transform(centre.x, centre.y, direction="INVERSE")
    return (round(float(lat), CENTRE_DECIMALS), round(float(lon), CENTRE_DECIMALS))
