"""An ACLED export stripped of its coordinates, placed by the embedded gazetteer, end to end.

``tests/fixtures/acled_stripped.csv`` is made up (events, sources and notes are invented),
in the column layout of ACLED's exports, with the coordinates of every row but one left
empty. It is run the way a user runs it (``geomap map`` and ``geomap export`` to CSV and
GeoJSON through click's runner, and :func:`geomap.pipeline.prepare`), and for each kind of
row the method, the geocoder's ``geo_precision``, the input's ``geo_precision_input``, the
``geocode_note`` and the popup's Location row must say the same thing:

===  ==============  ===========================================================  =========
row  location        what the default gazetteer does                              precision
===  ==============  ===========================================================  =========
1    Maiduguri       exact name of the town (the input said 2)                    1
2    Potiskun        fuzzy: one letter off Potiskum (the input said 1)            2
3-6  Surulere, ...   exact; the confident places of admin-3 area Lagos Mainland   1
7    Ogbaleko Oja    area: in no gazetteer, placed at its commune's centre        3
8    Kwazzabuni      unresolved: made up, and no commune located to fall back on  -
9    Gwaram          unresolved: ambiguous, two Nigerian towns and no admin-1     -
10   Kano            coordinates given: kept, with the input's precision          2
===  ==============  ===========================================================  =========

Lagos Mainland is densely settled in the default gazetteer (23 settlements within 15 km
of the centre of rows 3-6), which the area fallback needs; the Sahel's towns are too far
apart in it for a commune's centre to stand for a village.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from click.testing import CliRunner
from support import decode, payload_of

from geomap.cli import cli
from geomap.gazetteer.lookup import default_gazetteer
from geomap.incidents.locate import location_note
from geomap.pipeline import Prepared, prepare

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "acled_stripped.csv"


class Expected(NamedTuple):
    """What one placed row of the fixture must say."""

    location: str
    method: str
    precision: int  # the geocoder's, or the input's for given coordinates
    precision_input: int
    note: str  # the method in words


_GAZ = "placed by the gazetteer"
#: Placed rows by event id.
PLACED: dict[str, Expected] = {
    "NGA90001": Expected("Maiduguri", "exact", 1, 2, f"{_GAZ}: exact name, Maiduguri"),
    "NGA90002": Expected("Potiskun", "fuzzy", 2, 1,
                         f"{_GAZ}: fuzzy match of 'Potiskun' -> Potiskum (score 0.88)"),
    "NGA90003": Expected("Surulere", "exact", 1, 1, f"{_GAZ}: exact name, Surulere"),
    "NGA90004": Expected("Mushin", "exact", 1, 1, f"{_GAZ}: exact name, Mushin"),
    "NGA90005": Expected("Oshodi", "exact", 1, 1, f"{_GAZ}: exact name, Oshodi"),
    "NGA90006": Expected("Ebute-Metta", "exact", 1, 1, f"{_GAZ}: exact name, Ebute-Metta"),
    "NGA90007": Expected("Ogbaleko Oja", "area", 3, 1,
                         f"{_GAZ} at the centre of admin-3 area Lagos Mainland "
                         "(no place named 'Ogbaleko Oja' in or near it)"),
    "NGA90010": Expected("Kano", "given", 2, 2, "coordinates given in the input"),
}
#: Unresolved rows: input row -> (location, words of the reason).
UNRESOLVED = {8: ("Kwazzabuni", "no place named 'Kwazzabuni' in NG"),
              9: ("Gwaram", "ambiguous: Gwaram (")}
#: ACLED's geo_precision in the popup's words.
PRECISION_WORDS = {1: "the town itself", 2: "near or part of a place",
                   3: "an area (commune, region or country)"}
#: The rows of admin-3 area Lagos Mainland whose exact names locate it.
COMMUNE = ("NGA90003", "NGA90004", "NGA90005", "NGA90006")
SUMMARY = ("10 rows read, 8 mapped (1 at their commune's centre, precision 3), "
           "0 filtered out, 2 unresolved")

#: Each event's popup Location row, built by the page's own code (templates/popup.js).
POPUP_LOCATIONS = """() => {
    const g = window.geomap, ids = g.events.text.event_id_cnty, out = {};
    for (const marker of g.markers) {
        const box = marker.options.geomapPopup(marker);
        const row = [...box.querySelectorAll("tr")]
            .find((tr) => tr.querySelector("th").textContent === "Location");
        out[ids(marker.geomapIndex)] = row ? row.querySelector("td").textContent : null;
    }
    return out;
}"""


def popup_location(expected: Expected) -> str:
    """The popup's Location row of a row: the note, then the precision in words."""
    precision = expected.precision
    return f"{expected.note}; precision {precision}: {PRECISION_WORDS[precision]}"


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    """The fixture through the Python API."""
    return prepare(FIXTURE)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``geomap map`` and ``geomap export`` (CSV, GeoJSON) of the fixture, as typed."""
    out = tmp_path_factory.mktemp("acled_stripped")
    runs = {}
    for command, name in (("map", "acled.html"), ("export", "acled.csv"),
                          ("export", "acled.geojson")):
        result = CliRunner().invoke(cli, [command, str(FIXTURE), "-o", str(out / name)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        runs[Path(name).suffix] = result
    return {"dir": out, "runs": runs}


def by_event(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The rows of a table by event id."""
    return {row["event_id_cnty"]: row for row in frame.to_dict("records")}


