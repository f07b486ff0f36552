"""Date expressions in text, resolved against a publication date.

Recognised forms (English and French month names, full or abbreviated):

==========================  ==========================  =========
form                        example                     precision
==========================  ==========================  =========
month day, year             ``August 25, 2024``         1 (day)
day month year              ``25 August 2024``          1
ISO day, day/month/year     ``2024-08-25``, ``25/08/2024``  1
month day (year implied)    ``on August 25``            1
weekday                     ``on Monday``               1
relative day                ``today``, ``yesterday``    1
relative week               ``last week``, ``this week``  2 (week)
month year                  ``January 2024``            3 (month)
month (year implied)        ``in December``             3
relative month              ``last month``              3
year                        ``in 2023``, ``last year``  4 (year)
==========================  ==========================  =========

Precision codes are ACLED's (:mod:`geomap.incidents.dates`), with its fourth level for a
year; a mention's :attr:`DateMention.day` is the day an event is coded on.

A year left implicit is the publication year, or the one before when the month falls
after the publication date; without a publication date, the last explicit year seen
earlier in the text. Relative expressions need the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geomap.gazetteer.normalize import name_key
from geomap.incidents.dates import (
    DAY_PRECISION,
    MONTH_PRECISION,
    MONTHS,
    WEEK_PRECISION,
    YEAR_PRECISION,
)

__all__ = ["DateMention", "find_dates", "ACCENTED_MONTHS", "month_number"]

#: French month names as written, with their accents: :data:`MONTHS` keeps them without
#: (it is keyed by name key), but a pattern must match the text as written.
ACCENTED_MONTHS = ("février", "août", "décembre")
# every month word a pattern accepts (matched case-insensitively; "fevr." too)
_MONTH_WORDS = (*MONTHS, *ACCENTED_MONTHS)
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3,
             "vendredi": 4, "samedi": 5, "dimanche": 6}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    ("ymd", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy_num", re.compile(r"\b(?P<day>[0-3]?\d)/(?P<m>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I)),
    ("my", re.compile(rf"\b{_MON},?\s+(?:of\s+)?{_YEAR}\b", re.I)),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}\b(?!\s*[,:]?\s*\d)", re.I)),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b", re.I)),
    ("m", re.compile(rf"\b(?:in|since|until|by|during|early|late|mid-?|last|this|next)\s+"
                     rf"{_MON}\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+)?(?P<wd>monday|tuesday|wednesday|thursday|"
                           r"friday|saturday|sunday)\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>today|yesterday|tonight|last\s+night|this\s+morning|"
                       r"last\s+week|last\s+month|last\s+year|this\s+week|this\s+month|"
                       r"this\s+year|earlier\s+this\s+(?:week|month|year))\b", re.I)),
    ("y", re.compile(r"\b(?:in|since|during|of|until)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
]


def month_number(word: str) -> int:
    """The month (1-12) a month word names, in any case, with or without accents.

    Examples
    --------
    >>> month_number("Août"), month_number("SEPT"), month_number("décembre")
    (8, 9, 12)
    """
    return MONTHS[name_key(word)]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression and the period it stands for.

    Attributes
    ----------
    start, end : int
        Character offsets of the expression in the text.
    text : str
        The expression as written.
    first, last : datetime.date
        The first and last day of the period.
    precision : int
        ACLED time precision: 1 day, 2 week, 3 month, 4 year.
    """

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: int

    @property
    def day(self) -> dt.date:
        """The day an event is coded on: the first day, or the middle one of a week (so
        that the seven days around it, ACLED's week, cover the period)."""
        if self.precision == WEEK_PRECISION:
            return self.first + (self.last - self.first) // 2
        return self.first


