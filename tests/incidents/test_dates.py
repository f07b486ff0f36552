"""Event dates: accepted forms, precision and rejection with the accepted list."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.incidents.dates import parse_date, parse_iso_day

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-25", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("25 August 2024", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("25-08-2024", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("16-Feb-21", (D(2021, 2, 16), D(2021, 2, 16), 1)),
        ("2023-12", (D(2023, 12, 1), D(2023, 12, 31), 2)),
        ("December 2023", (D(2023, 12, 1), D(2023, 12, 31), 2)),
        ("février 2024", (D(2024, 2, 1), D(2024, 2, 29), 2)),
        ("2024", (D(2024, 1, 1), D(2024, 12, 31), 3)),
    ],
)
def test_accepted_forms(text: str, expected: tuple) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2024-13", "31/02/2024", "", "12/2024/01"])
def test_rejected_forms_list_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="2024-08-25|real date|empty"):
        parse_date(text)


def test_cli_days_are_strict_iso() -> None:
    assert parse_iso_day("2025-01-31") == D(2025, 1, 31)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_iso_day("31-01-2025")
