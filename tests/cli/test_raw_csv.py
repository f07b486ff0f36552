"""Every CSV a command writes is safe to open in a spreadsheet; ``--raw-csv`` writes it raw.

The rule itself (which cells, which numbers) is tested in tests/test_safe_csv.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

FORMULA = '=HYPERLINK("http://evil","x")'
SAFE = "'" + FORMULA


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Two placed rows (formula notes, a negative longitude) and one unresolvable name."""
    path = tmp_path / "hostile.csv"
    pd.DataFrame({
        "event_date": ["2024-08-25", "2024-08-26", "2024-08-27"],
        "location": ["Gao", "Bamako", "@Nowhere"],
        "latitude": ["16.27", "12.64", ""],
        "longitude": ["-0.04", "-8.0", ""],
        "notes": [FORMULA, "-1+1", "plain"],
        "extra": ["-3.5", "+cmd", "x"],
    }).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("raw", [False, True])
def test_export_csv_and_its_unresolved_companion(run, hostile: Path, tmp_path: Path,
                                                 raw: bool) -> None:
    out = tmp_path / "out.csv"
    result = run("export", str(hostile), "-o", str(out), *(["--raw-csv"] if raw else []))
    assert result.exit_code == 0, result.output
    back = _csv(out)
    assert back["notes"].tolist() == ([FORMULA, "-1+1"] if raw else [SAFE, "'-1+1"])
    assert back["extra"].tolist() == ["-3.5", "+cmd" if raw else "'+cmd"]
    assert back["longitude"].tolist() == ["-0.04", "-8.0"]  # numbers stay numbers
    unresolved = _csv(tmp_path / "out.unresolved.csv")
    assert unresolved["location"].tolist() == ["@Nowhere" if raw else "'@Nowhere"]


def test_map_unresolved_companion_is_safe(run, hostile: Path, tmp_path: Path) -> None:
    result = run("map", str(hostile), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.output
    assert _csv(tmp_path / "m.unresolved.csv")["location"].tolist() == ["'@Nowhere"]
    result = run("map", str(hostile), "-o", str(tmp_path / "r.html"), "--raw-csv")
    assert _csv(tmp_path / "r.unresolved.csv")["location"].tolist() == ["@Nowhere"]


def test_export_gpkg_keeps_formulas_and_counts_nul_bytes(run, tmp_path: Path) -> None:
    source = tmp_path / "nul.json"
    source.write_text(json.dumps([{"event_date": "2024-08-25", "location": "Gao",
                                   "latitude": 16.27, "longitude": -0.04,
                                   "notes": FORMULA + "\u0000\u0000"}]), encoding="utf-8")
    out = tmp_path / "nul.gpkg"
    result = run("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 NUL bytes stripped" in result.stderr
    import geopandas as gpd

    assert gpd.read_file(out)["notes"].tolist() == [FORMULA]


@pytest.mark.parametrize("raw", [False, True])
def test_geocode_input(run, tmp_path: Path, raw: bool) -> None:
    source = tmp_path / "names.csv"
    source.write_text("location,note\nGao,-2+3\n=cmd,-7.25\n", encoding="utf-8")
    out = tmp_path / "g.csv"
    result = run("geocode", "--input", str(source), "-o", str(out), "-q",
                 *(["--raw-csv"] if raw else []))
    assert result.exit_code == 0, result.output
    back = _csv(out)
    assert back["location"].tolist() == ["Gao", "=cmd" if raw else "'=cmd"]
    assert back["note"].tolist() == ["-2+3" if raw else "'-2+3", "-7.25"]
    assert back.loc[0, "geocoded_lon"].startswith("-0.04")


@pytest.mark.parametrize("raw", [False, True])
def test_check_to_stdout_and_to_a_file(run, tmp_path: Path, raw: bool) -> None:
    source = tmp_path / "c.csv"
    source.write_text("event_date,location,latitude,longitude\n"
                      "2024-08-25,=Nowhere(),16.27,-0.04\n", encoding="utf-8")
    flags = ["--unresolved", "-q", *(["--raw-csv"] if raw else [])]
    result = run("check", str(source), *flags)
    assert result.exit_code == 0, result.output
    expected = "=Nowhere()" if raw else "'=Nowhere()"
    assert expected in result.stdout.splitlines()[1].split(",")
    out = tmp_path / "c.check.csv"
    assert run("check", str(source), "-o", str(out), *flags).exit_code == 0
    assert expected in _csv(out).iloc[0].tolist()


@pytest.mark.parametrize("raw", [False, True])
def test_extract(run, tmp_path: Path, raw: bool) -> None:
    article = tmp_path / "a.txt"
    article.write_text(FORMULA + " On August 25, 2024, a drone strike near Gao killed ten "
                       "people.\n", encoding="utf-8")
    flags = ["--date", "2024-08-30", *(["--raw-csv"] if raw else [])]
    result = run("extract", str(article), *flags)
    assert result.exit_code == 0, result.output
    notes = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str)["notes"]
    assert notes.str.startswith(FORMULA if raw else SAFE).all()
    out = tmp_path / "a.csv"
    assert run("extract", str(article), "-o", str(out), *flags).exit_code == 0
    assert _csv(out)["notes"].str.startswith(FORMULA if raw else SAFE).all()
