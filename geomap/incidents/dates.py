"""Event dates as people and ACLED write them, with their precision (ACLED's meaning).

Accepted forms (anything else is rejected with the list below):

=====================  ==================  =================
form                   example             ``time_precision``
=====================  ==================  =================
ISO day                ``2024-08-25``      1 (day)
day month-name year    ``25 August 2024``  1
month-name day, year   ``August 25, 2024`` 1
day-month-year         ``25-08-2024``, ``25/08/2024``, ``25.08.2024``  1 (day first)
ACLED short            ``16-Feb-21``       1
ISO week               ``2024-W33``        2 (week)
ISO month              ``2023-12``         3 (month)
month-name year        ``December 2023``   3
year                   ``2024``            4 (year, geomap's fourth level)
=====================  ==================  =================

Month names may be English or French, full or abbreviated (``Aug``, ``août``).

The codes are ACLED's (:data:`TIME_PRECISION_UNITS`): 1 the day is known, 2 only the
week (or weekend), 3 only the month; 4, a year-only date, is geomap's documented fourth
level. An event's date is one coded day and its precision, and stands for a period
(:func:`period_bounds`): the day itself; for a week, the seven days centred on the coded
day, ``[day - 3, day + 3]`` (:data:`WEEK_HALF_DAYS`: ACLED codes a week on a day within
it, its middle, and says no more); for a month or a year, the whole calendar month or
year the coded day falls in. A period form is coded on its first day, and a week on its
middle day, the Thursday of an ISO week (:func:`coded_day`), so that its period is the
whole Monday-to-Sunday week.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd

from geomap.gazetteer.normalize import name_key

__all__ = [
    "ACCEPTED_FORMS",
    "DAY_PRECISION",
    "MONTHS",
    "MONTH_PRECISION",
    "TIME_PRECISION_UNITS",
    "WEEK_HALF_DAYS",
    "WEEK_PRECISION",
    "YEAR_PRECISION",
    "coded_day",
    "parse_date",
    "parse_iso_day",
    "period_bounds",
]

ACCEPTED_FORMS = (
    "2024-08-25, 25 August 2024, August 25, 2024, 25-08-2024, 25/08/2024, 16-Feb-21 (day); "
    "2024-W33 (ISO week); 2023-12, December 2023 (month); 2024 (year)"
)
#: ACLED's time_precision codes, and geomap's fourth level for a year-only date.
DAY_PRECISION, WEEK_PRECISION, MONTH_PRECISION, YEAR_PRECISION = 1, 2, 3, 4
#: The period each time_precision code stands for; any other code is read as a day.
TIME_PRECISION_UNITS: dict[int, str] = {
    DAY_PRECISION: "day",
    WEEK_PRECISION: "week",
    MONTH_PRECISION: "month",
    YEAR_PRECISION: "year",
}
#: A week-precision date stands for the days from ``day - 3`` to ``day + 3``: seven days
#: centred on the coded day (ACLED codes a week on a day within it, its middle).
WEEK_HALF_DAYS = 3

#: Month names and abbreviations (English and French, accents stripped) -> 1-12.
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            (),
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "fevrier", "fev", "fevr"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "decembre"),
        ]
    )
    for name in names
}
#: ACLED's short form writes two-digit years of this century (``16-Feb-21``).
_CENTURY = 2000
#: How empty cells look once a table's missing values are turned into text.
_MISSING_WORDS = ("nan", "nat", "none")
_MONDAY = 1  # ISO weekday of a week's first day
_M = r"([a-z]+)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), "dmy"),
    (re.compile(rf"(\d{{1,2}}) {_M} (\d{{4}})"), "d_name_y"),
    (re.compile(rf"{_M} (\d{{1,2}}) (\d{{4}})"), "name_d_y"),
    (re.compile(rf"(\d{{1,2}}) {_M} (\d{{2}})"), "d_name_yy"),
    (re.compile(r"(\d{4}) ?w(\d{1,2})"), "yw"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "ym"),
    (re.compile(rf"{_M} (\d{{4}})"), "name_y"),
    (re.compile(r"(\d{4})"), "y"),
]


def parse_iso_day(text: str) -> dt.date:
    """Parse a strict ISO ``YYYY-MM-DD`` day (the CLI's ``--from``/``--to``).

    Raises
    ------
    ValueError
        With the accepted form, when ``text`` is anything else.

    Examples
    --------
    >>> parse_iso_day("2025-01-31")
    datetime.date(2025, 1, 31)
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real day ({err})") from err


def parse_date(text: object) -> tuple[dt.date, dt.date, int]:
    """Parse an event date.

    Parameters
    ----------
    text : object
        The date as written (a string; a ``datetime.date`` is accepted as a day).

    Returns
    -------
    (first, last, precision)
        The first and last day the written date covers and its ACLED time precision
        (1 day, 2 week, 3 month, 4 year).

    Raises
    ------
    ValueError
        When the text is empty or in none of the accepted forms; the message lists them.

    Examples
    --------
    >>> parse_date("25 August 2024")
    (datetime.date(2024, 8, 25), datetime.date(2024, 8, 25), 1)
    >>> parse_date("2023-12")
    (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31), 3)
    >>> parse_date("2024-W33")
    (datetime.date(2024, 8, 12), datetime.date(2024, 8, 18), 2)
    >>> parse_date("16-Feb-21")[0], parse_date("2024")[2]
    (datetime.date(2021, 2, 16), 4)
    """
    if isinstance(text, dt.datetime):
        return text.date(), text.date(), DAY_PRECISION
    if isinstance(text, dt.date):
        return text, text, DAY_PRECISION
    raw = "" if text is None else str(text).strip()
    if not raw or raw.lower() in _MISSING_WORDS:
        raise ValueError(f"the date is empty; accepted forms: {ACCEPTED_FORMS}")
    iso = raw.split("T", 1)[0] if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z?", raw) else raw
    key = name_key(iso) if not re.fullmatch(r"[\d\-/.]+", iso) else iso
    for pattern, form in _PATTERNS:
        m = pattern.fullmatch(key)
        if m:
            try:
                return _build(form, m.groups())
            except KeyError:
                break
            except ValueError as err:
                raise ValueError(f"{raw!r} is not a real date ({err})") from err
    raise ValueError(f"{raw!r} is not a date geomap reads; accepted forms: {ACCEPTED_FORMS}")


def _build(form: str, g: tuple[str, ...]) -> tuple[dt.date, dt.date, int]:
    if form == "ymd":
        return _day(int(g[0]), int(g[1]), int(g[2]))
    if form == "dmy":
        return _day(int(g[2]), int(g[1]), int(g[0]))
    if form == "d_name_y":
        return _day(int(g[2]), MONTHS[g[1]], int(g[0]))
    if form == "name_d_y":
        return _day(int(g[2]), MONTHS[g[0]], int(g[1]))
    if form == "d_name_yy":
        return _day(_CENTURY + int(g[2]), MONTHS[g[1]], int(g[0]))
    if form == "yw":
        monday = dt.date.fromisocalendar(int(g[0]), int(g[1]), _MONDAY)
        return monday, monday + dt.timedelta(days=2 * WEEK_HALF_DAYS), WEEK_PRECISION
    if form == "ym":
        return _month(int(g[0]), int(g[1]))
    if form == "name_y":
        return _month(int(g[1]), MONTHS[g[0]])
    year = int(g[0])
    return dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR_PRECISION


def _day(year: int, month: int, day: int) -> tuple[dt.date, dt.date, int]:
    d = dt.date(year, month, day)
    return d, d, DAY_PRECISION


def _month(year: int, month: int) -> tuple[dt.date, dt.date, int]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last), MONTH_PRECISION


