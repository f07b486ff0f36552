"""The filters analysts ask for (--admin1, --area, --actor, --min-fatalities, --bbox,
--within-km-of-border), values the data does not hold, and --on-bad-rows skip."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import options
from geomap.cli.options import filter_options
from geomap.incidents import rejects
from geomap.incidents.filters import BBox
from geomap.pipeline import Filters

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
#: F1 Kidal/Tessalit on the Algeria-Mali border (12 dead, Wagner Group associated), F2
#: Ménaka (JNIM; Farmers associated), F3 Bamako (Students associated), F4 Ouagadougou,
#: Burkina Faso (3 dead), F5 Labasa, Fiji (east of 180°).
EVENTS = str(FIXTURES / "incidents_filters.csv")
BAD_ROWS = (
    "event_id_cnty,event_date,event_type,location,latitude,longitude,fatalities,notes\n"
    "B1,2024-08-25,Battles,Gao,16.27,-0.04,3,fine\n"
    "B2,2024-13-45,Battles,Gao,16.27,-0.04,1,a month 13\n"
    "B3,2024-08-26,Riots,Gao,95,-0.04,many,latitude and count\n"
    "B4,2024-08-27,Riots,Gao,16.27,,0,one coordinate\n"
    "B5,2024-08-28,Riots,Bamako,12.64,-8.0,2,=1+1\n"
)


def _export(run, tmp_path: Path, *flags: str):
    out = tmp_path / "out.csv"
    result = run("export", EVENTS, "-o", str(out), *flags)
    ids = pd.read_csv(out, dtype=str)["event_id_cnty"].tolist() if out.exists() else None
    return result, ids


@pytest.mark.parametrize(("flags", "kept"), [
    (["--admin1", "menaka,KIDAL"], ["F1", "F2"]),
    (["--area", "Kadiogo"], ["F4"]),  # an admin2
    (["--area", "bamako commune iii", "--area", "tessalit"], ["F1", "F3"]),
    (["--actor", "Wagner"], ["F1"]),  # an associated actor
    (["--actor", "farmers", "--actor", "students (mali)"], ["F2", "F3"]),
    (["--min-fatalities", "3"], ["F1", "F4"]),
    (["--bbox", "-12,10,5,25"], ["F1", "F2", "F3", "F4"]),
    (["--bbox=170,-20,-170,-10"], ["F5"]),  # across the antimeridian
    (["--within-km-of-border", "10"], ["F1"]),  # Tinzaouatene, 2 km from Algeria
    (["--within-km-of-border", "150", "--country", "Burkina Faso"], ["F4"]),
    (["--actor", "mali", "--min-fatalities", "1", "--type", "battles"], ["F1"]),
])
def test_each_filter_on_export(run, tmp_path: Path, flags: list[str], kept: list[str]) -> None:
    result, ids = _export(run, tmp_path, *flags)
    assert result.exit_code == 0, result.output
    assert ids == kept
    assert f"5 rows read, {len(kept)} mapped, {5 - len(kept)} filtered out, 0 unresolved" \
        in result.stderr


def test_map_takes_the_same_filters(run, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run("map", EVENTS, "-o", str(out), "--area", "Ménaka", "--within-km-of-border",
                 "100")
    assert result.exit_code == 0, result.output
    assert "5 rows read, 1 mapped, 4 filtered out" in result.stderr and out.exists()


def test_a_type_the_data_does_not_hold_is_one_line_with_did_you_mean(run, tmp_path) -> None:
    result, ids = _export(run, tmp_path, "--type", "Battle")
    assert result.exit_code == 2 and ids is None
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("geomap: error: event type 'Battle' matches no event in "
                                    "the data; did you mean 'Battles'? (event types in the "
                                    "data: Battles, Explosions/Remote violence, Protests,")


@pytest.mark.parametrize(("flags", "words"), [
    (["--country", "Niger"], "country 'NE' matches no event in the data (countries in the "
                             "data: BF, FJ, ML)"),
    (["--admin1", "Tessalit"], "admin1 'Tessalit' matches no event"),
    (["--area", "Tesalit"], "did you mean 'Tessalit'?"),
    (["--actor", "Wagnr"], "did you mean 'Wagner Group'?"),
])
def test_other_values_the_data_does_not_hold(run, tmp_path, flags, words) -> None:
    result, ids = _export(run, tmp_path, *flags)
    assert result.exit_code == 2 and ids is None
    assert words in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(("value", "words"), [
    ("-190,10,5,25", "west -190 is outside [-180, 180]"),
    ("0,-95,5,25", "south -95 is outside [-90, 90]"),
    ("0,25,5,10", "south 25 is not below north 10"),
    ("5,10,5,25", "west and east are both 5"),
    ("0,10,5", "give W,S,E,N"),
])
def test_bbox_is_validated_before_any_work(run, tmp_path, value: str, words: str) -> None:
    result, ids = _export(run, tmp_path, f"--bbox={value}")
    assert result.exit_code == 2 and ids is None
    assert "--bbox" in result.stderr and words in result.stderr


def test_negative_numbers_are_bad_flags(run, tmp_path: Path) -> None:
    for flag in ("--min-fatalities", "--within-km-of-border"):
        result, ids = _export(run, tmp_path, flag, "-1")
        assert result.exit_code == 2 and flag in result.stderr and ids is None


@click.command()
@filter_options
def probe(filters) -> None:
    click.echo(repr(filters))


def test_the_flags_arrive_as_one_filters() -> None:
    result = CliRunner().invoke(probe, [
        "--admin1", "Kidal, Gao", "--area", "Tessalit", "--actor", "JNIM", "--actor",
        "Wagner, Group", "--min-fatalities", "2", "--bbox", "-12,10,5,25",
        "--within-km-of-border", "50"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = Filters(admin1=("Kidal", "Gao"), areas=("Tessalit",),
                       actors=("JNIM", "Wagner, Group"), min_fatalities=2,
                       bbox=BBox(-12, 10, 5, 25), within_km_of_border=50.0)
    assert result.stdout.strip() == repr(expected)


# ------------------------------------------------------------------ --on-bad-rows


@pytest.fixture
def bad_rows(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


def test_the_choices_are_the_library_s() -> None:
    assert options.ON_BAD_ROWS == rejects.ON_BAD_ROWS


@pytest.mark.parametrize(("command", "name"), [("export", "out.csv"), ("map", "out.html")])
def test_skip_writes_the_rejected_rows_and_exits_1(run, bad_rows: Path, tmp_path: Path,
                                                   command: str, name: str) -> None:
    out = tmp_path / name
    result = run(command, str(bad_rows), "-o", str(out), "--on-bad-rows", "skip")
    assert result.exit_code == 1, result.output
    rejected = tmp_path / "out.rejected.csv"
    assert result.stderr == (f"{bad_rows}: 5 rows read, 2 mapped, 0 filtered out, "
                             f"0 unresolved -> {out}; 3 rejected -> {rejected}\n")
    table = pd.read_csv(rejected, dtype=str, keep_default_na=False)
    assert table.columns.tolist()[:4] == ["file", "row", "column", "reason"]
    assert table["file"].unique().tolist() == [str(bad_rows)]
    assert table["row"].tolist() == ["2", "3", "4"]
    assert table["column"].tolist() == ["event_date", "latitude; fatalities", "longitude"]
    assert "'2024-13-45'" in table["reason"][0]
    assert table["reason"][1] == "'95' is outside [-90, 90]; 'many' is not a number"
    assert "give both or neither" in table["reason"][2]
    assert table["event_id_cnty"].tolist() == ["B2", "B3", "B4"]  # the cells as read
    assert table["latitude"].tolist() == ["16.27", "95", "16.27"]


def test_strict_is_the_default_one_line_and_no_file(run, bad_rows: Path, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = run("export", str(bad_rows), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"geomap: error: {bad_rows}: row 2, column 'event_date': "
                             "'2024-13-45' is not a real date (month must be in 1..12)\n")
    assert not out.exists() and not (tmp_path / "out.rejected.csv").exists()


def test_skip_without_bad_rows_is_a_clean_run(run, tmp_path: Path) -> None:
    result, ids = _export(run, tmp_path, "--on-bad-rows", "skip")
    assert result.exit_code == 0 and len(ids) == 5 and "rejected" not in result.stderr
    assert not (tmp_path / "out.rejected.csv").exists()


def test_skip_and_filters_account_for_every_row(run, bad_rows: Path, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = run("export", str(bad_rows), "-o", str(out), "--on-bad-rows", "skip",
                 "--type", "Riots")
    assert result.exit_code == 1
    assert "5 rows read, 1 mapped, 1 filtered out, 0 unresolved" in result.stderr
    assert "; 3 rejected -> " in result.stderr


def test_check_skips_bad_coordinates(run, bad_rows: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = run("check", str(bad_rows), "-o", str(out), "--on-bad-rows", "skip")
    assert result.exit_code == 1, result.output
    rejected = tmp_path / "report.rejected.csv"
    assert result.stderr.strip().endswith(f"; 2 rejected -> {rejected}")
    table = pd.read_csv(rejected, dtype=str, keep_default_na=False)
    assert table["row"].tolist() == ["3", "4"]  # check reads coordinates only
    assert table["column"].tolist() == ["latitude", "longitude"]
    strict = run("check", str(bad_rows), "-o", str(tmp_path / "s.csv"))
    assert strict.exit_code == 2 and "row 3, column 'latitude'" in strict.stderr