def find_dates(text: str, *, published: dt.date | None = None) -> list[DateMention]:
    """Find the date expressions of a text.

    Parameters
    ----------
    text : str
        The text.
    published : datetime.date, optional
        Publication date, for implicit years and relative expressions.

    Returns
    -------
    list of DateMention
        In text order, not overlapping (the longest expression wins).

    Examples
    --------
    >>> d = find_dates("On August 25, 2024, a strike; in December talks.",
    ...                published=dt.date(2025, 1, 3))
    >>> [(x.text, x.first.isoformat(), x.precision) for x in d]
    [('August 25, 2024', '2024-08-25', 1), ('in December', '2024-12-01', 3)]
    >>> week = find_dates("last week", published=dt.date(2024, 8, 26))[0]
    >>> week.first.isoformat(), week.day.isoformat(), week.precision
    ('2024-08-19', '2024-08-22', 2)
    """
    found: list[tuple[int, int, str, re.Match]] = []
    for form, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), form, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str, re.Match]] = []
    for item in found:
        if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
            kept.append(item)
    kept.sort()
    out: list[DateMention] = []
    last_year = None
    for start, end, form, m in kept:
        period = _period(form, m, published, last_year)
        if period is None:
            continue
        first, last, precision = period
        if form in ("ymd", "dmy_num", "mdy", "dmy", "my", "y"):
            last_year = first.year
        out.append(DateMention(start, end, m.group(), first, last, precision))
    return out


def _period(form: str, m: re.Match, published: dt.date | None,
            last_year: int | None) -> tuple[dt.date, dt.date, int] | None:
    g = m.groupdict()
    try:
        if form in ("ymd", "dmy_num"):
            day = dt.date(int(g["year"]), int(g["m"]), int(g["day"]))
            return day, day, DAY_PRECISION
        if form in ("mdy", "dmy"):
            day = dt.date(int(g["year"]), month_number(g["mon"]), int(g["day"]))
            return day, day, DAY_PRECISION
        if form == "my":
            return _month(int(g["year"]), month_number(g["mon"]))
        if form == "y":
            return _year(int(g["year"]))
        if form in ("md", "dm", "m"):
            return _implicit(form, g, published, last_year)
        if form == "weekday" and published:
            back = (published.weekday() - _WEEKDAYS[g["wd"].lower()]) % 7 or 7
            day = published - dt.timedelta(days=back)
            return day, day, DAY_PRECISION
        if form == "rel" and published:
            return _relative(" ".join(g["rel"].lower().split()), published)
    except (ValueError, KeyError):
        return None
    return None


def _month(year: int, month: int) -> tuple[dt.date, dt.date, int]:
    return (dt.date(year, month, 1),
            dt.date(year, month, calendar.monthrange(year, month)[1]), MONTH_PRECISION)


def _year(year: int) -> tuple[dt.date, dt.date, int]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR_PRECISION


def _implicit(form: str, g: dict, published: dt.date | None,
              last_year: int | None) -> tuple[dt.date, dt.date, int] | None:
    month = month_number(g["mon"])
    if form != "m" and g["mon"].lower() in ("may", "mar") and g["mon"][0].islower():
        return None  # "may 5" is a verb, "mar" too
    if published is not None:
        year = published.year if month <= published.month else published.year - 1
    elif last_year is not None:
        year = last_year
    else:
        return None
    if form == "m":
        if g["mon"].lower() == "may" and not g["mon"][0].isupper():
            return None
        return _month(year, month)
    day = dt.date(year, month, int(g["day"]))
    return day, day, DAY_PRECISION


def _relative(rel: str, published: dt.date) -> tuple[dt.date, dt.date, int]:
    if rel in ("today", "tonight", "this morning"):
        return published, published, DAY_PRECISION
    if rel in ("yesterday", "last night"):
        day = published - dt.timedelta(days=1)
        return day, day, DAY_PRECISION
    if rel in ("last week",):
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday, monday + dt.timedelta(days=6), WEEK_PRECISION
    if rel in ("this week", "earlier this week"):
        monday = published - dt.timedelta(days=published.weekday())
        return monday, published, WEEK_PRECISION
    if rel == "last month":
        prev = published.replace(day=1) - dt.timedelta(days=1)
        return _month(prev.year, prev.month)
    if rel in ("this month", "earlier this month"):
        return _month(published.year, published.month)
    if rel == "last year":
        return _year(published.year - 1)
    return _year(published.year)
