"""Validation: the string table of :mod:`~geomap.incidents.read` -> typed incident records.

Required columns (a date, and a place name or both coordinates), then typed values: dates
(:func:`~geomap.incidents.dates.parse_date`), coordinates, fatalities and geo_precision.
The first bad value, in row order, raises a :class:`~geomap.errors.RowError` naming the
input, the row and the column. ACLED "monadic" exports, which repeat an event once per
actor, are folded into one row per event by :func:`merge_monadic`.

Each rule is written once here and shared with :mod:`geomap.incidents.qa`:
:func:`parse_number` (and :func:`parse_coordinates` for the pair) and
:func:`monadic_repeats`. Values are parsed once per distinct value, not once per row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from geomap.errors import InputFileError, RowError
from geomap.incidents.dates import parse_date
from geomap.incidents.schema import (
    ACTOR_COLUMNS,
    COORDINATE_COLUMNS,
    DATE_COLUMN,
    EVENT_ID_COLUMN,
    PLACE_COLUMN,
    ROW_COLUMN,
    TEXT_COLUMNS,
)

__all__ = [
    "RANGES",
    "WHOLE_NUMBER_COLUMNS",
    "TIME_PRECISIONS",
    "parse_number",
    "parse_coordinates",
    "require_columns",
    "validate_records",
    "monadic_repeats",
    "merge_monadic",
]

_T = TypeVar("_T")
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS
_ACTOR1, _ACTOR2 = ACTOR_COLUMNS
_FATALITIES, _GEO_PRECISION, _TIME_PRECISION = "fatalities", "geo_precision", "time_precision"

#: The numeric columns and their inclusive ranges.
RANGES: dict[str, tuple[float, float]] = {
    _LATITUDE: (-90.0, 90.0),
    _LONGITUDE: (-180.0, 180.0),
    _FATALITIES: (0.0, 1e7),
    _GEO_PRECISION: (1.0, 3.0),
}
#: Numeric columns that hold counts or codes, never fractions.
WHOLE_NUMBER_COLUMNS: tuple[str, ...] = (_FATALITIES, _GEO_PRECISION)
#: ACLED time_precision codes an input may give; a coarser given code widens a parsed date's.
TIME_PRECISIONS: tuple[str, ...] = ("1", "2", "3")
_BOTH_OR_NEITHER = "empty while the other coordinate is given; give both or neither"
_MERGED_ACTORS = "; "


def parse_number(text: object, lo: float, hi: float) -> float:
    """Parse a number within ``[lo, hi]``; NaN for an empty value.

    A decimal comma is read as a point when it is the only comma and there is no point
    (``12,5``); any other comma makes the value not a number.

    Raises
    ------
    ValueError
        Naming the value: not a number, or outside the range.

    Examples
    --------
    >>> parse_number("12,5", -90, 90), parse_number(" -8.1 ", -90, 90)
    (12.5, -8.1)
    >>> parse_number("", 0, 1)
    nan
    >>> parse_number("95", -90, 90)
    Traceback (most recent call last):
    ...
    ValueError: '95' is outside [-90, 90]
    """
    raw = str(text)
    value = raw.strip()
    if not value:
        return math.nan
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not (math.isfinite(number) and lo <= number <= hi):
        raise ValueError(f"{raw!r} is outside [{lo:g}, {hi:g}]")
    return number


def _parse_whole(text: object, lo: float, hi: float) -> float:
    number = parse_number(text, lo, hi)
    if not math.isnan(number) and number != int(number):
        raise ValueError(f"{number} is not a whole number")
    return number


def require_columns(frame: pd.DataFrame, name: str) -> None:
    """Raise :class:`InputFileError` unless ``frame`` has a date and a place or coordinates."""
    cols = set(frame.columns)
    missing = []
    if DATE_COLUMN not in cols:
        missing.append(repr(DATE_COLUMN))
    if PLACE_COLUMN not in cols and not set(COORDINATE_COLUMNS) <= cols:
        missing.append(f"{PLACE_COLUMN!r} or {_LATITUDE!r}+{_LONGITUDE!r}")
    if missing:
        found = ", ".join(repr(c) for c in frame.columns if c != ROW_COLUMN) or "none"
        raise InputFileError(
            f"{name}: missing required column {' and '.join(missing)} (found: {found})"
        )


# -- column parsers: each returns its values and the first bad one as an error ----------
def _each_distinct(
    frame: pd.DataFrame, column: str, parse: Callable[[object], _T], fill: _T, name: str
) -> tuple[list[_T], np.ndarray, RowError | None]:
    """``parse`` applied once to each distinct value of ``column``.

    Returns the results per distinct value, each row's index into them, and the error of
    the first row whose value ``parse`` refuses (its result is ``fill``).
    """
    values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results: list[_T] = []
    problems: dict[int, str] = {}
    for k, value in enumerate(uniques):
        try:
            results.append(parse(value))
        except ValueError as err:
            results.append(fill)
            problems[k] = str(err)
    error = None
    if problems:
        first = int(np.isin(codes, list(problems)).argmax())
        error = RowError(name, int(frame[ROW_COLUMN].iloc[first]), column,
                         problems[int(codes[first])])
    return results, codes, error


def _numbers(frame: pd.DataFrame, column: str, name: str) -> tuple[np.ndarray, RowError | None]:
    lo, hi = RANGES[column]
    rule = _parse_whole if column in WHOLE_NUMBER_COLUMNS else parse_number
    results, codes, error = _each_distinct(frame, column, lambda v: rule(v, lo, hi), math.nan,
                                           name)
    return np.asarray(results, dtype=float)[codes], error


def _coordinates(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray,
                                                          list[RowError | None]]:
    lat, lat_error = _numbers(frame, _LATITUDE, name)
    lon, lon_error = _numbers(frame, _LONGITUDE, name)
    alone = np.isnan(lat) != np.isnan(lon)
    pair_error = None
    if alone.any():
        first = int(alone.argmax())
        column = _LONGITUDE if math.isnan(lon[first]) else _LATITUDE
        pair_error = RowError(name, int(frame[ROW_COLUMN].iloc[first]), column, _BOTH_OR_NEITHER)
    return lat, lon, [lat_error, lon_error, pair_error]


def _raise_first(errors: list[RowError | None]) -> None:
    """Raise the error of the earliest row; within a row, the first in column order."""
    found = [e for e in errors if e is not None]
    if found:
        raise min(found, key=lambda e: e.row)


def parse_coordinates(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of the rows (NaN where both are empty).

    Raises
    ------
    RowError
        At the first row with a coordinate that is not a number in range, or only one of
        the two.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"row": [1, 2], "latitude": ["16,27", ""], "longitude": ["-0.04", ""]})
    >>> parse_coordinates(t, "t.csv")
    (array([16.27,   nan]), array([-0.04,   nan]))
    """
    lat, lon, errors = _coordinates(frame, name)
    _raise_first(errors)
    return lat, lon


