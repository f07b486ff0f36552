"""Border and basemap layers as GeoJSON for the page (EPSG:4326, rounded coordinates)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geomap.errors import RenderError
from geomap.map.payload.cells import clean_text, column_or_missing

__all__ = [
    "BORDER_DIGITS",
    "COUNTRY_PROPERTIES",
    "LINE_PROPERTIES",
    "BASEMAP_DIGITS",
    "encode_basemap",
    "encode_borders",
    "encode_layer",
]

#: Decimals kept in border coordinates: 1e-5 degree, about a metre.
BORDER_DIGITS = 5
#: Decimals kept in basemap coordinates: 1e-3 degree, about 100 m (it is only drawn).
BASEMAP_DIGITS = 3
#: The properties the page reads from country polygons and from shared border lines.
COUNTRY_PROPERTIES: tuple[str, ...] = ("iso_a2", "name")
LINE_PROPERTIES: tuple[str, ...] = ("a", "b", "name_a", "name_b", "length_km")
#: The one numeric property; shown in whole kilometres.
LENGTH_PROPERTY = "length_km"


def _property(name: str, value: Any) -> Any:
    if name == LENGTH_PROPERTY:
        number = pd.to_numeric(value, errors="coerce")
        return None if pd.isna(number) else round(float(number))
    return clean_text(value)


def encode_layer(
    frame: Any, properties: Sequence[str], ndigits: int = BORDER_DIGITS
) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection (EPSG:4326, ``ndigits`` decimals) of a GeoDataFrame.

    ``length_km`` properties are rounded to whole kilometres; every other property is
    untrusted text. Rows without a geometry are left out.

    Examples
    --------
    >>> encode_layer(None, ("name",))
    {'type': 'FeatureCollection', 'features': []}
    """
    import shapely

    if frame is None or len(frame) == 0:
        return {"type": "FeatureCollection", "features": []}
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    features = []
    columns = {name: list(column_or_missing(frame, name)) for name in properties}
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rounded = shapely.transform(geoms[present], lambda xy: np.round(xy, ndigits))
    shapes = iter(shapely.to_geojson(rounded))
    for k in np.flatnonzero(present).tolist():
        props = {name: _property(name, columns[name][k]) for name in properties}
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(next(shapes))})
    return {"type": "FeatureCollection", "features": features}


def encode_borders(borders: Any) -> dict[str, Any]:
    """Encode border layers (``.countries`` and ``.lines`` GeoDataFrames) as GeoJSON.

    Parameters
    ----------
    borders : BorderLayers-like or None
        Any object with ``countries`` (``iso_a2``, ``name``, polygons) and ``lines``
        (``a``, ``b``, ``name_a``, ``name_b``, ``length_km``, lines) GeoDataFrames.

    Returns
    -------
    dict
        ``{"countries": FeatureCollection, "lines": FeatureCollection}``.

    Examples
    --------
    >>> encode_borders(None)["lines"]["features"]
    []
    """
    if borders is None:
        empty = encode_layer(None, ())
        return {"countries": empty, "lines": empty}
    try:
        countries = borders.countries
        lines = borders.lines
    except AttributeError as err:
        raise RenderError(
            "borders must have .countries and .lines GeoDataFrames (a BorderLayers), "
            f"got {type(borders).__name__}"
        ) from err
    return {
        "countries": encode_layer(countries, COUNTRY_PROPERTIES),
        "lines": encode_layer(lines, LINE_PROPERTIES),
    }


def encode_basemap(basemap: Any) -> dict[str, Any] | None:
    """Encode the vector basemap's country polygons, coarsely; ``None`` stays ``None``.

    Examples
    --------
    >>> encode_basemap(None) is None
    True
    """
    if basemap is None:
        return None
    return encode_layer(basemap, COUNTRY_PROPERTIES, BASEMAP_DIGITS)
