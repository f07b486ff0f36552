"""Filtering: day ranges that periods overlap, countries, event types."""

from __future__ import annotations

from geomap.incidents.filters import filter_incidents
from geomap.incidents.load import load_incidents
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")


def test_filter_by_day_range_month_overlap_country_type() -> None:
    inc = load_incidents(EXAMPLE).incidents
    jan25 = filter_incidents(inc, start="2025-01-01", end="2025-01-31")
    assert sorted(jan25["event_id_cnty"]) == ["GM-0009", "GM-0010", "GM-0011"]
    # A month-precision event covers its month: it meets any day of it.
    mid_dec = filter_incidents(inc, start="2023-12-15", end="2023-12-15")
    assert sorted(mid_dec["event_id_cnty"]) == ["GM-0002", "GM-0003"]
    assert set(filter_incidents(inc, countries=["DZ"])["country_code"]) == {"DZ"}
    strikes = filter_incidents(inc, event_types=["explosions/remote violence"])
    assert list(strikes["event_id_cnty"]) == ["GM-0006"]


def test_no_filter_keeps_everything_and_codes_ignore_case() -> None:
    inc = load_incidents(EXAMPLE).incidents
    assert len(filter_incidents(inc)) == len(inc)
    assert len(filter_incidents(inc, countries=["dz"])) == \
        len(filter_incidents(inc, countries=["DZ"]))
