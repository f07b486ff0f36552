"""Incidents as the compact column arrays the page runtime reads, one entry per drawn event.

Coordinates become fixed-point integers (1e-5 degree, about a metre), the event type an
index into :data:`EVENT_GROUPS`, dates a day number and a time precision, border distances
tenths of a kilometre, and text columns dictionary-encoded
(:func:`geomap.map.payload.cells.dictionary_column`). Date labels are not stored: the
runtime formats them from day and precision as
:func:`geomap.map.payload.labels.format_event_date` does.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geomap.errors import RenderError
from geomap.incidents.schema import MAP_TEXT_COLUMNS
from geomap.map.payload.categories import category_groups
from geomap.map.payload.cells import (
    clean_text,
    column_or_missing,
    day_numbers,
    dictionary_column,
    factorize_text,
    nullable_ints,
    recode,
    to_numbers,
)
from geomap.map.payload.labels import DAY_PRECISION, TIME_PRECISION_UNITS

__all__ = [
    "COORD_SCALE",
    "EVENT_GROUPS",
    "OTHER_GROUP",
    "EventGroup",
    "encode_incidents",
    "event_coordinates",
    "event_group_index",
    "web_link",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventGroup:
    """One entry of the event-type palette.

    Parameters
    ----------
    key : str
        A stable identifier (used as ``data-group`` in the legend).
    label : str
        The ACLED event type the group stands for, as shown in legend and layer control.
    color : str
        ``#rrggbb`` colour of the markers.
    """

    key: str
    label: str
    color: str


#: ACLED's six event types in the Okabe-Ito colour-blind-safe palette, then the fallback.
EVENT_GROUPS: tuple[EventGroup, ...] = (
    EventGroup("battles", "Battles", "#D55E00"),
    EventGroup("explosions", "Explosions/Remote violence", "#E69F00"),
    EventGroup("civilians", "Violence against civilians", "#CC79A7"),
    EventGroup("riots", "Riots", "#0072B2"),
    EventGroup("protests", "Protests", "#56B4E9"),
    EventGroup("strategic", "Strategic developments", "#009E73"),
    EventGroup("other", "Other / unknown", "#7A7A7A"),
)
#: The group of every event whose type is not one of ACLED's six.
OTHER_GROUP: EventGroup = EVENT_GROUPS[-1]
#: Coordinates are stored as ``round(degrees * COORD_SCALE)``.
COORD_SCALE = 100_000
#: Border distances are stored in tenths of a kilometre.
DKM_PER_KM = 10
#: The largest latitude and longitude a drawn event may have, in degrees.
MAX_LATITUDE, MAX_LONGITUDE = 90, 180

_OTHER_INDEX = len(EVENT_GROUPS) - 1
_GROUP_INDEX = {group.label.casefold(): i for i, group in enumerate(EVENT_GROUPS)}
_UNSAFE_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_WEB_URL = re.compile(r"https?://[^/?#@\[\]]", re.IGNORECASE)


def web_link(text: str | None) -> str | None:
    """``text`` when it is an absolute http(s) URL with a host and no spaces or controls.

    Examples
    --------
    >>> web_link("https://example.org/a"), web_link("javascript:alert(1)")
    ('https://example.org/a', None)
    >>> web_link("https://"), web_link("http:/x"), web_link("https://a b")
    (None, None, None)
    """
    if text is None or not _WEB_URL.match(text) or _UNSAFE_URL.search(text):
        return None
    return text


def event_group_index(event_type: Any) -> int:
    """Return the index in :data:`EVENT_GROUPS` of an event type (the fallback if unknown).

    Examples
    --------
    >>> EVENT_GROUPS[event_group_index(" battles ")].label
    'Battles'
    >>> EVENT_GROUPS[event_group_index("<script>")].key
    'other'
    """
    text = clean_text(event_type)
    if text is None:
        return _OTHER_INDEX
    return _GROUP_INDEX.get(" ".join(text.split()).casefold(), _OTHER_INDEX)


def event_coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (lat, lon) arrays from the point geometry, else the latitude/longitude columns.

    Non-point and empty geometries give NaN; a projected frame is reprojected to EPSG:4326.

    Examples
    --------
    >>> lat, lon = event_coordinates(pd.DataFrame({"latitude": [12.6], "longitude": ["-8"]}))
    >>> lat.tolist(), lon.tolist()
    ([12.6], [-8.0])
    """
    import shapely

    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    if geometry is None:
        return (to_numbers(column_or_missing(frame, "latitude")),
                to_numbers(column_or_missing(frame, "longitude")))
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs("EPSG:4326")
    geoms = np.asarray(geometry.values, dtype=object)
    points = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    lat = np.full(len(geoms), np.nan)
    lon = np.full(len(geoms), np.nan)
    lon[points] = shapely.get_x(geoms[points])
    lat[points] = shapely.get_y(geoms[points])
    return lat, lon


