"""Coordinate QA: rows whose coordinates disagree with their place name."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.errors import InputFileError, RowError
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.incidents.qa import (
    ISSUE_COUNTRY,
    ISSUE_FAR,
    ISSUE_UNRESOLVED,
    REPORT_COLUMNS,
    check_coordinates,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INCIDENTS = FIXTURES / "incidents_qa.csv"
MINI = FIXTURES / "geonames_mini.txt"
HEADER = "event_id_cnty,event_date,location,country,latitude,longitude\n"


def issues_of(report, row: int) -> list[str]:
    return report.issues.loc[report.issues["row"] == row, "issue"].tolist()


def test_border_town_is_flagged_never_recoded() -> None:
    report = check_coordinates(INCIDENTS)
    row = report.issues[report.issues["row"] == 1].iloc[0]
    assert row["issue"] == ISSUE_COUNTRY
    assert (row["polygon_country"], row["gazetteer_country"]) == ("DZ", "ML")
    assert row["resolved_name"] == "Ti-n-Zaouâtene" and row["distance_km"] == 0.0
    # the gazetteer still says Mali
    assert default_gazetteer().lookup("Tinzaouaten").place.country_code == "ML"


def test_far_rows_and_what_is_not_flagged() -> None:
    report = check_coordinates(INCIDENTS)
    gao = report.issues[report.issues["row"] == 3].iloc[0]
    assert gao["issue"] == ISSUE_FAR and gao["resolved_name"] == "Gao"
    assert 930 < gao["distance_km"] < 960  # Gao is ~946 km from Bamako's point
    assert issues_of(report, 4) == []  # Bamako, 1.5 km off
    assert issues_of(report, 2) == []  # ACLED monadic repeat of row 1: checked once
    assert issues_of(report, 7) == []  # "Mali" names a country: its point is a centroid
    assert issues_of(report, 6) == []  # no coordinates: nothing to check
    assert (report.rows_read, report.rows_checked, report.unresolved) == (7, 4, 1)
    assert report.merged == 1 and report.conflicts == 0
    assert report.summary().endswith(
        "checked 4 of 7 rows: 1 more than 50 km from where their name resolves, 1 in "
        "another country's polygon than the gazetteer's; 1 with an unresolved name "
        "(not checked); 1 merged into their event (one row per actor)"
    )


def test_threshold_and_unresolved_listing() -> None:
    report = check_coordinates(INCIDENTS, threshold_km=1000, include_unresolved=True)
    assert report.count(ISSUE_FAR) == 0
    assert issues_of(report, 5) == [ISSUE_UNRESOLVED]
    assert list(report.issues.columns) == list(REPORT_COLUMNS)


def test_imported_gazetteer_and_distance(tmp_path: Path) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite", ensure_default=False)
    import_file(MINI, gazetteer=gaz, progress=False)
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER + "E1,2021-01-01,Tin Amassine,ML,19.72,1.93\n"   # ~1.5 km: fine
        "E2,2021-01-02,Tin Amassine,ML,18.6,1.92\n"              # ~123 km south
        "E3,2021-01-03,In Tahaka Est,ML,21.6,2.2\n",             # not in Mali per gazetteer
        encoding="utf-8",
    )
    report = check_coordinates(path, gazetteer=gaz)
    assert issues_of(report, 1) == []
    far = report.issues[report.issues["row"] == 2].iloc[0]
    assert far["issue"] == ISSUE_FAR and 120 < far["distance_km"] < 126
    assert (far["resolved_lat"], far["resolved_lon"]) == (19.71, 1.92)
    assert report.unresolved == 1  # the country hint excludes the Algerian place


def test_bad_inputs(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "E1,2021-01-01,Gao,ML,16.2,west\n", encoding="utf-8")
    with pytest.raises(RowError, match=r"row 1, column 'longitude': 'west' is not a number"):
        check_coordinates(path)
    path.write_text(HEADER + "E1,2021-01-01,Gao,ML,16.2,\n", encoding="utf-8")
    with pytest.raises(RowError, match="row 1, column 'longitude': empty while"):
        check_coordinates(path)
    path.write_text("location,country\nGao,ML\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="needs the column.*latitude, longitude"):
        check_coordinates(path)


def test_cli_check_writes_report(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["check", str(INCIDENTS), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "checked 4 of 7 rows" in result.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(REPORT_COLUMNS)
    assert [(r["row"], r["issue"]) for r in rows] == [("1", ISSUE_COUNTRY), ("3", ISSUE_FAR)]
    assert rows[0]["polygon_country"] == "DZ" and rows[0]["gazetteer_country"] == "ML"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]  # no temp file left


def test_cli_check_to_stdout_and_bad_threshold() -> None:
    result = CliRunner().invoke(cli, ["check", str(INCIDENTS), "--threshold-km", "2000",
                                      "--unresolved"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(REPORT_COLUMNS)
    assert [line.split(",")[5] for line in lines[1:]] == [ISSUE_COUNTRY, ISSUE_UNRESOLVED]
    bad = CliRunner().invoke(cli, ["check", str(INCIDENTS), "--threshold-km", "-5"])
    assert bad.exit_code == 2 and "--threshold-km" in bad.stderr


def test_a_table_is_checked_like_its_file() -> None:
    from_file = check_coordinates(INCIDENTS)
    from_table = check_coordinates(pd.read_csv(INCIDENTS), name="events")
    pd.testing.assert_frame_equal(from_table.issues, from_file.issues)
    assert from_table.summary().startswith("events: checked 4 of 7 rows")


def test_qa_reads_numbers_and_monadic_rows_as_the_loader_does(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('event_id_cnty,event_date,location,country,latitude,longitude\n'
                    'E1,2021-01-01,Bamako,ML,"12,66","-7,99"\n'
                    'E1,2021-01-01,Bamako,ML,"12,66","-7,99"\n', encoding="utf-8")
    report = check_coordinates(path)
    assert (report.rows_read, report.rows_checked) == (2, 1)
    path.write_text(HEADER + 'E1,2021-01-01,Gao,ML,"1.234,5",0\n', encoding="utf-8")
    with pytest.raises(RowError, match="'1.234,5' is not a number"):
        check_coordinates(path)


def test_rows_sharing_an_id_at_other_places_are_each_checked(tmp_path: Path) -> None:
    # a monadic pair at Bamako, and the same id at Gao with Gao's point: three events'
    # worth of rows, two events checked; the Gao row is not taken for a repeat
    path = tmp_path / "ids.csv"
    path.write_text(HEADER.replace("\n", ",fatalities\n")
                    + "E1,2021-01-01,Bamako,ML,12.66,-7.99,3\n"
                    + "E1,2021-01-01,Bamako,ML,12.66,-7.99,3\n"
                    + "E1,2021-01-01,Gao,ML,12.65,-8.0,40\n", encoding="utf-8")
    report = check_coordinates(path)
    assert (report.rows_read, report.rows_checked) == (3, 2)
    assert (report.merged, report.conflicts) == (1, 2)
    assert issues_of(report, 3) == [ISSUE_FAR]  # Bamako's point under Gao's name
    assert report.summary().endswith(
        "; 1 merged into their event (one row per actor); 2 rows share an event id with "
        "different date, place or fatalities: kept apart")
