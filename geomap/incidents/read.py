"""Reading: an incident file or a table in memory -> a table of strings, one row per record.

One entry, :func:`read_records`, for every source: CSV (comma, semicolon, tab or ``|``
separated, UTF-8 or UTF-16 with a byte-order mark: :mod:`~geomap.incidents.csvtext`), Excel
``.xlsx`` (the first sheet, as ACLED's other download format), JSON (a list of records, or
an object whose ``data`` member is one, as the ACLED API returns), GeoJSON (Point features;
their coordinates become ``longitude``/``latitude``), Parquet and GeoParquet (whose Point
geometry gives ``longitude``/``latitude`` when the file has no such columns) and pandas
DataFrames or GeoDataFrames of any dtypes. Every value becomes a string (missing values the
empty string), column names become schema names
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

import datetime as dt
import json
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputFileError, RowError
from geomap.incidents.csvtext import read_csv_table
from geomap.incidents.schema import COORDINATE_COLUMNS, ROW_COLUMN, canonical_column

__all__ = ["Source", "READERS", "TABLE_NAME", "read_records", "read_table", "source_name",
           "as_strings"]

Source = str | os.PathLike | pd.DataFrame
"""Incidents: a file (CSV, xlsx, JSON, GeoJSON, Parquet) or a (Geo)DataFrame of records."""

#: File suffix -> reader.
READERS: dict[str, str] = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json",
                           ".geojson": "geojson", ".xlsx": "xlsx", ".parquet": "parquet",
                           ".geoparquet": "parquet"}
#: What messages call a table in memory that was given no ``name``.
TABLE_NAME = "<table>"
_WGS84 = "EPSG:4326"
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
        A CSV, xlsx, JSON, GeoJSON or (Geo)Parquet file, or a table (a GeoDataFrame's
        Point geometries become ``longitude``/``latitude`` in WGS84, as a GeoJSON file's
        do). The table is not changed.
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
        a column ``row`` of its own, or two columns that mean the same (``date`` and
        ``event_date``).
    RowError
        When a value cannot be read (:func:`read_table`).
    """
    label = source_name(source, name)
    frame = read_table(source, name=label)
    names = [canonical_column(c) for c in frame.columns]
    _refuse_collisions(list(frame.columns), names, label)
    frame.columns = names
    if ROW_COLUMN in frame.columns:
        raise InputFileError(
            f"{label}: has a column {ROW_COLUMN!r}; geomap numbers the records in it, "
            "so rename or drop it"
        )
    frame.insert(0, ROW_COLUMN, range(1, len(frame) + 1))
    return frame


def read_table(source: Source, *, name: str | None = None) -> pd.DataFrame:
    """Read a file (or a table) into a table of strings with its own column names.

    What :func:`read_records` reads, before the columns get their schema names and the
    ``row`` numbers: ``geomap geocode --input`` writes these rows back unchanged.

    Raises
    ------
    InputFileError
        When the file is missing, unreadable, empty or not in one of the formats of
        :data:`READERS`.
    RowError
        Naming the row and column: a CSV value that is not UTF-8 text or a quoted value
        that never ends (:mod:`~geomap.incidents.csvtext`), a GeoJSON feature that is not
        a Point with ``[longitude, latitude]``.
    """
    label = source_name(source, name)
    if isinstance(source, pd.DataFrame):
        return _from_table(source, label)
    return _from_file(Path(source), label)


def _refuse_collisions(columns: list[str], names: list[str], label: str) -> None:
    """Refuse two input columns that get the same schema name (``date``, ``event_date``)."""
    first: dict[str, str] = {}
    for column, name in zip(columns, names, strict=True):
        if name in first:
            raise InputFileError(
                f"{label}: the columns {first[name]!r} and {str(column)!r} both mean "
                f"{name!r}; rename or drop one of them"
            )
        first[name] = str(column)


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
        raise InputFileError.missing(path, label)
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise InputFileError(
            f"{label}: unknown input format {path.suffix!r}; use "
            + ", ".join(sorted(READERS))
        )
    readers = {"csv": _read_csv, "json": _read_json, "geojson": _read_geojson,
               "xlsx": _read_xlsx, "parquet": _read_parquet}
    try:
        return readers[kind](path, label)
    except UnicodeDecodeError as err:
        line = err.object[:err.start].count(b"\n") + 1 if isinstance(err.object, bytes) else 1
        raise InputFileError(
            f"{label}: line {line}: not UTF-8 text (byte 0x{err.object[err.start]:02x}); "
            "save the file as UTF-8"
        ) from err
    except OSError as err:
        if isinstance(err, InputFileError):
            raise
        raise InputFileError(f"{label}: cannot read ({err.strerror or err})") from err


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    """Encoding, delimiter and quoting rules: :mod:`geomap.incidents.csvtext`."""
    return read_csv_table(path, label)


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
    """One record per feature: its properties, and its Point's coordinates."""
    features = data.get("features")
    if features is None:
        features = []
    if not isinstance(features, list):
        raise InputFileError(f"{label}: 'features' is {_kind(features)}; a FeatureCollection's "
                             "features are a list of Feature objects")
    return as_strings(pd.DataFrame.from_records(
        [_feature_record(label, i, feature) for i, feature in enumerate(features, start=1)]))


