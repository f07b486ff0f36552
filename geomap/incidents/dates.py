"""Event dates as people and ACLED write them, with their precision.

Accepted forms (anything else is rejected with the list below):

=====================  ==================  ==============
form                   example             precision
=====================  ==================  ==============
ISO day                ``2024-08-25``      1 (day)
day month-name year    ``25 August 2024``  1
month-name day, year   ``August 25, 2024`` 1
day-month-year         ``25-08-2024``, ``25/08/2024``, ``25.08.2024``  1 (day first)
ACLED short            ``16-Feb-21``       1
ISO month              ``2023-12``         2 (month)
month-name year        ``December 2023``   2
year                   ``2024``            3 (year)
=====================  ==================  ==============

Month names may be English or French, full or abbreviated (``Aug``, ``août``).
A date of precision 2 or 3 stands for its whole month or year: :func:`parse_date`
returns the first and the last day of that period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from geomap.gazetteer.normalize import name_key

__all__ = ["parse_date", "parse_iso_day", "ACCEPTED_FORMS", "MONTHS"]

ACCEPTED_FORMS = (
    "2024-08-25, 25 August 2024, August 25, 2024, 25-08-2024, 25/08/2024, 16-Feb-21 (day); "
    "2023-12, December 2023 (month); 2024 (year)"
)

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
#: Precision codes of a parsed date: the day, the month, the year.
_DAY, _MONTH, _YEAR = 1, 2, 3
#: ACLED's short form writes two-digit years of this century (``16-Feb-21``).
_CENTURY = 2000
#: How empty cells look once a table's missing values are turned into text.
_MISSING_WORDS = ("nan", "nat", "none")
_M = r"([a-z]+)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), "dmy"),
    (re.compile(rf"(\d{{1,2}}) {_M} (\d{{4}})"), "d_name_y"),
    (re.compile(rf"{_M} (\d{{1,2}}) (\d{{4}})"), "name_d_y"),
    (re.compile(rf"(\d{{1,2}}) {_M} (\d{{2}})"), "d_name_yy"),
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
    (start, end, precision)
        The first and last day the date covers and its precision (1 day, 2 month, 3 year).

    Raises
    ------
    ValueError
        When the text is empty or in none of the accepted forms; the message lists them.

    Examples
    --------
    >>> parse_date("25 August 2024")
    (datetime.date(2024, 8, 25), datetime.date(2024, 8, 25), 1)
    >>> parse_date("2023-12")
    (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31), 2)
    >>> parse_date("16-Feb-21")[0]
    datetime.date(2021, 2, 16)
    >>> parse_date("August 25, 2024")[0]
    datetime.date(2024, 8, 25)
    """
    if isinstance(text, dt.datetime):
        return text.date(), text.date(), _DAY
    if isinstance(text, dt.date):
        return text, text, _DAY
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
    if form == "ym":
        return _month(int(g[0]), int(g[1]))
    if form == "name_y":
        return _month(int(g[1]), MONTHS[g[0]])
    year = int(g[0])
    return dt.date(year, 1, 1), dt.date(year, 12, 31), _YEAR


def _day(year: int, month: int, day: int) -> tuple[dt.date, dt.date, int]:
    d = dt.date(year, month, day)
    return d, d, _DAY


def _month(year: int, month: int) -> tuple[dt.date, dt.date, int]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last), _MONTH
