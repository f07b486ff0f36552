"""Progress bars (only on a terminal, never with --quiet) and the hint to import GeoNames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import geomap.gazetteer.progress as progress
from geomap.gazetteer.lookup import default_gazetteer

PLACED = ["Gao", "Kidal", "Bamako", "Mopti", "Sikasso", "Kayes", "Tombouctou", "Menaka"]
LOST = ["Qwxzvbn", "Zzkrptl", "Xqvwwk"]
HINT = "hint: 2 of 5 names unresolved with the embedded gazetteer only; import GeoNames' " \
    "villages: geomap gazetteer download ML"


def names_csv(tmp_path: Path, placed: int, lost: int) -> Path:
    """A column of names (each twice) with their country, as ``geocode --input`` reads."""
    names = PLACED[:placed] + LOST[:lost]
    path = tmp_path / "names.csv"
    pd.DataFrame({"location": names * 2, "country": ["Mali"] * len(names) * 2}).to_csv(
        path, index=False)
    return path


def incidents_csv(tmp_path: Path, placed: int, lost: int) -> Path:
    """Incidents without coordinates, to be placed by name."""
    names = PLACED[:placed] + LOST[:lost]
    path = tmp_path / "events.csv"
    pd.DataFrame({"event_date": ["2024-08-25"] * len(names), "location": names,
                  "country": ["Mali"] * len(names)}).to_csv(path, index=False)
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr counts as a terminal and bars are drawn at once (the runner's stderr stays)."""
    default_gazetteer()  # the session's index is built before
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    monkeypatch.setattr(progress, "BAR_DELAY_S", 0)


# -- progress bars -----------------------------------------------------------------------
def test_no_bar_when_stderr_is_not_a_terminal(run, tmp_path: Path) -> None:
    result = run("geocode", "--input", str(names_csv(tmp_path, 3, 0)), "-o",
                 str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert "geocoding" not in result.stderr and "\r" not in result.stderr
    assert result.stderr.startswith(f"{tmp_path / 'names.csv'}: 6 rows, 6 geocoded")


@pytest.mark.parametrize("command", ["geocode", "export"])
def test_a_bar_on_a_terminal(run, tmp_path: Path, terminal, command: str) -> None:
    if command == "geocode":
        args = ["--input", str(names_csv(tmp_path, 3, 0))]
    else:
        args = [str(incidents_csv(tmp_path, 3, 0))]
    result = run(command, *args, "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert "geocoding:" in result.stderr and "0/3 " in result.stderr  # the 3 distinct names


@pytest.mark.parametrize("command", ["geocode", "export", "map", "check"])
def test_quiet_shows_no_bar_and_no_summary(run, tmp_path: Path, terminal, command: str) -> None:
    if command == "geocode":
        args = ["--input", str(names_csv(tmp_path, 3, 2)), "-o", str(tmp_path / "o.csv")]
    else:
        args = [str(incidents_csv(tmp_path, 3, 2))]
        args += ["-o", str(tmp_path / ("o.html" if command == "map" else "o.csv"))]
    if command == "check":
        frame = pd.read_csv(args[0]).assign(latitude=16.27, longitude=-0.04)
        frame.to_csv(args[0], index=False)
    result = run(command, *args, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["geocode", "map", "export", "check",
                                     ("gazetteer", "import")])
def test_help_documents_quiet(run, command) -> None:
    result = run(*([command] if isinstance(command, str) else command), "--help")
    assert "-q, --quiet" in result.stdout
    assert "errors and warnings are still printed" in " ".join(result.stdout.split())


# -- the hint ----------------------------------------------------------------------------
def test_geocode_input_hints_above_a_fifth_unresolved(run, tmp_path: Path) -> None:
    result = run("geocode", "--input", str(names_csv(tmp_path, 3, 2)), "--country-column",
                 "country", "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    summary, hint = result.stderr.splitlines()
    assert "10 rows, 6 geocoded, 4 unresolved" in summary
    assert hint == HINT
    alone = run("geocode", "--input", str(names_csv(tmp_path, 3, 2)), "-o",
                str(tmp_path / "o.csv"))  # no country known: the command, with a placeholder
    assert alone.stderr.splitlines()[1].endswith("download CC (the ISO codes of the data's "
                                                 "countries)")


def test_no_hint_at_a_fifth_or_below(run, tmp_path: Path) -> None:
    result = run("geocode", "--input", str(names_csv(tmp_path, 8, 2)), "-o",
                 str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert "4 unresolved" in result.stderr and "hint:" not in result.stderr


@pytest.mark.parametrize("command", ["export", "check"])
def test_export_and_check_hint(run, tmp_path: Path, command: str) -> None:
    path = incidents_csv(tmp_path, 3, 2)
    if command == "check":
        frame = pd.read_csv(path).assign(latitude=16.27, longitude=-0.04)
        frame.to_csv(path, index=False)
    result = run(command, str(path), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == HINT


def test_no_hint_when_an_import_exists(run, private_home: Path, tmp_path: Path) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text("name,lat,lon,country_code\nInabag,19.9,3.05,ML\n", encoding="utf-8")
    assert run("gazetteer", "import", str(csv)).exit_code == 0
    result = run("export", str(incidents_csv(tmp_path, 3, 2)), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert "2 unresolved" in result.stderr and "hint:" not in result.stderr