def coded_day(first: dt.date, precision: int) -> dt.date:
    """The day a parsed date is coded on: its first day, or a week's middle day.

    ACLED codes a week on a day within it; geomap codes a written week on its middle day
    (the Thursday of an ISO week), whose :func:`period_bounds` are then the whole week.

    Examples
    --------
    >>> first, _, precision = parse_date("2024-W33")
    >>> coded_day(first, precision)
    datetime.date(2024, 8, 15)
    >>> coded_day(dt.date(2023, 12, 1), MONTH_PRECISION)
    datetime.date(2023, 12, 1)
    """
    if precision == WEEK_PRECISION:
        return first + dt.timedelta(days=WEEK_HALF_DAYS)
    return first


def period_bounds(days: object, precision: object) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """The first and last day of the period each coded day stands for.

    Parameters
    ----------
    days : array-like of datetime
        Coded days (``event_date``); missing days give missing bounds.
    precision : array-like of int
        Their time precision: 1 the day itself, 2 the seven days ``[day - 3, day + 3]``,
        3 the calendar month, 4 the calendar year; any other code is read as a day.

    Returns
    -------
    (starts, ends) : pandas.DatetimeIndex
        Both bounds are inclusive days.

    Examples
    --------
    >>> days = pd.to_datetime(["2024-08-14"] * 4)
    >>> starts, ends = period_bounds(days, [1, 2, 3, 4])
    >>> [f"{a:%m-%d}..{b:%m-%d}" for a, b in zip(starts, ends)]
    ['08-14..08-14', '08-11..08-17', '08-01..08-31', '01-01..12-31']
    """
    days = pd.DatetimeIndex(pd.to_datetime(days)).normalize()
    code = np.asarray(precision, dtype=float)
    half = pd.to_timedelta(np.where(code == WEEK_PRECISION, WEEK_HALF_DAYS, 0), unit="D")
    starts, ends = days - half, days + half
    for unit, level in (("M", MONTH_PRECISION), ("Y", YEAR_PRECISION)):
        period = days.to_period(unit)
        inside = code == level
        starts = starts.where(~inside, period.start_time)
        ends = ends.where(~inside, period.end_time.normalize())
    return starts, ends