def _dates(frame: pd.DataFrame, name: str) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex,
                                                    np.ndarray, RowError | None]:
    """Each row's first and last day and precision."""
    results, codes, error = _each_distinct(frame, DATE_COLUMN, parse_date, (None, None, 0),
                                           name)
    starts = pd.to_datetime([start for start, _, _ in results]).take(codes)
    ends = pd.to_datetime([end for _, end, _ in results]).take(codes)
    precision = np.array([p for _, _, p in results], dtype=int)[codes]
    return starts, ends, precision, error


def validate_records(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Type the records of :func:`~geomap.incidents.read.read_records`.

    The text columns of the schema are added where missing and stripped; ``event_date``
    becomes the first day and ``date_end`` the last day the date covers; the precision of
    the date (or a coarser ``time_precision`` the input gives) is ``time_precision``;
    coordinates become floats (NaN where empty), ``fatalities`` and ``geo_precision``
    nullable integers.

    Raises
    ------
    RowError
        At the first bad value, in row order.
    """
    frame = frame.copy()
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(str).str.strip() if col in frame.columns else ""
    starts, ends, precision, date_error = _dates(frame, name)
    lat, lon, coordinate_errors = _coordinates(frame, name)
    deaths, deaths_error = _numbers(frame, _FATALITIES, name)
    geo, geo_error = _numbers(frame, _GEO_PRECISION, name)
    _raise_first([date_error, *coordinate_errors, deaths_error, geo_error])
    if _TIME_PRECISION in frame.columns:
        given = frame[_TIME_PRECISION].astype(str).str.strip()
        coarser = given.where(given.isin(TIME_PRECISIONS), "0").astype(int).to_numpy()
        precision = np.maximum(precision, coarser)
    frame[DATE_COLUMN] = starts
    frame["date_end"] = ends
    frame[_TIME_PRECISION] = precision
    frame[_LATITUDE] = lat
    frame[_LONGITUDE] = lon
    frame[_FATALITIES] = pd.array(deaths, dtype="Float64").astype("Int64")
    frame[_GEO_PRECISION] = pd.array(geo, dtype="Float64").astype("Int64")
    return frame


# -- ACLED monadic exports ---------------------------------------------------------------
def monadic_repeats(ids: pd.Series, *, keep: str | bool = "first") -> pd.Series:
    """Rows that repeat another row's ACLED event id (empty ids never repeat).

    ``keep`` is :meth:`pandas.Series.duplicated`'s: ``"first"`` marks every row but the
    event's first, ``False`` marks every row of a repeated event.

    Examples
    --------
    >>> import pandas as pd
    >>> monadic_repeats(pd.Series(["MLI1", "MLI1", "", "", "MLI2"])).tolist()
    [False, True, False, False, False]
    >>> monadic_repeats(pd.Series(["MLI1", "MLI1", "MLI2"]), keep=False).tolist()
    [True, True, False]
    """
    return ids.ne("") & ids.duplicated(keep=keep)


def _joined_actors(named: pd.DataFrame, rank: pd.Series) -> pd.Series:
    """Each event's second and later actors, joined; one column operation per rank."""
    extra = rank.gt(0).to_numpy()
    if not extra.any():
        return pd.Series(dtype=object)
    wide = pd.Series(
        named.loc[extra, _ACTOR1].to_numpy(),
        index=pd.MultiIndex.from_arrays([named.loc[extra, EVENT_ID_COLUMN].to_numpy(),
                                         rank[extra].to_numpy()]),
    ).unstack()
    others = wide.iloc[:, 0]
    for level in wide.columns[1:]:
        more = wide[level]
        others = others.where(more.isna(), others + _MERGED_ACTORS + more)
    return others


def merge_monadic(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Fold ACLED's one-row-per-actor layout into one row per event.

    The event keeps its first row; its distinct ``actor1`` values become ``actor1`` (the
    first) and, when the row has no ``actor2``, ``actor2`` (the others, ``"; "``-joined).

    Returns
    -------
    (frame, merged)
        The rows kept and how many were folded into them.
    """
    ids = frame[EVENT_ID_COLUMN]
    repeated = monadic_repeats(ids, keep=False)
    if not repeated.any():
        return frame, 0
    rows = frame.loc[repeated, [EVENT_ID_COLUMN, _ACTOR1]]
    named = rows[rows[_ACTOR1].ne("")].drop_duplicates()
    rank = named.groupby(EVENT_ID_COLUMN, sort=False).cumcount()
    first = named[rank.eq(0)].set_index(EVENT_ID_COLUMN)[_ACTOR1]
    others = _joined_actors(named, rank)
    out = frame[~monadic_repeats(ids)].copy()
    event = out[EVENT_ID_COLUMN]
    grouped = event.isin(rows[EVENT_ID_COLUMN].unique())
    out.loc[grouped, _ACTOR1] = event[grouped].map(first).fillna("")
    joined = event.map(others)
    fill = joined.notna() & out[_ACTOR2].eq("")
    out.loc[fill, _ACTOR2] = joined[fill]
    return out, int(len(frame) - len(out))
