"""The whole record a page carries: events, layers, legend groups, labels, view and style."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geomap.map.payload.events import COORD_SCALE, EVENT_GROUPS, encode_incidents
from geomap.map.payload.labels import page_labels
from geomap.map.payload.layers import encode_basemap, encode_borders
from geomap.map.payload.view import core_bounds

__all__ = ["PAYLOAD_VERSION", "data_bounds", "page_record"]

#: The layout of the record; 3 added ``labels``, 4 ``outside`` and ``legend``.
PAYLOAD_VERSION = 4
#: The column events are coloured by unless told otherwise (ACLED's fixed type palette).
DEFAULT_COLOR_BY = "event_type"


def _layer_points(collection: Mapping[str, Any]) -> list[tuple[float, float]]:
    """Every (lat, lon) vertex of a GeoJSON FeatureCollection."""
    coords: list[tuple[float, float]] = []

    def walk(c: Any) -> None:
        if c and isinstance(c[0], (int, float)):
            coords.append((c[1], c[0]))
        else:
            for item in c:
                walk(item)

    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    return coords


def data_bounds(
    events: Mapping[str, Any], countries: Mapping[str, Any]
) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` where most events are
    (:func:`geomap.map.payload.view.core_bounds`), else of the countries, else ``None``.

    Examples
    --------
    >>> data_bounds({"n": 2, "lat": [100000, 300000], "lon": [-50000, 0]}, {"features": []})
    [[1.0, -0.5], [3.0, 0.0]]
    >>> data_bounds({"n": 0}, {"features": []}) is None
    True
    """
    if events["n"]:
        return core_bounds(np.asarray(events["lat"]) / COORD_SCALE,
                           np.asarray(events["lon"]) / COORD_SCALE)[0]
    coords = _layer_points(countries)
    if not coords:
        return None
    ys, xs = zip(*coords, strict=True)
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def page_record(
    incidents: pd.DataFrame,
    *,
    borders: Any = None,
    basemap: Any = None,
    title: str | None = None,
    attribution: Sequence[str] = (),
    style: Mapping[str, Any] | None = None,
    color_by: str | None = None,
    color_top: int | None = None,
) -> dict[str, Any]:
    """Return the record :func:`geomap.map.payload.pack` packs into a page.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The events (see :func:`geomap.map.payload.encode_incidents`).
    borders, basemap : optional
        Border layers and the vector basemap (see :func:`geomap.map.page.build_map`).
    title : str, optional
        The map's title.
    attribution : sequence of str
        Constant HTML attribution lines.
    style : mapping, optional
        Marker and clustering style (``radius``, ``cluster_radius``, ``max_zoom``,
        ``size_by``, ``min_radius``, ``max_radius``).
    color_by : str, optional
        The column events are coloured by (default ``event_type``: ACLED's six types in
        fixed colours); any other column gets its ``color_top`` most frequent values and
        "other" (:func:`geomap.map.payload.categories.category_groups`).

    Returns
    -------
    dict
        ``version``, ``title``, ``bounds``, ``groups`` (legend entries with their event
        counts), ``coord_scale``, ``events``, ``countries``, ``lines``, ``basemap``,
        ``labels`` (:func:`geomap.map.payload.labels.page_labels`), ``attribution``,
        ``style``, ``legend`` (its ``title``).
    """
    by_type = color_by in (None, DEFAULT_COLOR_BY)
    events = encode_incidents(incidents, color_by=None if by_type else color_by,
                              color_top=color_top)
    groups = events.pop("groups", None) or [
        {"key": g.key, "label": g.label, "color": g.color} for g in EVENT_GROUPS]
    counts = np.bincount(np.asarray(events["group"], dtype=np.int64), minlength=len(groups))
    layers = encode_borders(borders)
    return {
        "version": PAYLOAD_VERSION,
        "title": title,
        "bounds": data_bounds(events, layers["countries"]),
        "groups": [{**g, "count": int(counts[i])} for i, g in enumerate(groups)],
        "legend": {"title": "Events by " + ("type" if by_type else color_by)},
        "coord_scale": COORD_SCALE,
        "events": events,
        **layers,
        "basemap": encode_basemap(basemap),
        "labels": page_labels(),
        "attribution": list(attribution),
        "style": dict(style or {}),
    }
