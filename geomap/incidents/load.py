"""Incidents: the schema, the readers (CSV, JSON, GeoJSON, ACLED exports), row
validation, geocoding of rows without coordinates, and :func:`filter_incidents`.

Column names follow ACLED so its exports load as they are. Required: a date
(``event_date``) and either a place name (``location``) or coordinates
(``latitude`` and ``longitude``). Every input row is accounted for: it ends up in
:attr:`IncidentLoad.incidents`, in :attr:`IncidentLoad.unresolved` with its reason, or
merged into another row as one more actor of the same ACLED event.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputFileError, RowError
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.incidents.dates import parse_date
from geomap.incidents.schema import TEXT_COLUMNS, canonical_column

__all__ = [
    "IncidentLoad",
    "read_records",
    "load_incidents",
    "filter_incidents",
    "dominant_countries",
]

_READERS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json",
            ".geojson": "geojson"}


@dataclass(frozen=True)
class IncidentLoad:
    """What :func:`load_incidents` made of an input file.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        One row per event with a position (EPSG:4326 points), in input order.
    unresolved : pandas.DataFrame
        Rows that could not be placed: ``row``, ``location``, ``country``, ``reason``.
    rows_read : int
        Data rows in the file.
    merged : int
        Rows folded into another row of the same ACLED event (monadic exports list an
        event once per actor).
    path : str
        The input file.
    """

    incidents: gpd.GeoDataFrame
    unresolved: pd.DataFrame
    rows_read: int
    merged: int
    path: str


# -- reading ---------------------------------------------------------------------------
def read_records(path: str | Path) -> pd.DataFrame:
    """Read an incident file into a table of strings, one row per record.

    CSV (comma, semicolon or tab separated, UTF-8), JSON (a list of records, or an
    object whose ``data`` member is one, as the ACLED API returns) and GeoJSON
    (Point features; their coordinates become ``longitude``/``latitude``). The column
    ``row`` numbers the records from 1.

    Raises
    ------
    InputFileError
        When the file is missing, empty or not in one of these formats.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise InputFileError(
            f"{path}: unknown input format {path.suffix!r}; use .csv, .json or .geojson"
        )
    try:
        frame = {"csv": _read_csv, "json": _read_json, "geojson": _read_geojson}[kind](path)
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") \
            from err
    frame.columns = [canonical_column(c) for c in frame.columns]
    frame.insert(0, "row", range(1, len(frame) + 1))
    return frame


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None,
            engine="python",
        )
    except pd.errors.EmptyDataError as err:
        raise InputFileError(f"{path}: the file is empty") from err
    except (pd.errors.ParserError, csv.Error) as err:
        raise InputFileError(f"{path}: not a readable CSV file ({err})") from err


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err


def _read_json(path: Path) -> pd.DataFrame:
    data = _load_json(path)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return _features_frame(path, data)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputFileError(
            f"{path}: expected a JSON list of records (objects) or {{\"data\": [...]}}"
        )
    return _strings(pd.DataFrame.from_records(data))


def _read_geojson(path: Path) -> pd.DataFrame:
    data = _load_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputFileError(f"{path}: expected a GeoJSON FeatureCollection")
    return _features_frame(path, data)


def _features_frame(path: Path, data: dict) -> pd.DataFrame:
    records = []
    for i, feature in enumerate(data.get("features") or [], start=1):
        props = dict(feature.get("properties") or {})
        geom = feature.get("geometry")
        if geom is not None:
            if geom.get("type") != "Point":
                raise RowError(str(path), i, "geometry",
                               f"a {geom.get('type')} geometry; incidents must be Points")
            lon, lat = (geom.get("coordinates") or [None, None])[:2]
            props["longitude"], props["latitude"] = lon, lat
        records.append(props)
    return _strings(pd.DataFrame.from_records(records))


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v))
                     else str(v))


# -- validation ------------------------------------------------------------------------
def _require_columns(frame: pd.DataFrame, path: Path) -> None:
    cols = set(frame.columns)
    has_place = "location" in cols
    has_coords = {"latitude", "longitude"} <= cols
    missing = []
    if "event_date" not in cols:
        missing.append("'event_date'")
    if not (has_place or has_coords):
        missing.append("'location' or 'latitude'+'longitude'")
    if missing:
        found = ", ".join(repr(c) for c in frame.columns if c != "row") or "none"
        raise InputFileError(
            f"{path}: missing required column {' and '.join(missing)} (found: {found})"
        )


