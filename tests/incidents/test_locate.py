"""Locating: rows without coordinates through the gazetteer, every row accounted for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geomap.gazetteer.lookup import default_gazetteer
from geomap.incidents.load import load_incidents
from geomap.incidents.locate import (
    GIVEN_METHOD,
    GIVEN_RULE,
    NO_NAME_REASON,
    UNRESOLVED_COLUMNS,
    country_codes,
    dominant_countries,
    locate,
    place_keys,
)
from geomap.incidents.read import read_records
from geomap.incidents.validate import validate_records
from geomap.place import Hints


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def typed(**columns: list[str]) -> pd.DataFrame:
    return validate_records(read_records(pd.DataFrame(columns)), "t")


def test_rows_with_coordinates_keep_them(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "event_date,location,latitude,longitude\n"
                 "2024-01-02,Bamako,12.5,-8.1\n")
    inc = load_incidents(path).incidents
    assert (inc.loc[0, "latitude"], inc.loc[0, "longitude"]) == (12.5, -8.1)
    assert inc.loc[0, "geocode_method"] == "given"


def test_unresolved_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "event_date,location,country\n"
                 "2024-01-02,Bamako,Mali\n2024-01-03,Qwxzvbn,Mali\n2024-01-04,,Mali\n")
    load = load_incidents(path)
    assert len(load.incidents) == 1
    assert list(load.unresolved["row"]) == [2, 3]
    assert "Qwxzvbn" in load.unresolved.loc[0, "reason"]
    assert "no location" in load.unresolved.loc[1, "reason"]


def test_country_column_disambiguates(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "event_date,location,country\n"
                 "2024-01-02,Gao,Burkina Faso\n2024-01-02,Gao,Mali\n")
    inc = load_incidents(path).incidents
    assert list(inc["country_code"]) == ["BF", "ML"]


def test_data_about_one_country_is_a_prior(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "event_date,location,country\n"
                 "2024-01-02,Ouagadougou,Burkina Faso\n2024-01-03,Bobo-Dioulasso,Burkina Faso\n"
                 "2024-01-04,Gao,\n")
    inc = load_incidents(path).incidents
    assert inc.loc[2, "country_code"] == "BF"


def test_locate_adds_how_each_row_was_placed() -> None:
    frame = typed(event_date=["2024"] * 4, location=["Kidal", "Bamako", "", "Qwxzvbn"],
                  country=["", "Mali", "Mali", "Mali"], latitude=["", "12.5", "", ""],
                  longitude=["", "-8.1", "", ""], geo_precision=["2", "", "", ""])
    placed, unresolved = locate(frame, default_gazetteer())
    assert placed["row"].tolist() == [1, 2]
    kidal, bamako = placed.iloc[0], placed.iloc[1]
    assert kidal["geocoded_name"] == "Kidal" and kidal["country_code"] == "ML"
    assert kidal["geo_precision"] == 1  # the geocoder's: the town itself
    assert kidal["geo_precision_input"] == 2  # the input's, kept apart
    assert kidal["geocode_method"] == "exact" and "exact name, Kidal" in kidal["geocode_note"]
    assert 18 < kidal["latitude"] < 19 and kidal["place_id"]
    assert bamako["geocode_method"] == GIVEN_METHOD and bamako["geocoded_name"] == ""
    assert pd.isna(bamako["geo_precision"])  # not invented for given coordinates
    assert pd.isna(bamako["geocode_score"]) and bamako["geocode_note"] == GIVEN_RULE
    assert list(unresolved.columns) == list(UNRESOLVED_COLUMNS)
    assert unresolved["row"].tolist() == [3, 4]
    assert unresolved["reason"].iloc[0] == NO_NAME_REASON


def test_dominant_countries_and_codes() -> None:
    assert dominant_countries(["ML"] * 4 + ["BF"]) == ("ML", "BF")
    assert dominant_countries(["ML"] * 5 + ["BF"]) == ("ML",)
    assert dominant_countries([None, ""]) == ()
    assert country_codes(default_gazetteer(), ["Mali", "Atlantis", ""]) == ["ML", None, None]


def test_place_keys_carry_the_hint_columns() -> None:
    frame = pd.DataFrame({"location": ["Soumpi"], "country": ["ML"], "admin3": ["Soumpi"]})
    assert place_keys(frame) == [("Soumpi", Hints("ML", admin3="Soumpi"))]