def test_the_fixture_is_an_acled_export_without_coordinates() -> None:
    raw = pd.read_csv(FIXTURE, dtype=str)
    assert list(raw.columns[:8]) == ["data_id", "iso", "event_id_cnty", "event_id_no_cnty",
                                     "event_date", "year", "time_precision", "event_type"]
    assert {"admin3", "assoc_actor_1", "inter1", "interaction", "source_scale", "timestamp",
            "iso3"} <= set(raw.columns)
    assert raw["latitude"].notna().sum() == raw["longitude"].notna().sum() == 1


def test_every_row_is_accounted_for(prepared: Prepared, outputs: dict[str, Any]) -> None:
    report = prepared.report()
    assert report.rows_read == 10 and report.merged == 0 and report.filtered_out == 0
    assert report.rows_read == report.mapped + report.unresolved == 8 + 2
    assert report.at_area == 1
    for suffix, result in outputs["runs"].items():
        assert SUMMARY in result.stderr, suffix
        assert "acled.unresolved.csv" in result.stderr
    unresolved = pd.read_csv(outputs["dir"] / "acled.unresolved.csv", dtype=str)
    assert list(unresolved.columns) == ["row", "location", "country", "reason"]
    assert unresolved["row"].astype(int).tolist() == sorted(UNRESOLVED)
    for row in unresolved.to_dict("records"):
        location, reason = UNRESOLVED[int(row["row"])]
        assert row["location"] == location and row["country"] == "Nigeria"
        assert reason in row["reason"]


def test_method_precision_and_note_agree(prepared: Prepared) -> None:
    rows = by_event(prepared.incidents)
    assert set(rows) == set(PLACED)
    for event_id, expected in PLACED.items():
        row = rows[event_id]
        assert row["location"] == expected.location
        assert row["geocode_method"] == expected.method, event_id
        assert row["geo_precision"] == expected.precision, event_id
        assert row["geo_precision_input"] == expected.precision_input, event_id
        assert row["geocode_note"] == expected.note, event_id
        if expected.method != "given":  # the note is the method, the query and the place
            assert row["geocode_note"] == location_note(
                row["geocode_method"], row["location"], row["geocoded_name"],
                row["geocode_score"])


def test_scores_and_places(prepared: Prepared) -> None:
    rows = by_event(prepared.incidents)
    fuzzy, area, given = rows["NGA90002"], rows["NGA90007"], rows["NGA90010"]
    assert rows["NGA90001"]["geocode_score"] == 1.0
    assert fuzzy["geocoded_name"] == "Potiskum" and 0.85 <= fuzzy["geocode_score"] < 1
    assert area["geocode_score"] == 0.5
    assert area["geocoded_name"] == "admin-3 area Lagos Mainland"
    assert "densely settled" in area["geocode_rule"]
    commune = [rows[e] for e in COMMUNE]  # the area's point: their median, to 5 decimals
    for axis in ("latitude", "longitude"):
        centre = statistics.median(r[axis] for r in commune)
        assert area[axis] == pytest.approx(centre, abs=1e-5)
    assert (given["latitude"], given["longitude"]) == (12.0001, 8.5167)
    assert pd.isna(given["geocode_score"]) and given["geocoded_name"] == ""


