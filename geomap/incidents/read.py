"""Reading: an incident file or a table in memory -> a table of strings, one row per record.

One entry, :func:`read_records`, for every source: CSV (comma, semicolon or tab separated,
UTF-8), JSON (a list of records, or an object whose ``data`` member is one, as the ACLED API
returns), GeoJSON (Point features; their coordinates become ``longitude``/``latitude``) and
pandas DataFrames or GeoDataFrames of any dtypes. Every value becomes a string (missing
values the empty string), column names become schema names
(:func:`~geomap.incidents.schema.canonical_column`), and the column ``row`` numbers the
records from 1. Typing the values is :mod:`geomap.incidents.validate`'s job.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"Date": ["2024-08-25"], "Lat": [16.27], "fatalities": [None]})
>>> read_records(table).to_dict("records")
[{'row': 1, 'event_date': '2024-08-25', 'latitude': '16.27', 'fatalities': ''}]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputFileError, RowError
from geomap.incidents.schema import COORDINATE_COLUMNS, ROW_COLUMN, canonical_column

__all__ = ["Source", "READERS", "TABLE_NAME", "read_records", "source_name", "as_strings"]

Source = str | os.PathLike | pd.DataFrame
"""Incidents: a file (CSV, JSON, GeoJSON) or a (Geo)DataFrame of incident records."""

#: File suffix -> reader.
READERS: dict[str, str] = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json",
                           ".geojson": "geojson"}
#: What messages call a table in memory that was given no ``name``.
TABLE_NAME = "<table>"
_WGS84 = "EPSG:4326"
_SNIFF_BYTES = 4096  # enough of a file's start to tell an empty one
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS


def source_name(source: Source, name: str | None = None) -> str:
    """What messages call ``source``: ``name`` if given, else the path or :data:`TABLE_NAME`.

    Examples
    --------
    >>> import pandas as pd
    >>> source_name("data/events.csv"), source_name(pd.DataFrame()), source_name("x", "mine")
    ('data/events.csv', '<table>', 'mine')
    """
    if name is not None:
        return name
    return TABLE_NAME if isinstance(source, pd.DataFrame) else str(Path(source))


def read_records(source: Source, *, name: str | None = None) -> pd.DataFrame:
    """Read incident records into a table of strings, one row per record.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        A CSV, JSON or GeoJSON file, or a table (a GeoDataFrame's Point geometries become
        ``longitude``/``latitude`` in WGS84, as a GeoJSON file's do). The table is not
        changed.
    name : str, optional
        What messages call the input; default the path, or ``"<table>"`` for a table.

    Returns
    -------
    pandas.DataFrame
        Every value a string (missing ones ``""``), schema column names, and ``row``
        numbering the records from 1 as the first column.

    Raises
    ------
    InputFileError
        When the file is missing, empty or not in one of these formats, or the input has
        a column ``row`` of its own.
    RowError
        When a geometry is not a Point.
    """
    label = source_name(source, name)
    if isinstance(source, pd.DataFrame):
        frame = _from_table(source, label)
    else:
        frame = _from_file(Path(source), label)
    frame.columns = [canonical_column(c) for c in frame.columns]
    if ROW_COLUMN in frame.columns:
        raise InputFileError(
            f"{label}: has a column {ROW_COLUMN!r}; geomap numbers the records in it, "
            "so rename or drop it"
        )
    frame.insert(0, ROW_COLUMN, range(1, len(frame) + 1))
    return frame


def as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table with every value a string, as the file readers make them.

    Missing values (``None``, NaN, ``NA``, ``NaT``) become ``""``; days become ISO days
    (``2024-08-25``), times ISO date-times; everything else ``str(value)``. Column by
    column: only columns of Python objects are converted value by value.

    Examples
    --------
    >>> import pandas as pd
    >>> t = as_strings(pd.DataFrame({"n": [1.5, None], "d": pd.to_datetime(["2024-08-25", None]),
    ...                              "k": pd.array([3, None], dtype="Int64")}))
    >>> t.to_dict("list")
    {'n': ['1.5', ''], 'd': ['2024-08-25', ''], 'k': ['3', '']}
    """
    columns = {}
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = _datetime_strings(values)
        elif values.dtype == object:
            text = values.map(_text)
        else:
            text = values.astype(str)
        columns[position] = text.where(values.notna(), "").astype(str)
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = list(frame.columns)
    return out


def _datetime_strings(values: pd.Series) -> pd.Series:
    days_only = bool((values.dropna() == values.dropna().dt.normalize()).all())
    return values.dt.strftime("%Y-%m-%d" if days_only else "%Y-%m-%dT%H:%M:%S")


def _text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- tables in memory ------------------------------------------------------------------
def _from_table(table: pd.DataFrame, label: str) -> pd.DataFrame:
    geometry = None
    if isinstance(table, gpd.GeoDataFrame) and table.active_geometry_name in table:
        geometry = table.geometry
        table = pd.DataFrame(table.drop(columns=geometry.name))
    frame = as_strings(table).reset_index(drop=True)
    if geometry is not None:
        _put_points(frame, geometry.reset_index(drop=True), label)
    return frame


def _put_points(frame: pd.DataFrame, geometry, label: str) -> None:
    """Write a GeoSeries' Point coordinates into ``longitude``/``latitude`` (WGS84)."""
    if geometry.crs is not None and geometry.crs != _WGS84:
        geometry = geometry.to_crs(_WGS84)
    present = geometry.notna() & ~geometry.is_empty
    wrong = present & (geometry.geom_type != "Point")
    if wrong.any():
        first = int(wrong.to_numpy().argmax())
        raise RowError(label, first + 1, "geometry",
                       f"a {geometry.iloc[first].geom_type} geometry; incidents must be Points")
    for column in (_LONGITUDE, _LATITUDE):
        if column not in frame:
            frame[column] = ""
    points = geometry[present]
    frame.loc[present.to_numpy(), _LONGITUDE] = points.x.astype(str).to_numpy()
    frame.loc[present.to_numpy(), _LATITUDE] = points.y.astype(str).to_numpy()


# -- files -----------------------------------------------------------------------------
def _from_file(path: Path, label: str) -> pd.DataFrame:
    if not path.is_file():
        raise InputFileError(f"{label}: no such file")
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise InputFileError(
            f"{label}: unknown input format {path.suffix!r}; use .csv, .json or .geojson"
        )
    readers = {"csv": _read_csv, "json": _read_json, "geojson": _read_geojson}
    try:
        return readers[kind](path, label)
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"{label}: not UTF-8 text ({err.reason} at byte {err.start})"
        ) from err


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        # the delimiter sniffer would fail first, with a message that hides the cause
        raise InputFileError(f"{label}: the file is empty")
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None,
            engine="python",
        )
    except pd.errors.EmptyDataError as err:
        raise InputFileError(f"{label}: the file is empty") from err
    except (pd.errors.ParserError, csv.Error) as err:
        raise InputFileError(f"{label}: not a readable CSV file ({err})") from err


def _load_json(path: Path, label: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{label}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err


def _read_json(path: Path, label: str) -> pd.DataFrame:
    data = _load_json(path, label)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return _features_frame(label, data)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputFileError(
            f"{label}: expected a JSON list of records (objects) or {{\"data\": [...]}}"
        )
    return as_strings(pd.DataFrame.from_records(data))


def _read_geojson(path: Path, label: str) -> pd.DataFrame:
    data = _load_json(path, label)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputFileError(f"{label}: expected a GeoJSON FeatureCollection")
    return _features_frame(label, data)


def _features_frame(label: str, data: dict) -> pd.DataFrame:
    records = []
    for i, feature in enumerate(data.get("features") or [], start=1):
        props = dict(feature.get("properties") or {})
        geom = feature.get("geometry")
        if geom is not None:
            if geom.get("type") != "Point":
                raise RowError(label, i, "geometry",
                               f"a {geom.get('type')} geometry; incidents must be Points")
            lon, lat = (geom.get("coordinates") or [None, None])[:2]
            props[_LONGITUDE], props[_LATITUDE] = lon, lat
        records.append(props)
    return as_strings(pd.DataFrame.from_records(records))
