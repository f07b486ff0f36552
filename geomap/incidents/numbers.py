"""Numbers in incident tables: coordinates, counts and codes, read by one rule.

* ASCII digits with one decimal point, an optional sign and exponent (``-8.1``, ``1e3``).
* A **decimal comma** is read as a point when it is the value's only comma and there is no
  point: ``12,5`` is 12.5, ``16,272`` (a latitude) is 16.272.
* **Thousands separators** are read only in whole-number columns (fatalities,
  geo_precision: :func:`parse_whole_number`): digits grouped by three after a comma or a
  space used throughout, ``1,000``, ``12,345``, ``1 000 000``. In coordinates a comma is
  always the decimal comma, and a space inside the number is refused.
* **Refused everywhere**: an underscore (``1_6``, which Python's ``float`` reads as 16),
  other commas (``1.234,5``, ``1,2,3``), other digits than 0-9, ``nan`` and ``inf``.

:mod:`geomap.incidents.validate` and :mod:`geomap.incidents.qa` read numbers through these.
"""

from __future__ import annotations

import math
import re

__all__ = ["parse_number", "parse_whole_number"]

#: A plain number: ASCII digits, one decimal point, an optional sign and exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
#: A whole number with thousands separators: groups of three digits after the first one to
#: three, one separator (a comma, a space, a no-break space) used throughout.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[, \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*",
                      re.ASCII)
_GROUP_SEPARATORS = re.compile("[, \u00a0\u202f]")


def parse_number(text: object, lo: float, hi: float) -> float:
    """Parse a number within ``[lo, hi]``; NaN for an empty value.

    ASCII digits with one decimal point, an optional sign and exponent. A decimal comma is
    read as a point when it is the only comma and there is no point (``12,5``); any other
    comma, a space or an underscore inside the number (which Python's ``float`` would
    take: ``1_6`` is 16) makes the value not a number. Whole-number columns also take
    thousands separators (:data:`geomap.incidents.validate.WHOLE_NUMBER_COLUMNS`; see
    :func:`parse_whole_number`).

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
    >>> parse_number("1_6", -90, 90)
    Traceback (most recent call last):
    ...
    ValueError: '1_6' is not a number
    """
    raw = str(text)
    value = raw.strip()
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    return _checked_number(raw, value, lo, hi)


def parse_whole_number(text: object, lo: float, hi: float) -> float:
    """Parse a whole number within ``[lo, hi]`` (a count or a code); NaN for an empty value.

    As :func:`parse_number`, and digits grouped by three after a thousands separator, a
    comma or a space used throughout (``1,000``, ``12,345``, ``1 000 000``), are one
    number. Any other comma is a decimal comma, so ``2,0`` is 2 and ``2,5`` is not whole.

    Raises
    ------
    ValueError
        Naming the value: not a number, not whole, or outside the range.

    Examples
    --------
    >>> parse_whole_number("1,000", 0, 1e7), parse_whole_number("12 345", 0, 1e7)
    (1000.0, 12345.0)
    >>> parse_whole_number("2,0", 0, 10), parse_whole_number("3.0", 0, 10)
    (2.0, 3.0)
    >>> parse_whole_number("12,5", 0, 1e7)
    Traceback (most recent call last):
    ...
    ValueError: '12,5' is not a whole number
    >>> parse_whole_number("1,00,000", 0, 1e7)
    Traceback (most recent call last):
    ...
    ValueError: '1,00,000' is not a number
    """
    raw = str(text)
    value = raw.strip()
    if _GROUPED.fullmatch(value):
        value = _GROUP_SEPARATORS.sub("", value)
    elif value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    number = _checked_number(raw, value, lo, hi)
    if not math.isnan(number) and number != int(number):
        raise ValueError(f"{raw!r} is not a whole number")
    return number


def _checked_number(raw: str, value: str, lo: float, hi: float) -> float:
    """``value`` (``raw`` made plain) as a number in ``[lo, hi]``; messages quote ``raw``."""
    if not value:
        return math.nan
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValueError(f"{raw!r} is not a number")
    number = float(value)
    if not (math.isfinite(number) and lo <= number <= hi):
        raise ValueError(f"{raw!r} is outside [{lo:g}, {hi:g}]")
    return number
