"""Event dates: accepted forms, ACLED's precision levels, periods, rejection with the list."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geomap.incidents.dates import (
    DAY_PRECISION,
    MONTH_PRECISION,
    TIME_PRECISION_UNITS,
    WEEK_HALF_DAYS,
    WEEK_PRECISION,
    YEAR_PRECISION,
    coded_day,
    parse_date,
    parse_iso_day,
    period_bounds,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-25", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("25 August 2024", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("25-08-2024", (D(2024, 8, 25), D(2024, 8, 25), 1)),
        ("16-Feb-21", (D(2021, 2, 16), D(2021, 2, 16), 1)),
        ("2024-W33", (D(2024, 8, 12), D(2024, 8, 18), 2)),
        ("2024w01", (D(2024, 1, 1), D(2024, 1, 7), 2)),
        ("2023-12", (D(2023, 12, 1), D(2023, 12, 31), 3)),
        ("December 2023", (D(2023, 12, 1), D(2023, 12, 31), 3)),
        ("février 2024", (D(2024, 2, 1), D(2024, 2, 29), 3)),
        ("2024", (D(2024, 1, 1), D(2024, 12, 31), 4)),
    ],
)
def test_accepted_forms(text: str, expected: tuple) -> None:
    assert parse_date(text) == expected


def test_levels_are_acleds_with_a_fourth_for_the_year() -> None:
    assert (DAY_PRECISION, WEEK_PRECISION, MONTH_PRECISION, YEAR_PRECISION) == (1, 2, 3, 4)
    assert TIME_PRECISION_UNITS == {1: "day", 2: "week", 3: "month", 4: "year"}


@pytest.mark.parametrize("text", ["yesterday", "2024-13", "31/02/2024", "", "12/2024/01",
                                  "2024-W54"])
def test_rejected_forms_list_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="2024-08-25|real date|empty"):
        parse_date(text)


def test_cli_days_are_strict_iso() -> None:
    assert parse_iso_day("2025-01-31") == D(2025, 1, 31)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_iso_day("31-01-2025")


def _days(index: pd.DatetimeIndex) -> list[str]:
    return [f"{d:%Y-%m-%d}" if pd.notna(d) else "" for d in index]


def test_periods_of_acled_codes_on_a_coded_day() -> None:
    # ACLED codes 14 August 2024 whatever its precision: the day, the week around it, its
    # month (the coded day need not be the first), and geomap's year
    starts, ends = period_bounds(pd.to_datetime(["2024-08-14"] * 4 + [None]), [1, 2, 3, 4, 2])
    assert _days(starts) == ["2024-08-14", "2024-08-11", "2024-08-01", "2024-01-01", ""]
    assert _days(ends) == ["2024-08-14", "2024-08-17", "2024-08-31", "2024-12-31", ""]
    assert WEEK_HALF_DAYS == 3  # 7 days in all, centred on the coded day


def test_unknown_codes_are_days_and_periods_cross_month_and_year_ends() -> None:
    starts, ends = period_bounds(pd.to_datetime(["2024-01-01", "2024-12-30", "2024-02-10"]),
                                 [2, 2, 7])
    assert _days(starts) == ["2023-12-29", "2024-12-27", "2024-02-10"]
    assert _days(ends) == ["2024-01-04", "2025-01-02", "2024-02-10"]


def test_a_written_week_is_coded_on_its_middle_so_its_period_is_the_week() -> None:
    first, last, precision = parse_date("2024-W33")
    day = coded_day(first, precision)
    assert day == D(2024, 8, 15)  # the Thursday
    starts, ends = period_bounds(pd.to_datetime([day]), [precision])
    assert (starts[0].date(), ends[0].date()) == (first, last)
    assert coded_day(D(2023, 12, 1), MONTH_PRECISION) == D(2023, 12, 1)
