"""Tests for geomap.geoparse.timex: date expressions against a publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.geoparse import find_dates
from geomap.geoparse.timex import month_number
from geomap.incidents.dates import MONTHS


def test_date_forms():
    text = ("On August 25, 2024 a strike; on 25 August 2024 again; in January 2024 talks; "
            "in December a visit; last week a protest.")
    got = [(d.first.isoformat(), d.precision)
           for d in find_dates(text, published=dt.date(2025, 1, 10))]
    # ACLED's codes: 1 the day, 2 the week, 3 the month (4 a year)
    assert got == [("2024-08-25", 1), ("2024-08-25", 1), ("2024-01-01", 3),
                   ("2024-12-01", 3), ("2024-12-30", 2)]


def test_a_week_is_coded_on_its_middle_and_a_year_is_level_four():
    published = dt.date(2025, 1, 10)  # a Friday
    last, this, year = find_dates("last week, this week, in 2023", published=published)
    assert (last.first, last.day, last.last) == (dt.date(2024, 12, 30), dt.date(2025, 1, 2),
                                                 dt.date(2025, 1, 5))
    # the seven days around the coded day cover the week (so far)
    assert (this.first, this.day, this.last, this.precision) == (
        dt.date(2025, 1, 6), dt.date(2025, 1, 8), published, 2)
    assert (year.day, year.precision) == (dt.date(2023, 1, 1), 4)


def test_relative_dates_need_a_publication_date():
    assert find_dates("last week and in December") == []


# every month word timex accepted before it shared the incidents' month table
_ACCEPTED_BEFORE = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1, "february": 2, "feb": 2,
    "fevrier": 2, "février": 2, "fev": 2, "march": 3, "mar": 3, "mars": 3, "april": 4,
    "apr": 4, "avril": 4, "avr": 4, "may": 5, "mai": 5, "june": 6, "jun": 6, "juin": 6,
    "july": 7, "jul": 7, "juillet": 7, "juil": 7, "august": 8, "aug": 8, "aout": 8,
    "août": 8, "september": 9, "sep": 9, "sept": 9, "septembre": 9, "october": 10,
    "oct": 10, "octobre": 10, "november": 11, "nov": 11, "novembre": 11, "december": 12,
    "dec": 12, "decembre": 12, "décembre": 12,
}


@pytest.mark.parametrize("word", sorted(_ACCEPTED_BEFORE))
def test_every_month_word_accepted_before_still_is(word):
    month = _ACCEPTED_BEFORE[word]
    for written in (word, word.capitalize(), word.upper(), word + "."):
        found = find_dates(f"Talks on 3 {written} 2024 failed.")
        assert [(d.first.month, d.first.day) for d in found] == [(month, 3)], written
        assert month_number(written.rstrip(".")) == month


def test_the_month_table_is_the_incidents_one():
    # one table: timex accepts every form the incidents' dates accept, in any case
    for word, month in MONTHS.items():
        found = find_dates(f"In {word.capitalize()} 2023, talks failed.")
        assert [d.first.month for d in found] == [month], word
    # "may" and "mar" in lower case stay verbs without a year
    assert find_dates("we may 5 times", published=dt.date(2024, 6, 1)) == []