def _text_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """The dictionary-encoded text columns; source URLs split into web links and the rest."""
    text = {name: dictionary_column(*factorize_text(column_or_missing(frame, name)))
            for name in MAP_TEXT_COLUMNS}
    url_codes, urls = factorize_text(column_or_missing(frame, "source_url"))
    is_link = np.array([web_link(u) is not None for u in urls] + [False], dtype=bool)
    link_codes = np.where(is_link[url_codes], url_codes, -1)
    other_codes = np.where(is_link[url_codes], -1, url_codes)
    text["source_link"] = dictionary_column(*recode(link_codes, urls))
    text["source_url"] = dictionary_column(*recode(other_codes, urls))
    return text


def _groups(frame: pd.DataFrame) -> list[int]:
    """The event-type group of each row; each distinct type is looked up once."""
    codes, values = pd.factorize(column_or_missing(frame, "event_type"), use_na_sentinel=True)
    group_map = np.array([event_group_index(v) for v in values] + [_OTHER_INDEX])
    return group_map[codes].tolist()


def encode_incidents(
    incidents: pd.DataFrame, *, color_by: str | None = None, color_top: int | None = None
) -> dict[str, Any]:
    """Encode incidents as the compact column-wise record the map runtime reads.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame or pandas.DataFrame
        One row per event (the incident schema). Point geometry is used when present,
        else the ``latitude``/``longitude`` columns. Rows without usable coordinates are
        left out (and logged).
    color_by, color_top : str, int, optional
        Group events by the ``color_top`` most frequent values of this column instead
        (:func:`~geomap.map.payload.categories.category_groups`), returned as ``groups``.

    Returns
    -------
    dict
        ``n`` and, one entry per drawn event: ``lat``, ``lon`` (integers, degrees times
        :data:`COORD_SCALE`), ``group``, ``day`` (days since 1970-01-01),
        ``time_precision``, ``fatalities``, ``geo_precision``, ``border_dkm`` (tenths of
        a km) and ``text``: dictionary-encoded text columns, ``source_link`` holding
        only http(s) URLs and ``source_url`` every other URL text.

    Examples
    --------
    >>> frame = pd.DataFrame({"latitude": [12.65, None], "longitude": [-8.0, 1.0],
    ...                       "event_type": ["Riots", "Riots"]})
    >>> events = encode_incidents(frame)
    >>> events["n"], events["lat"], events["group"], events["time_precision"]
    (1, [1265000], [3], [1])
    """
    if not isinstance(incidents, pd.DataFrame):
        raise RenderError(f"incidents must be a (Geo)DataFrame, got {type(incidents).__name__}")
    lat, lon = event_coordinates(incidents)
    with np.errstate(invalid="ignore"):
        usable = (np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= MAX_LATITUDE)
                  & (np.abs(lon) <= MAX_LONGITUDE))
    if not usable.all():
        log.warning("%d incident(s) without usable coordinates are not drawn", (~usable).sum())
    frame = incidents if usable.all() else incidents.loc[usable]  # no copy of a whole table
    precisions = to_numbers(column_or_missing(frame, "time_precision"))
    precisions = np.where(np.isin(precisions, list(TIME_PRECISION_UNITS)), precisions,
                          DAY_PRECISION).astype(np.int64)
    border = np.round(to_numbers(column_or_missing(frame, "border_distance_km")) * DKM_PER_KM)
    extra = dict(zip(("group", "groups"), category_groups(frame, color_by, color_top),
                     strict=True)) if color_by is not None else {}
    return {
        "n": int(usable.sum()),
        "lat": np.round(lat[usable] * COORD_SCALE).astype(np.int64).tolist(),
        "lon": np.round(lon[usable] * COORD_SCALE).astype(np.int64).tolist(),
        "group": _groups(frame),
        "day": nullable_ints(day_numbers(column_or_missing(frame, "event_date"))),
        "time_precision": precisions.tolist(),
        "fatalities": nullable_ints(to_numbers(column_or_missing(frame, "fatalities"))),
        "geo_precision": nullable_ints(to_numbers(column_or_missing(frame, "geo_precision"))),
        "border_dkm": nullable_ints(np.where(np.isfinite(border) & (border >= 0), border,
                                             np.nan)),
        "text": _text_columns(frame),
    } | extra