def _kind(value: object) -> str:
    """What a JSON value is, for messages: ``a string``, ``a list``, ``null``."""
    names = {str: "a string", list: "a list", dict: "an object", bool: "true or false",
             int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _feature_record(label: str, row: int, feature: object) -> dict:
    """The properties of one GeoJSON feature, with its Point's ``longitude``/``latitude``."""
    if not isinstance(feature, dict):
        raise RowError(label, row, "feature", f"{_kind(feature)}; a feature is a JSON object "
                       '{"type": "Feature", "geometry": ..., "properties": {...}}')
    props = feature.get("properties")
    if props is not None and not isinstance(props, dict):
        raise RowError(label, row, "properties", f"{_kind(props)}; properties are a JSON "
                       "object of column names and values (or null)")
    props = dict(props or {})
    geom = feature.get("geometry")
    if geom is None:
        return props
    if not isinstance(geom, dict):
        raise RowError(label, row, "geometry", f"{_kind(geom)}; a geometry is a JSON object "
                       '{"type": "Point", "coordinates": [longitude, latitude]} (or null)')
    if geom.get("type") != "Point":
        raise RowError(label, row, "geometry",
                       f"a {geom.get('type')} geometry; incidents must be Points")
    coordinates = geom.get("coordinates")
    if coordinates in (None, []):  # an empty Point: the row is placed from its name
        return props
    if not (isinstance(coordinates, list) and len(coordinates) in (2, 3) and all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)):
        raise RowError(label, row, "geometry", f"Point coordinates {json.dumps(coordinates)}; "
                       "expected [longitude, latitude] (two numbers)")
    props[_LONGITUDE], props[_LATITUDE] = coordinates[:2]
    return props


# -- binary tables: Excel and (Geo)Parquet, typed cells -> the strings as_strings makes -----
def _read_xlsx(path: Path, label: str) -> pd.DataFrame:
    """The first sheet of a workbook; dates become ISO days, numbers their text."""
    from zipfile import BadZipFile

    try:
        table = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl",
                              keep_default_na=False, na_values=[])
    except (BadZipFile, KeyError, ValueError, OSError) as err:
        raise InputFileError(f"{label}: not a readable .xlsx workbook ({err})") from err
    if table.empty and not len(table.columns):
        raise InputFileError(f"{label}: the file is empty")
    return as_strings(table)


def _read_parquet(path: Path, label: str) -> pd.DataFrame:
    """A Parquet file; a GeoParquet file's Points give ``longitude``/``latitude`` unless the
    file has both columns already."""
    import pyarrow.parquet as pq
    from pyarrow import ArrowException

    try:
        geo = b"geo" in (pq.read_schema(path).metadata or {})
        if not geo:
            return as_strings(pd.read_parquet(path, dtype_backend="numpy_nullable"))
        table = gpd.read_parquet(path, to_pandas_kwargs={"types_mapper": _nullable})
    except (ArrowException, OSError, ValueError) as err:
        raise InputFileError(f"{label}: not a readable Parquet file ({err})") from err
    names = {canonical_column(c) for c in table.columns if c != table.active_geometry_name}
    if set(COORDINATE_COLUMNS) <= names:
        table = pd.DataFrame(table.drop(columns=table.active_geometry_name))
    return _from_table(table, label)


def _nullable(arrow_type: object) -> object:
    """Arrow integers and floats as pandas' nullable dtypes (no ``3.0`` for a count)."""
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_floating(arrow_type):
        return pd.Float64Dtype()
    return None
