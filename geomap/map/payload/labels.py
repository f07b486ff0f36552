"""The words a map page shows that Python knows too: dates, time and place precision.

:func:`format_event_date` is the reference for the page's date labels; :func:`page_labels`
sends the tables it uses (month names, the time-precision units) and ACLED's geo-precision
wording (:data:`geomap.place.PRECISION_LABELS`) to the page, whose runtime formats dates
from a day number and a time precision with them and holds no wording of its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geomap.place import PRECISION_LABELS

__all__ = [
    "DAY_PRECISION",
    "MONTH_NAMES",
    "MONTH_PRECISION",
    "TIME_PRECISION_UNITS",
    "YEAR_PRECISION",
    "format_event_date",
    "page_labels",
]

#: ACLED's time precision codes: the date stands for its day, its month or its year.
DAY_PRECISION, MONTH_PRECISION, YEAR_PRECISION = 1, 2, 3
#: The period each time precision stands for; any other code is read as a day.
TIME_PRECISION_UNITS: dict[int, str] = {
    DAY_PRECISION: "day",
    MONTH_PRECISION: "month",
    YEAR_PRECISION: "year",
}
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
    >>> format_event_date(None) is None
    True
    """
    if date is None or pd.isna(date):
        return None
    stamp = pd.Timestamp(date)
    unit = TIME_PRECISION_UNITS.get(precision, "day")
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
        ``"month"`` or ``"year"``; ``geo_precision``: code -> the wording of ACLED's
        geo-precision. Codes are strings, as JSON object keys are.

    Examples
    --------
    >>> labels = page_labels()
    >>> labels["months"][11], labels["time_precision"]["2"], labels["geo_precision"]["1"]
    ('December', 'month', 'the town itself')
    """
    return {
        "months": list(MONTH_NAMES),
        "time_precision": {str(code): unit for code, unit in TIME_PRECISION_UNITS.items()},
        "geo_precision": {str(code): text for code, text in PRECISION_LABELS.items()},
    }
