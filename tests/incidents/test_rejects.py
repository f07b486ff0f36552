"""Bad rows: every bad value found at once, the first one raised, or the rows set aside."""

from __future__ import annotations

import pandas as pd
import pytest

from geomap.errors import RowError
from geomap.incidents.load import load_incidents
from geomap.incidents.read import read_records
from geomap.incidents.rejects import PROBLEM_COLUMNS
from geomap.incidents.validate import validate_records, validate_rows

TABLE = pd.DataFrame({
    "event_id_cnty": ["B1", "B2", "B3", "B4", "B5"],
    "event_date": ["2024-08-25", "someday", "2024-08-26", "2024-08-27", "2024-08-28"],
    "location": ["Gao", "Gao", "Gao", "Gao", "Bamako"],
    "latitude": ["16.27", "16.27", "95", "16.27", "12.64"],
    "longitude": ["-0.04", "-0.04", "x", "", "-8.0"],
    "fatalities": ["3", "-1", "2.5", "0", "2"],
})


def _records() -> pd.DataFrame:
    return read_records(TABLE, name="t.csv")


def test_validate_rows_lists_every_bad_value_by_row_then_column() -> None:
    typed, problems = validate_rows(_records(), "t.csv")
    assert len(typed) == 5
    assert problems.columns.tolist() == list(PROBLEM_COLUMNS)
    assert problems[["row", "column"]].values.tolist() == [
        [2, "event_date"], [2, "fatalities"], [3, "latitude"], [3, "longitude"],
        [3, "fatalities"], [4, "longitude"]]
    assert set(problems["file"]) == {"t.csv"}
    # a coordinate that is not a number is not also "the other one is missing"
    assert problems[problems["row"] == 3]["reason"].str.contains("both").sum() == 0


def test_validate_records_raises_the_first_as_before() -> None:
    with pytest.raises(RowError) as caught:
        validate_records(_records(), "t.csv")
    assert (caught.value.row, caught.value.column) == (2, "event_date")


def test_skip_sets_the_rows_aside_with_their_cells() -> None:
    load = load_incidents(TABLE, name="t.csv", on_bad_rows="skip")
    assert load.incidents["event_id_cnty"].tolist() == ["B1", "B5"]
    assert load.rows_read == len(load.incidents) + len(load.rejected) == 5
    rejected = load.rejected
    assert rejected["row"].tolist() == [2, 3, 4]
    assert rejected["column"].tolist() == ["event_date; fatalities",
                                           "latitude; longitude; fatalities", "longitude"]
    assert rejected.loc[1, "longitude"] == "x" and rejected.loc[0, "event_date"] == "someday"


def test_strict_is_the_default_and_leaves_nothing_aside() -> None:
    with pytest.raises(RowError):
        load_incidents(TABLE)
    good = load_incidents(TABLE.iloc[[0, 4]])
    assert good.rejected.empty and list(good.rejected.columns)[:4] == list(PROBLEM_COLUMNS)


def test_every_row_bad_leaves_an_empty_load() -> None:
    load = load_incidents(TABLE.iloc[[1, 2]], on_bad_rows="skip")
    assert load.incidents.empty and len(load.rejected) == 2 and load.rows_read == 2


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="on_bad_rows must be one of strict, skip"):
        load_incidents(TABLE, on_bad_rows="ignore")


def test_input_columns_named_like_the_problem_columns_keep_their_cells() -> None:
    table = TABLE.assign(reason=["r"] * 5, file=["f"] * 5)
    rejected = load_incidents(table, on_bad_rows="skip").rejected
    assert rejected.loc[0, "input_reason"] == "r" and rejected.loc[0, "input_file"] == "f"
    assert rejected.loc[0, "file"] == "<table>"
