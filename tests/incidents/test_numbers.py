"""Numbers: one rule for coordinates, counts and codes (geomap.incidents.numbers)."""

from __future__ import annotations

import math

import pytest

from geomap.incidents.numbers import parse_number, parse_whole_number


@pytest.mark.parametrize(("text", "expected"), [
    ("12,5", 12.5), ("16,272", 16.272), (" -8.1 ", -8.1), ("+3", 3.0), ("1e1", 10.0),
    (".5", 0.5), ("5.", 5.0),
])
def test_numbers(text: str, expected: float) -> None:
    assert parse_number(text, -90, 90) == expected


@pytest.mark.parametrize("text", [
    "1_6",  # Python's float reads 16
    "1 6", "16 272", "1,000.5", "1.234,5", "1,2,3", "\u0661\u0666", "nan", "inf", "0x10",
])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{text!r} is not a number$"):
        parse_number(text, -90, 90)


def test_empty_is_nan_and_range_is_checked() -> None:
    assert math.isnan(parse_number("  ", 0, 1))
    with pytest.raises(ValueError, match=r"^'95' is outside \[-90, 90\]$"):
        parse_number("95", -90, 90)


@pytest.mark.parametrize(("text", "expected"), [
    ("1,000", 1000.0), ("12,345", 12345.0), ("1,234,567", 1234567.0), ("1 000", 1000.0),
    ("1\u00a0000", 1000.0), ("12\u202f345", 12345.0), ("2,0", 2.0), ("3.0", 3.0), ("7", 7.0),
])
def test_whole_numbers_take_thousands_separators(text: str, expected: float) -> None:
    assert parse_whole_number(text, 0, 1e7) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("12,5", "'12,5' is not a whole number"),
    ("2.5", "'2.5' is not a whole number"),
    ("1,00,000", "'1,00,000' is not a number"),  # groups of three only
    ("1,000 000", "'1,000 000' is not a number"),  # one separator throughout
    ("1_000", "'1_000' is not a number"),
    ("-1,000", r"'-1,000' is outside \[0, 1e\+07\]"),
])
def test_whole_numbers_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_whole_number(text, 0, 1e7)