@pytest.mark.parametrize("suffix", [".csv", ".geojson"])
def test_exports_say_the_same(prepared: Prepared, outputs: dict[str, Any], suffix: str) -> None:
    path = outputs["dir"] / f"acled{suffix}"
    if suffix == ".csv":
        exported = pd.read_csv(path)
    else:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        exported = pd.DataFrame([f["properties"] for f in features])
    rows, api = by_event(exported), by_event(prepared.incidents)
    assert set(rows) == set(PLACED)
    for event_id, expected in PLACED.items():
        row = rows[event_id]
        assert (row["geocode_method"], row["geo_precision"], row["geo_precision_input"]) == (
            expected.method, expected.precision, expected.precision_input), (suffix, event_id)
        assert row["geocode_note"] == api[event_id]["geocode_note"]
        assert row["input_row"] == api[event_id]["row"]
        if expected.method == "given":
            assert pd.isna(row["geocode_score"])
        else:
            assert row["geocode_score"] == pytest.approx(api[event_id]["geocode_score"])


def test_popups_state_the_method_and_the_precision(prepared: Prepared,
                                                   outputs: dict[str, Any]) -> None:
    html = (outputs["dir"] / "acled.html").read_text(encoding="utf-8")
    payload = payload_of(html)
    events, words = payload["events"], payload["labels"]["geo_precision"]
    ids = decode(events["text"]["event_id_cnty"])
    notes = decode(events["text"]["geocode_note"])
    methods = decode(events["text"]["geocode_method"])
    assert events["n"] == len(PLACED) and sorted(ids) == sorted(PLACED)  # unresolved: not drawn
    api = by_event(prepared.incidents)
    for i, event_id in enumerate(ids):
        expected = PLACED[event_id]
        precision = events["geo_precision"][i]
        assert (methods[i], precision) == (expected.method, expected.precision), event_id
        assert notes[i] == api[event_id]["geocode_note"]
        # the Location row as templates/popup.js joins it (locationText, Labels.place)
        shown = f"{notes[i]}; precision {precision}: {words[str(precision)]}"
        assert shown == popup_location(expected), event_id


def test_columns_dropped_rather_than_empty() -> None:
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame = frame[frame["latitude"] == ""].drop(columns=["latitude", "longitude",
                                                         "geo_precision"])
    placed = by_event(prepare(frame).incidents)
    assert set(placed) == set(PLACED) - {"NGA90010"}
    for event_id, row in placed.items():
        expected = PLACED[event_id]
        assert (row["geocode_method"], row["geo_precision"]) == (expected.method,
                                                                 expected.precision)
        assert pd.isna(row["geo_precision_input"])  # the input gave none


def test_area_note_claims_no_more_than_the_commune() -> None:
    # Kano is in the gazetteer, 830 km from the commune its row names: the re-lookup in
    # the commune finds nothing, and the row goes to the commune's centre. Its note must
    # not say the name is in no gazetteer.
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame.loc[frame["location"] == "Ogbaleko Oja", "location"] = "Kano"
    assert default_gazetteer().lookup("Kano", country="NG").place is not None
    prepared = prepare(frame)
    rows = by_event(prepared.incidents)
    if "NGA90007" not in rows:  # unresolved is as honest
        assert prepared.load.unresolved["location"].tolist().count("Kano") == 1
        return
    row = rows["NGA90007"]
    assert (row["geocode_method"], row["geo_precision"]) == ("area", 3)
    assert row["geocode_note"].endswith("(no place named 'Kano' in or near it)")
    assert "no gazetteer" not in row["geocode_note"]


def test_browser_popups_match(browser_page, outputs: dict[str, Any]) -> None:
    page = browser_page.open(outputs["dir"] / "acled.html")
    shown = page.evaluate(POPUP_LOCATIONS)
    assert shown == {event_id: popup_location(e) for event_id, e in PLACED.items()}
    assert browser_page.problems == []
