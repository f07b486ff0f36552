"""Filtering: day ranges that periods overlap, countries, event types, areas, actors,
fatalities, bounding boxes, border distance; values the data does not hold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geomap.errors import FilterError
from geomap.incidents.filter_values import require_matches
from geomap.incidents.filters import BBox, event_periods, filter_incidents
from geomap.incidents.load import load_incidents
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")
#: Five made-up events with coordinates: admin1-3 with accents, associated actors,
#: fatalities, one on the Algeria-Mali border (F1, 2 km) and one in Fiji (F5, lon 179.4).
FILTERS = Path(__file__).resolve().parents[1] / "fixtures" / "incidents_filters.csv"


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


def _acled(precisions: list[int]) -> pd.DataFrame:
    """Events coded 14 August 2024 with the given ACLED time precisions (validated)."""
    from geomap.incidents.read import read_records
    from geomap.incidents.validate import validate_records

    n = len(precisions)
    table = pd.DataFrame({"event_id_cnty": [f"E{p}" for p in precisions],
                          "event_date": ["14 August 2024"] * n, "location": ["Gao"] * n,
                          "time_precision": [str(p) for p in precisions]})
    return validate_records(read_records(table, name="t"), "t")


@pytest.mark.parametrize(
    ("start", "end", "kept"),
    [
        ("2024-08-16", "2024-08-20", ["E2", "E3", "E4"]),  # the case
        ("2024-08-14", "2024-08-14", ["E1", "E2", "E3", "E4"]),
        ("2024-08-11", "2024-08-11", ["E2", "E3", "E4"]),  # the week's first day
        ("2024-08-18", None, ["E3", "E4"]),  # after the week (11-17 August)
        (None, "2024-08-10", ["E3", "E4"]),  # before it
        ("2024-09-01", "2024-09-30", ["E4"]),  # the year only
        ("2025-01-01", None, []),
    ],
)
def test_week_month_and_year_precision_overlap_the_range(start, end, kept) -> None:
    events = _acled([1, 2, 3, 4])
    assert filter_incidents(events, start=start, end=end)["event_id_cnty"].tolist() == kept


def test_a_table_without_period_columns_gets_the_same_periods() -> None:
    events = _acled([1, 2, 3, 4])
    bare = events[["event_id_cnty", "event_date", "time_precision"]]
    for got, expected in zip(event_periods(bare), event_periods(events), strict=True):
        assert got.tolist() == expected.tolist()
    assert filter_incidents(bare, start="2024-08-16", end="2024-08-20")[
        "event_id_cnty"].tolist() == ["E2", "E3", "E4"]


# ------------------------------------------------------------------ areas, actors, numbers


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_incidents(FILTERS).incidents


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["event_id_cnty"].tolist()


def test_admin1_matches_the_first_level_only_and_ignores_case_and_accents(events) -> None:
    assert _ids(filter_incidents(events, admin1=["MENAKA"])) == ["F2"]
    assert _ids(filter_incidents(events, admin1=["kidal", "Centre"])) == ["F1", "F4"]
    assert _ids(filter_incidents(events, admin1=["Kadiogo"])) == []  # an admin2


def test_areas_match_any_of_admin1_to_admin3(events) -> None:
    assert _ids(filter_incidents(events, areas=["Kadiogo"])) == ["F4"]
    assert _ids(filter_incidents(events, areas=["bamako commune iii", "Tessalit"])) == \
        ["F1", "F3"]
    assert _ids(filter_incidents(events, areas="Ménaka")) == ["F2"]  # one name as a str


def test_actors_are_substrings_of_actors_and_associated_actors(events) -> None:
    assert _ids(filter_incidents(events, actors=["wagner"])) == ["F1"]  # assoc_actor_1
    assert _ids(filter_incidents(events, actors=["Farmers"])) == ["F2"]  # assoc_actor_2
    assert _ids(filter_incidents(events, actors=["Civilians (MALI)"])) == ["F2"]
    assert _ids(filter_incidents(events, actors=["mali"])) == ["F1", "F2", "F3"]
    assert _ids(filter_incidents(events, actors=["jnim", "students"])) == ["F2", "F3"]


def test_min_fatalities_counts_an_empty_count_as_zero(events) -> None:
    assert _ids(filter_incidents(events, min_fatalities=3)) == ["F1", "F4"]
    assert len(filter_incidents(events, min_fatalities=0)) == len(events)
    table = pd.DataFrame({"fatalities": pd.array([None, 2], dtype="Int64")})
    assert filter_incidents(table, min_fatalities=1).index.tolist() == [1]


def test_bbox_keeps_the_points_inside_edges_included(events) -> None:
    assert _ids(filter_incidents(events, bbox=BBox(0, 15, 5, 21))) == ["F1", "F2"]
    assert _ids(filter_incidents(events, bbox=(-8.0029, 12.6392, 0, 13))) == ["F3"]


def test_bbox_across_the_antimeridian(events) -> None:
    box = BBox.parse("170,-20,-170,-10")
    assert box.crosses_antimeridian
    assert _ids(filter_incidents(events, bbox=box)) == ["F5"]
    assert _ids(filter_incidents(events, bbox=BBox(-170, -20, 170, -10))) == []


@pytest.mark.parametrize(("text", "message"), [
    ("-190,0,5,5", "west -190 is outside [-180, 180]"),
    ("0,-91,5,5", "south -91 is outside [-90, 90]"),
    ("0,0,181,5", "east 181 is outside [-180, 180]"),
    ("0,0,5,95", "north 95 is outside [-90, 90]"),
    ("0,10,5,5", "south 10 is not below north 5"),
    ("0,5,5,5", "south 5 is not below north 5"),
    ("3,0,3,5", "west and east are both 3"),
    ("1,2,3", "give W,S,E,N"),
    ("a,b,c,d", "not a number"),
    ("0,nan,5,5", "south nan is outside"),
])
def test_bbox_refuses_boxes_out_of_range(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message.replace("[", r"\[").replace("]", r"\]")):
        BBox.parse(text)


def test_border_distance_from_the_column_or_measured(events) -> None:
    assert _ids(filter_incidents(events, within_km_of_border=10)) == ["F1"]  # measured
    assert _ids(filter_incidents(events, within_km_of_border=100)) == ["F1", "F2"]
    given = events.assign(border_distance_km=[50.0, 5.0, None, 1.0, 500.0])
    assert _ids(filter_incidents(given, within_km_of_border=10)) == ["F2", "F4"]


def test_criteria_combine(events) -> None:
    kept = filter_incidents(events, countries=["ml"], actors=["mali"], min_fatalities=1,
                            within_km_of_border=10)
    assert _ids(kept) == ["F1"]
    assert len(filter_incidents(events, admin1=[], areas=(), actors=None)) == len(events)


# ------------------------------------------------------------------ values the data lacks


def test_a_value_the_data_does_not_hold_is_refused_with_the_closest(events) -> None:
    with pytest.raises(FilterError) as caught:
        require_matches(events, event_types=["Battle"])
    message = str(caught.value)
    assert message.startswith("event type 'Battle' matches no event in the data; "
                              "did you mean 'Battles'?")
    assert "(event types in the data: Battles, Explosions/Remote violence, Protests," in message
    with pytest.raises(FilterError, match="did you mean 'Tessalit'"):
        require_matches(events, areas=["Tesalit"])
    with pytest.raises(FilterError, match="did you mean 'Wagner Group'"):
        require_matches(events, actors=["Wagnr"])
    with pytest.raises(FilterError) as caught:  # an admin2 name: not an admin1
        require_matches(events, admin1=["Kadiogo"])
    assert str(caught.value) == ("admin1 'Kadiogo' matches no event in the data (admin1 "
                                 "names in the data: Bamako, Centre, Kidal, Ménaka, Northern)")


def test_a_country_the_data_does_not_hold_lists_the_data_countries(events) -> None:
    with pytest.raises(FilterError) as caught:
        require_matches(events, countries=["NE"])
    assert str(caught.value) == ("country 'NE' matches no event in the data "
                                 "(countries in the data: BF, FJ, ML)")


def test_values_the_data_holds_pass(events) -> None:
    require_matches(events, countries=["ml"], event_types=["battles"], admin1=["Menaka"],
                    areas=["KADIOGO"], actors=["jnim"])
    require_matches(events.iloc[:0], event_types=["Battle"])  # nothing to match against
