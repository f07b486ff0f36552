"""The words a map page shows that Python knows too: dates, time and place precision.

:func:`format_event_date` is the reference for the page's date labels; :func:`page_labels`
sends the tables it uses (month names, the time-precision units of
:mod:`geomap.incidents.dates`, the week's wording and half-width) and ACLED's
geo-precision wording (:data:`geomap.place.PRECISION_LABELS`) to the page, whose runtime
formats dates and periods from a day number and a time precision with them and holds no
wording of its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geomap.incidents.dates import (
    DAY_PRECISION,
    MONTH_PRECISION,
    TIME_PRECISION_UNITS,
    WEEK_HALF_DAYS,
    WEEK_PRECISION,
    YEAR_PRECISION,
)
from geomap.place import PRECISION_LABELS

__all__ = [
    "DAY_PRECISION",
    "MONTH_NAMES",
    "MONTH_PRECISION",
    "TIME_PRECISION_UNITS",
    "WEEK_LABEL",
    "WEEK_PRECISION",
    "YEAR_PRECISION",
    "format_event_date",
    "page_labels",
]

#: How a week-precision date reads: its coded day, and that it stands for a week.
WEEK_LABEL = "around {day} (week)"
#: English month names, January first (never the locale's: a page reads the same anywhere).
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


def format_event_date(date: Any, precision: Any = DAY_PRECISION) -> str | None:
    """Return an event date as shown in popups, according to its time precision.

    The page's runtime formats dates the same way (``Labels.date`` in
    ``templates/data.js``), from the tables of :func:`page_labels`; a browser test holds
    the two together.

    Parameters
    ----------
    date : datetime-like
        The event's coded day (``event_date``).
    precision : int
        ACLED time precision: 1 day, 2 week, 3 month, 4 year (anything else: day).

    Returns
    -------
    str or None
        ``"2023-12-05"``, ``"around 14 August 2024 (week)"``, ``"December 2023"`` or
        ``"2023"``; ``None`` for a missing date.

    Examples
    --------
    >>> format_event_date(pd.Timestamp("2023-12-05"))
    '2023-12-05'
    >>> format_event_date(pd.Timestamp("2024-08-14"), 2)
    'around 14 August 2024 (week)'
    >>> format_event_date(pd.Timestamp("2023-12-14"), 3)
    'December 2023'
    >>> format_event_date(pd.Timestamp("2023-01-01"), 4)
    '2023'
    >>> format_event_date(None) is None
    True
    """
    if date is None or pd.isna(date):
        return None
    stamp = pd.Timestamp(date)
    unit = TIME_PRECISION_UNITS.get(precision, "day")
    if unit == "week":
        day = f"{stamp.day} {MONTH_NAMES[stamp.month - 1]} {stamp.year}"
        return WEEK_LABEL.format(day=day)
    if unit == "month":
        return f"{MONTH_NAMES[stamp.month - 1]} {stamp.year}"
    if unit == "year":
        return str(stamp.year)
    return stamp.strftime("%Y-%m-%d")


def page_labels() -> dict[str, Any]:
    """Return the label tables the page runtime reads (``labels`` in the payload).

    Returns
    -------
    dict
        ``months``: the twelve month names; ``time_precision``: code -> ``"day"``,
        ``"week"``, ``"month"`` or ``"year"``; ``week``: :data:`WEEK_LABEL` and the days
        a week spans either side of its coded day; ``geo_precision``: code -> the wording
        of ACLED's geo-precision. Codes are strings, as JSON object keys are.

    Examples
    --------
    >>> labels = page_labels()
    >>> labels["months"][11], labels["time_precision"]["2"], labels["geo_precision"]["1"]
    ('December', 'week', 'the town itself')
    >>> labels["week"]
    {'label': 'around {day} (week)', 'half_days': 3}
    """
    return {
        "months": list(MONTH_NAMES),
        "time_precision": {str(code): unit for code, unit in TIME_PRECISION_UNITS.items()},
        "week": {"label": WEEK_LABEL, "half_days": WEEK_HALF_DAYS},
        "geo_precision": {str(code): text for code, text in PRECISION_LABELS.items()},
    }