def _number(value: str, path: Path, row: int, column: str, lo: float, hi: float) -> float:
    text = value.strip()
    if not text:
        return math.nan
    try:
        number = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text \
            else float(text)
    except ValueError:
        raise RowError(str(path), row, column, f"{value!r} is not a number") from None
    if not (math.isfinite(number) and lo <= number <= hi):
        raise RowError(str(path), row, column, f"{value!r} is outside [{lo:g}, {hi:g}]")
    return number


def _typed(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Parse dates, coordinates and counts; raise RowError on the first bad value."""
    for col in TEXT_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
        frame[col] = frame[col].astype(str).str.strip()
    starts, ends, precisions, lats, lons, deaths, geo = [], [], [], [], [], [], []
    given_tp = frame["time_precision"] if "time_precision" in frame.columns else None
    for i, rec in enumerate(frame.itertuples(index=False)):
        row = rec.row
        try:
            start, end, precision = parse_date(rec.event_date)
        except ValueError as err:
            raise RowError(str(path), row, "event_date", str(err)) from None
        if given_tp is not None and str(given_tp.iloc[i]).strip() in ("1", "2", "3"):
            precision = max(precision, int(given_tp.iloc[i]))
        starts.append(start)
        ends.append(end)
        precisions.append(precision)
        lat = _number(getattr(rec, "latitude", ""), path, row, "latitude", -90, 90)
        lon = _number(getattr(rec, "longitude", ""), path, row, "longitude", -180, 180)
        if math.isnan(lat) != math.isnan(lon):
            column = "longitude" if math.isnan(lon) else "latitude"
            raise RowError(str(path), row, column,
                           "empty while the other coordinate is given; give both or neither")
        lats.append(lat)
        lons.append(lon)
        f = _number(getattr(rec, "fatalities", ""), path, row, "fatalities", 0, 1e7)
        if not math.isnan(f) and f != int(f):
            raise RowError(str(path), row, "fatalities", f"{f} is not a whole number")
        deaths.append(None if math.isnan(f) else int(f))
        g = _number(getattr(rec, "geo_precision", ""), path, row, "geo_precision", 1, 3)
        geo.append(None if math.isnan(g) else int(g))
    frame["event_date"] = pd.to_datetime(starts)
    frame["date_end"] = pd.to_datetime(ends)
    frame["time_precision"] = precisions
    frame["latitude"] = lats
    frame["longitude"] = lons
    frame["fatalities"] = pd.array(deaths, dtype="Int64")
    frame["geo_precision"] = pd.array(geo, dtype="Int64")
    return frame


def _collapse_monadic(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Fold ACLED's one-row-per-actor layout into one row per event."""
    ids = frame["event_id_cnty"]
    dup = ids.ne("") & ids.duplicated(keep=False)
    if not dup.any():
        return frame, 0
    actors = (
        frame[dup].groupby("event_id_cnty", sort=False)["actor1"]
        .agg(lambda s: [a for a in dict.fromkeys(s) if a])
    )
    keep = ~(ids.ne("") & ids.duplicated(keep="first"))
    out = frame[keep].copy()
    for event_id, names in actors.items():
        mask = out["event_id_cnty"] == event_id
        out.loc[mask, "actor1"] = names[0] if names else ""
        if len(names) > 1 and not out.loc[mask, "actor2"].iloc[0]:
            out.loc[mask, "actor2"] = "; ".join(names[1:])
    return out, int(len(frame) - len(out))


# -- geocoding -------------------------------------------------------------------------
def dominant_countries(codes: Iterable[str | None]) -> tuple[str, ...]:
    """Countries that make up a fifth or more of the rows: the prior for rows without one.

    Examples
    --------
    >>> dominant_countries(["ML", "ML", "BF", None, "ML", "NE", "NE", "NE", "ML", "ML"])
    ('ML', 'NE')
    """
    counts = Counter(c for c in codes if c)
    total = sum(counts.values())
    return tuple(c for c, n in counts.most_common() if total and n / total >= 0.2)


def _locate(frame: pd.DataFrame, gaz: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = [gaz.country_code(c) if c else None for c in frame["country"]]
    frame["country_code"] = codes
    prior = dominant_countries(codes)
    out = {k: [] for k in ("geocoded_name", "geocode_method", "geocode_rule", "place_id")}
    reasons: list[str | None] = []
    matches = _geocode_rows(gaz, frame, prior)
    for i, match in enumerate(matches):
        if match is None:
            for k, v in zip(out, ("", "given", "coordinates given in the input", ""),
                            strict=True):
                out[k].append(v)
            reasons.append(None)
            continue
        place = match.place
        reasons.append(None if place else match.rule)
        out["geocoded_name"].append(place.name if place else "")
        out["geocode_method"].append(match.method)
        out["geocode_rule"].append(match.rule)
        out["place_id"].append(place.id if place else "")
        if place:
            frame.iat[i, frame.columns.get_loc("latitude")] = place.lat
            frame.iat[i, frame.columns.get_loc("longitude")] = place.lon
            if pd.isna(frame.iat[i, frame.columns.get_loc("geo_precision")]):
                frame.iat[i, frame.columns.get_loc("geo_precision")] = match.precision
            if not codes[i]:
                frame.iat[i, frame.columns.get_loc("country_code")] = place.country_code
    for k, v in out.items():
        frame[k] = v
    failed = pd.Series([r is not None for r in reasons], index=frame.index)
    unresolved = frame.loc[failed, ["row", "location", "country"]].copy()
    unresolved["reason"] = [r for r in reasons if r is not None]
    return frame.loc[~failed], unresolved


def _geocode_rows(gaz: Gazetteer, frame: pd.DataFrame, prior: tuple[str, ...]) -> list:
    """The match of each row without coordinates (``None`` for rows that have them).

    The rows are resolved together by :func:`geomap.gazetteer.batch.resolve_keys`: each distinct
    place once, unknown countries as a reason, and a commune's certain places help place
    its doubtful ones.
    """
    from geomap.gazetteer.batch import resolve_keys
    from geomap.place import Hints, Match

    out: list = [None] * len(frame)
    keys: dict[int, tuple] = {}
    for i, rec in enumerate(frame.itertuples(index=False)):
        if not math.isnan(rec.latitude):
            continue
        if not rec.location:
            out[i] = Match.unresolved(rec.location, "no coordinates and no location name")
        else:
            keys[i] = (rec.location, Hints(rec.country, rec.admin1, rec.admin2, rec.admin3))
    found = resolve_keys(gaz, list(dict.fromkeys(keys.values())), prefer=prior)
    for i, key in keys.items():
        out[i] = found[key]
    return out


def load_incidents(path: str | Path, *, gazetteer: Gazetteer | None = None) -> IncidentLoad:
    """Read, validate and place the incidents of a file.

    Parameters
    ----------
    path : path-like
        A CSV, JSON or GeoJSON file (see :func:`read_records`).
    gazetteer : Gazetteer, optional
        Used for rows without coordinates; default :func:`default_gazetteer`.

    Returns
    -------
    IncidentLoad

    Raises
    ------
    InputFileError, RowError
        Naming the file (and row and column) and what would be valid.
    """
    path = Path(path)
    frame = read_records(path)
    _require_columns(frame, path)
    rows_read = len(frame)
    frame = _typed(frame, path)
    frame, merged = _collapse_monadic(frame)
    placed, unresolved = _locate(frame, gazetteer or default_gazetteer())
    gdf = gpd.GeoDataFrame(
        placed.reset_index(drop=True),
        geometry=gpd.points_from_xy(placed["longitude"], placed["latitude"]),
        crs="EPSG:4326",
    )
    return IncidentLoad(gdf, unresolved.reset_index(drop=True), rows_read, merged, str(path))


# -- filtering -------------------------------------------------------------------------
def filter_incidents(
    incidents: gpd.GeoDataFrame,
    *,
    start: object = None,
    end: object = None,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Keep the incidents within a date range, countries and event types.

    Both bounds are inclusive days. An event dated to a month or a year covers that
    whole period and is kept when the period overlaps the range: "December 2023" is in
    ``start=2023-12-15`` and in ``end=2023-12-01``.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`load_incidents` returns them.
    start, end : date-like, optional
        First and last day.
    countries : sequence of str, optional
        ISO alpha-2 codes (``country_code``).
    event_types : sequence of str, optional
        ACLED event types, compared without regard to case.
    """
    keep = pd.Series(True, index=incidents.index)
    if start is not None:
        keep &= incidents["date_end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= incidents["event_date"] <= pd.Timestamp(end)
    if countries:
        wanted = {c.upper() for c in countries}
        keep &= incidents["country_code"].isin(wanted)
    if event_types:
        wanted_types = {t.strip().casefold() for t in event_types}
        keep &= incidents["event_type"].str.casefold().isin(wanted_types)
    return incidents[keep]
