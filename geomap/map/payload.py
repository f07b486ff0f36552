"""The data of a map page: incidents and layers encoded compactly, then packed for the page.

Incidents become column arrays, one entry per drawn event: coordinates as fixed-point
integers (1e-5 degree, about a metre), the event-type group, the day number and time
precision, fatalities, geo-precision, border distance in tenths of a kilometre, and
dictionary-encoded text columns (``{"v": distinct values, "i": one code per event}``, code
-1 missing; ``"i"`` is left out when every event has its own value, in order, as notes
usually do). Date labels are not stored: the runtime formats them from day and precision
the way :func:`format_event_date` does.

:func:`pack` turns the whole record into JSON, compresses it with raw deflate and
encodes it as base64: a string of ``A-Za-z0-9+/=`` that is inert anywhere in HTML. The
page inflates it with the browser's ``DecompressionStream``. Every text of the input is
untrusted; it reaches the page only inside this packed data and then only as DOM text.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geomap.errors import RenderError
from geomap.incidents.schema import MAP_TEXT_COLUMNS

__all__ = [
    "COORD_SCALE",
    "EVENT_GROUPS",
    "OTHER_GROUP",
    "EventGroup",
    "encode_borders",
    "encode_incidents",
    "encode_layer",
    "event_group_index",
    "format_event_date",
    "pack",
    "to_escaped_json",
    "unpack",
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

_GROUP_INDEX = {group.label.casefold(): i for i, group in enumerate(EVENT_GROUPS)}
_EPOCH = np.datetime64("1970-01-01", "D")
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_UNSAFE_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_WEB_URL = re.compile(r"https?://[^/?#@\[\]]", re.IGNORECASE)
_ZLEVEL = 6
_ZCHUNK = 4 << 20  # compress in 4 MB pieces, in parallel


# --------------------------------------------------------------------------- JSON, packing


def to_escaped_json(obj: Any) -> str:
    r"""Serialise ``obj`` as JSON that is safe inside an HTML ``<script>`` element.

    Like folium's ``_to_escaped_json``: ``<``, ``>`` and ``&`` become ``\u003c``,
    ``\u003e`` and ``\u0026`` so no ``</script>`` or ``<!--`` can appear, and U+2028 /
    U+2029 are escaped for old JavaScript parsers. Besides, a ``{`` that opens a Jinja
    tag (``{{``, ``{%``, ``{#``) becomes ``\u007b``, so the text is inert should it ever
    pass through a template engine. NaN and infinities are refused.

    Examples
    --------
    >>> to_escaped_json({"notes": "</script><b>&"})
    '{"notes":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    >>> to_escaped_json(["{{ x }}"])
    '["\\u007b{ x }}"]'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", text)


def pack(obj: Any) -> str:
    """Return ``obj`` as base64 of raw-deflated UTF-8 JSON (what the page inflates).

    Examples
    --------
    >>> unpack(pack({"notes": "</script>"}))
    {'notes': '</script>'}
    """
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    data = data.encode("utf-8")
    pieces = [data[k:k + _ZCHUNK] for k in range(0, len(data), _ZCHUNK)] or [b""]
    last = len(pieces) - 1

    def deflate(k: int) -> bytes:
        # Like pigz: each piece is compressed on its own; all but the last end with a
        # sync flush (byte-aligned, not final), so the concatenation is one valid stream.
        compressor = zlib.compressobj(_ZLEVEL, zlib.DEFLATED, -15)
        head = compressor.compress(pieces[k])
        return head + compressor.flush(zlib.Z_FINISH if k == last else zlib.Z_SYNC_FLUSH)

    workers = min(len(pieces), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:  # zlib releases the GIL
            raw = b"".join(pool.map(deflate, range(len(pieces))))
    else:
        raw = b"".join(deflate(k) for k in range(len(pieces)))
    return base64.b64encode(raw).decode("ascii")


def unpack(text: str) -> Any:
    """Inverse of :func:`pack` (for tests and tools)."""
    return json.loads(zlib.decompress(base64.b64decode(text), -15).decode("utf-8"))


# --------------------------------------------------------------------------- cells


def _clean_text(value: Any) -> str | None:
    """Return an untrusted cell as a valid Unicode string, or ``None`` when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", errors="replace").decode("utf-8")
    return text.strip() or None


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _clean_texts(values: Any) -> list[str | None]:
    """:func:`_clean_text` of many values; fast when all are valid strings."""
    values = list(values)
    if all(type(v) is str for v in values):
        try:
            "".join(values).encode("utf-8")  # no lone surrogates anywhere
        except UnicodeEncodeError:
            pass
        else:
            return [v.strip() or None for v in values]
    return [_clean_text(v) for v in values]


def _factorize(series: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Return codes (-1 missing) and distinct cleaned values; each value cleaned once."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = _clean_texts(uniques)
    distinct: dict[Any, int] = {}
    remap = np.empty(len(cleaned) + 1, dtype=np.int64)
    remap[-1] = -1  # code -1 indexes the last slot
    for k, value in enumerate(cleaned):
        remap[k] = -1 if value is None else distinct.setdefault(value, len(distinct))
    return remap[codes], list(distinct)


def _dict_column(codes: np.ndarray, values: list[Any]) -> dict[str, Any]:
    """``{"v": values, "i": codes}``; ``"i"`` omitted when the codes are 0, 1, 2, ..."""
    if len(values) == len(codes) and np.array_equal(codes, np.arange(len(codes))):
        return {"v": values}
    return {"v": values, "i": codes.tolist()}


def _nullable_ints(values: np.ndarray) -> list[int | None]:
    """Finite floats as ints, NaN as ``None``."""
    finite = np.isfinite(values)
    ints = np.where(finite, values, 0).astype(np.int64).tolist()
    if finite.all():
        return ints
    return [v if ok else None for v, ok in zip(ints, finite.tolist(), strict=True)]


def _numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def format_event_date(date: Any, precision: Any = 1) -> str | None:
    """Return an event date as shown in popups, according to its time precision.

    The page's runtime formats dates the same way (``dateLabel`` in ``geomap.js``).

    Parameters
    ----------
    date : datetime-like
        The first day of the event's period.
    precision : int
        ACLED time precision: 1 day, 2 month, 3 year (anything else: day).

    Returns
    -------
    str or None
        ``"2023-12-05"``, ``"December 2023"`` or ``"2023"``; ``None`` for a missing date.

    Examples
    --------
    >>> format_event_date(pd.Timestamp("2023-12-05"))
    '2023-12-05'
    >>> format_event_date(pd.Timestamp("2023-12-01"), 2)
    'December 2023'
    >>> format_event_date(pd.Timestamp("2023-01-01"), 3)
    '2023'
    """
    if date is None or pd.isna(date):
        return None
    stamp = pd.Timestamp(date)
    if precision == 2:
        return f"{stamp.month_name()} {stamp.year}"
    if precision == 3:
        return str(stamp.year)
    return stamp.strftime("%Y-%m-%d")


def _days(series: pd.Series) -> np.ndarray:
    """Day numbers since 1970-01-01 (NaN for missing or unreadable dates)."""
    stamps = pd.to_datetime(series, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    days = stamps.to_numpy("datetime64[ns]").astype("datetime64[D]")
    out = (days - _EPOCH).astype("float64")
    out[np.isnat(days)] = np.nan
    return out


def _web_link(text: str | None) -> str | None:
    """``text`` when it is an absolute http(s) URL with a host and no spaces or controls.

    Examples
    --------
    >>> _web_link("https://example.org/a"), _web_link("javascript:alert(1)")
    ('https://example.org/a', None)
    >>> _web_link("https://"), _web_link("http:/x"), _web_link("https://a b")
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
    text = _clean_text(event_type)
    if text is None:
        return len(EVENT_GROUPS) - 1
    return _GROUP_INDEX.get(" ".join(text.split()).casefold(), len(EVENT_GROUPS) - 1)


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (lat, lon) arrays from the point geometry, else the latitude/longitude columns."""
    import shapely

    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    if geometry is not None:
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            geometry = geometry.to_crs("EPSG:4326")
        geoms = np.asarray(geometry.values, dtype=object)
        points = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
        lat = np.full(len(geoms), np.nan)
        lon = np.full(len(geoms), np.nan)
        lon[points] = shapely.get_x(geoms[points])
        lat[points] = shapely.get_y(geoms[points])
        return lat, lon
    return _numbers(_column(frame, "latitude")), _numbers(_column(frame, "longitude"))


# --------------------------------------------------------------------------- incidents


def encode_incidents(incidents: pd.DataFrame) -> dict[str, Any]:
    """Encode incidents as the compact column-wise record the map runtime reads.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame or pandas.DataFrame
        One row per event (the incident schema). Point geometry is used when present,
        else the ``latitude``/``longitude`` columns. Rows without usable coordinates are
        left out (and logged).

    Returns
    -------
    dict
        ``n`` and, one entry per drawn event: ``lat``, ``lon`` (integers, degrees times
        :data:`COORD_SCALE`), ``group``, ``day`` (days since 1970-01-01),
        ``time_precision``, ``fatalities``, ``geo_precision``, ``border_dkm`` (tenths of
        a km) and ``text``: dictionary-encoded text columns, ``source_link`` holding
        only http(s) URLs and ``source_url`` every other URL text.
    """
    if not isinstance(incidents, pd.DataFrame):
        raise RenderError(f"incidents must be a (Geo)DataFrame, got {type(incidents).__name__}")
    lat, lon = _coordinates(incidents)
    with np.errstate(invalid="ignore"):
        usable = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not usable.all():
        log.warning("%d incident(s) without usable coordinates are not drawn", (~usable).sum())
    frame = incidents.loc[usable]

    text = {name: _dict_column(*_factorize(_column(frame, name))) for name in MAP_TEXT_COLUMNS}
    url_codes, urls = _factorize(_column(frame, "source_url"))
    is_link = np.array([_web_link(u) is not None for u in urls] + [False], dtype=bool)
    link_codes = np.where(is_link[url_codes], url_codes, -1)
    text["source_link"] = _dict_column(*_recode(link_codes, urls))
    text["source_url"] = _dict_column(*_recode(np.where(is_link[url_codes], -1, url_codes),
                                               urls))

    group_codes, group_values = pd.factorize(_column(frame, "event_type"), use_na_sentinel=True)
    group_map = np.array([event_group_index(v) for v in group_values] + [len(EVENT_GROUPS) - 1])
    precisions = _numbers(_column(frame, "time_precision"))
    precisions = np.where(np.isin(precisions, (1, 2, 3)), precisions, 1).astype(np.int64)
    border = np.round(_numbers(_column(frame, "border_distance_km")) * 10)
    return {
        "n": int(usable.sum()),
        "lat": np.round(lat[usable] * COORD_SCALE).astype(np.int64).tolist(),
        "lon": np.round(lon[usable] * COORD_SCALE).astype(np.int64).tolist(),
        "group": group_map[group_codes].tolist(),
        "day": _nullable_ints(_days(_column(frame, "event_date"))),
        "time_precision": precisions.tolist(),
        "fatalities": _nullable_ints(_numbers(_column(frame, "fatalities"))),
        "geo_precision": _nullable_ints(_numbers(_column(frame, "geo_precision"))),
        "border_dkm": _nullable_ints(np.where(np.isfinite(border) & (border >= 0), border,
                                              np.nan)),
        "text": text,
    }


def _recode(codes: np.ndarray, values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Drop the values no code uses and renumber the codes."""
    used = np.unique(codes[codes >= 0])
    remap = np.full(len(values) + 1, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return remap[codes], [values[k] for k in used.tolist()]


# --------------------------------------------------------------------------- layers


def encode_layer(frame: Any, properties: Sequence[str], ndigits: int = 5) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection (EPSG:4326, ``ndigits`` decimals) of a GeoDataFrame.

    ``length_km`` properties are rounded to whole kilometres; every other property is
    untrusted text.
    """
    import shapely

    if frame is None or len(frame) == 0:
        return {"type": "FeatureCollection", "features": []}
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    features = []
    columns = {name: list(_column(frame, name)) for name in properties}
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rounded = shapely.transform(geoms[present], lambda xy: np.round(xy, ndigits))
    shapes = iter(shapely.to_geojson(rounded))
    for k in np.flatnonzero(present).tolist():
        geometry = json.loads(next(shapes))
        props: dict[str, Any] = {}
        for name in properties:
            value = columns[name][k]
            if name == "length_km":
                number = pd.to_numeric(value, errors="coerce")
                props[name] = None if pd.isna(number) else round(float(number))
            else:
                props[name] = _clean_text(value)
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
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
        "countries": encode_layer(countries, ("iso_a2", "name")),
        "lines": encode_layer(lines, ("a", "b", "name_a", "name_b", "length_km")),
    }
