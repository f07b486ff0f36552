"""Validation: required columns, typed values, the first bad value by row, monadic merge."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from geomap.errors import InputFileError, RowError
from geomap.incidents.load import load_incidents
from geomap.incidents.read import read_records
from geomap.incidents.validate import (
    event_values,
    merge_monadic,
    monadic_conflicts,
    monadic_repeats,
    parse_coordinates,
    parse_number,
    require_columns,
    validate_records,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def records(**columns: list[str]) -> pd.DataFrame:
    return read_records(pd.DataFrame(columns), name="t")


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "when,location\n2024-01-01,Gao\n")
    with pytest.raises(InputFileError, match="m.csv.*'event_date'.*found: 'when'"):
        load_incidents(path)


def test_a_place_or_both_coordinates_is_required() -> None:
    require_columns(records(event_date=["2024"], latitude=["1"], longitude=["2"]), "t")
    with pytest.raises(InputFileError, match="'location' or 'latitude'\\+'longitude'"):
        require_columns(records(event_date=["2024"], latitude=["1"]), "t")


@pytest.mark.parametrize(
    ("row", "column", "pattern"),
    [
        ("yesterday,Gao,,", "event_date", "accepted forms"),
        ("2024-01-01,Gao,95,1", "latitude", "outside"),
        ("2024-01-01,Gao,abc,1", "latitude", "not a number"),
        ("2024-01-01,Gao,16,", "longitude", "give both"),
    ],
)
def test_bad_values_name_file_row_and_column(tmp_path, row, column, pattern) -> None:
    path = write(tmp_path, "bad.csv",
                 f"event_date,location,latitude,longitude\n2024-01-01,Gao,,\n{row}\n")
    with pytest.raises(RowError, match=pattern) as info:
        load_incidents(path)
    assert (info.value.row, info.value.column) == (2, column)
    assert str(path) in str(info.value)


def test_the_first_bad_value_in_row_order_is_reported() -> None:
    frame = records(event_date=["2024-01-01", "2024-01-02", "someday"],
                    latitude=["1", "", "2"], longitude=["1", "5", "2"],
                    fatalities=["-1", "", ""])
    with pytest.raises(RowError) as info:
        validate_records(frame, "t")
    assert (info.value.row, info.value.column) == (1, "fatalities")
    frame.loc[0, "fatalities"] = ""
    with pytest.raises(RowError) as info:
        validate_records(frame, "t")
    assert (info.value.row, info.value.column) == (2, "latitude")
    assert "give both" in info.value.message


@pytest.mark.parametrize(
    ("column", "value", "pattern"),
    [
        ("fatalities", "2.5", "'2.5' is not a whole number"),
        ("fatalities", "-1", "outside"),
        ("geo_precision", "4", "outside \\[1, 3\\]"),
        ("geo_precision", "1.5", "not a whole number"),
    ],
)
def test_counts_and_codes_are_whole_numbers_in_range(column, value, pattern) -> None:
    frame = records(event_date=["2024-01-01"], location=["Gao"], **{column: [value]})
    with pytest.raises(RowError, match=pattern) as info:
        validate_records(frame, "t")
    assert info.value.column == column


def test_typed_values() -> None:
    frame = records(event_date=["December 2023", "2024-01-05"], location=[" Gao ", "Kidal"],
                    latitude=["16,27", ""], longitude=["-0.04", ""], fatalities=["3", ""],
                    geo_precision=["2.0", ""], time_precision=["1", "3"])
    typed = validate_records(frame, "t")
    assert typed["location"].tolist() == ["Gao", "Kidal"]
    assert typed["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-01", "2024-01-05"]
    # a month is precision 3 even when the row says 1; the given code is kept otherwise,
    # and the period is the whole month the coded day falls in
    assert typed["time_precision"].tolist() == [3, 3]
    assert typed["date_start"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-01", "2024-01-01"]
    assert typed["date_end"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-31", "2024-01-31"]
    assert typed["latitude"].iloc[0] == 16.27 and math.isnan(typed["latitude"].iloc[1])
    assert typed["fatalities"].tolist() == [3, pd.NA]
    assert str(typed["fatalities"].dtype) == str(typed["geo_precision"].dtype) == "Int64"
    assert typed["actor1"].tolist() == ["", ""]  # schema text columns are always there
    assert frame["location"].tolist() == [" Gao ", "Kidal"]  # the input is not changed


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,5", 12.5), (" -8.1 ", -8.1), ("", math.nan), ("1e1", 10.0)],
)
def test_parse_number(text: str, expected: float) -> None:
    got = parse_number(text, -90, 90)
    assert got == expected or (math.isnan(got) and math.isnan(expected))


@pytest.mark.parametrize("text", ["1.234,5", "1,2,3", "west", "nan", "inf", "91"])
def test_parse_number_refuses(text: str) -> None:
    # a comma is a decimal point only when it is the only separator: both the loader and
    # the coordinate QA read numbers through this one rule
    with pytest.raises(ValueError, match=f"'{text}' is (not a number|outside)"):
        parse_number(text, -90, 90)


def test_parse_coordinates_pairs() -> None:
    lat, lon = parse_coordinates(records(latitude=["16,5", ""], longitude=["1", ""]), "t")
    assert lat[0] == 16.5 and lon[0] == 1.0 and math.isnan(lat[1]) and math.isnan(lon[1])
    with pytest.raises(RowError, match="row 1, column 'latitude': empty while"):
        parse_coordinates(records(latitude=[""], longitude=["1"]), "t")


def _days(column: pd.Series) -> list[str]:
    return column.dt.strftime("%Y-%m-%d").tolist()


def test_acled_time_precision_is_kept_and_gives_the_period() -> None:
    # ACLED: 1 the day, 2 the week (a day within it is coded), 3 the month; 4 a year
    frame = records(event_date=["14 August 2024"] * 5 + ["2024-W33", "2024"],
                    location=["Gao"] * 7,
                    time_precision=["1", "2", "3", "", "2.0", "", "x"])
    typed = validate_records(frame, "t")
    assert typed["time_precision"].tolist() == [1, 2, 3, 1, 2, 2, 4]
    assert _days(typed["event_date"]) == ["2024-08-14"] * 5 + ["2024-08-15", "2024-01-01"]
    assert _days(typed["date_start"]) == ["2024-08-14", "2024-08-11", "2024-08-01",
                                          "2024-08-14", "2024-08-11", "2024-08-12",
                                          "2024-01-01"]
    assert _days(typed["date_end"]) == ["2024-08-14", "2024-08-17", "2024-08-31",
                                        "2024-08-14", "2024-08-17", "2024-08-18",
                                        "2024-12-31"]


def test_geomaps_fourth_level_round_trips_through_an_export() -> None:
    # an export writes a year-only date as its first day with time_precision 4
    typed = validate_records(records(event_date=["2024-01-01"], location=["Gao"],
                                     time_precision=["4"]), "t")
    assert typed["time_precision"].tolist() == [4]
    assert _days(typed["date_end"]) == ["2024-12-31"]


def test_monadic_repeats_ignore_empty_ids() -> None:
    frame = pd.DataFrame({"event_id_cnty": ["A", "", "A", "", "B", "B"], "location": "Gao"})
    assert monadic_repeats(frame).tolist() == [False, False, True, False, False, True]
    assert monadic_repeats(frame, keep=False).tolist() == \
        [True, False, True, False, True, True]


# an ACLED monadic pair (one row per actor), and three rows that share an id but are three
# events: Gao, Kidal (40 dead) and Bamako (100 dead) once vanished into the Gao event
SHARED_IDS = dict(
    event_id_cnty=["MLI1", "MLI1", "MLI9", "MLI9", "MLI9"],
    event_date=["14 August 2024", "2024-08-14", "2024-08-14", "2024-08-15", "2024-08-14"],
    actor1=["JNIM", "Military Forces of Mali", "JNIM", "JNIM", "Wagner Group"],
    location=["Gao", "Gao", "Gao", "Kidal", "Bamako"],
    latitude=["16.27", "16.27", "16.27", "18.44", "12.65"],
    longitude=["-0.04", "-0.04", "-0.04", "1.41", "-8.0"],
    fatalities=["3", "3", "3", "40", "100"],
)


def test_only_the_same_event_merges_and_the_others_are_conflicts() -> None:
    typed = validate_records(records(**SHARED_IDS), "t")
    assert monadic_conflicts(typed).tolist() == [False, False, True, True, True]
    out, merged = merge_monadic(typed)
    assert merged == 1
    assert out["row"].tolist() == [1, 3, 4, 5]
    assert out["location"].tolist() == ["Gao", "Gao", "Kidal", "Bamako"]
    assert out["fatalities"].tolist() == [3, 3, 40, 100]
    assert (out["actor1"].iloc[0], out["actor2"].iloc[0]) == ("JNIM", "Military Forces of Mali")
    assert out["actor2"].iloc[1:].tolist() == ["", "", ""]  # kept apart: nothing folded in


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("event_date", ["2024-08-14", "2024-08-15"]),
        ("time_precision", ["1", "2"]),
        ("fatalities", ["3", "4"]),
        ("fatalities", ["3", ""]),
        ("latitude", ["16.27", "16.28"]),
        ("location", ["Gao", "Gao-Ville"]),
    ],
)
def test_any_difference_keeps_rows_apart(column: str, values: list[str]) -> None:
    pair = dict(event_id_cnty=["E1", "E1"], event_date=["2024-08-14"] * 2,
                location=["Gao"] * 2, fatalities=["3", "3"], actor1=["A", "B"])
    if column == "latitude":
        pair.update(latitude=values, longitude=["-0.04", "-0.04"])
    else:
        pair[column] = values
    typed = validate_records(records(**pair), "t")
    out, merged = merge_monadic(typed)
    assert (merged, len(out), int(monadic_conflicts(typed).sum())) == (0, 2, 2)


def test_given_coordinates_are_the_place_and_the_name_is_not_compared() -> None:
    typed = validate_records(records(
        event_id_cnty=["E1", "E1"], event_date=["2024-08-14"] * 2,
        location=["Gao", "Gao town"], latitude=["16.27"] * 2, longitude=["-0.04"] * 2,
        actor1=["A", "B"]), "t")
    assert merge_monadic(typed)[1] == 1 and not monadic_conflicts(typed).any()


def test_qa_compares_unvalidated_values_as_the_loader_does() -> None:
    raw = records(**SHARED_IDS)
    raw["latitude"], raw["longitude"] = parse_coordinates(raw, "t")
    events = event_values(raw)
    typed = validate_records(records(**SHARED_IDS), "t")
    assert monadic_repeats(events).tolist() == monadic_repeats(typed).tolist()
    assert monadic_conflicts(events).tolist() == monadic_conflicts(typed).tolist()
    # a value that does not parse is compared as written
    bad = event_values(records(event_id_cnty=["E1", "E1", "E1"],
                               event_date=["soon", "soon", "later"], location=["Gao"] * 3))
    assert monadic_repeats(bad).tolist() == [False, True, False]


def test_merge_monadic_folds_actors() -> None:
    frame = validate_records(records(
        event_id_cnty=["E1", "E1", "E1", "E2", "", "", "E3", "E3"],
        event_date=["2024"] * 8, location=["Gao"] * 8,
        actor1=["", "JNIM", "Military", "Civilians", "x", "y", "A", "A"],
        actor2=["", "", "", "", "", "", "Given", ""],
    ), "t")
    out, merged = merge_monadic(frame)
    assert merged == 3
    assert out["event_id_cnty"].tolist() == ["E1", "E2", "", "", "E3"]
    assert out["actor1"].tolist() == ["JNIM", "Civilians", "x", "y", "A"]
    assert out["actor2"].tolist() == ["Military", "", "", "", "Given"]
    assert out["row"].tolist() == [1, 4, 5, 6, 7]


def test_no_monadic_rows_is_a_no_op() -> None:
    frame = validate_records(records(event_id_cnty=["E1", "E2"], event_date=["2024"] * 2,
                                     location=["Gao"] * 2), "t")
    out, merged = merge_monadic(frame)
    assert merged == 0 and out is frame
