"""``geomap map``, ``export`` and ``demo``, through click's runner."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd


def test_export_filters_by_dates(run, example, tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    result = run("export", example, "-o", str(out), "--from", "2025-01-01", "--to", "2025-01-31")
    assert result.exit_code == 0, result.output
    back = gpd.read_file(out)
    assert sorted(back["event_id_cnty"]) == ["GM-0009", "GM-0010", "GM-0011"]
    assert "11 rows read, 3 mapped, 8 filtered out, 0 unresolved" in result.stderr


def test_map_writes_html_and_summary(run, example, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run("map", example, "-o", str(out), "--country", "ML", "--type",
                 "Strategic developments", "--title", "Mali <b>only</b>")
    assert result.exit_code == 0, result.output
    assert out.exists() and "5 mapped" in result.stderr
    assert "Mali <b>only</b>" not in out.read_text(encoding="utf-8")


def test_country_names_are_resolved(run, example, tmp_path: Path) -> None:
    by_name = run("export", example, "-o", str(tmp_path / "a.csv"), "--country", "Mali,Algeria")
    by_code = run("export", example, "-o", str(tmp_path / "b.csv"), "--country", "ML",
                  "--country", "dz")
    assert by_name.exit_code == by_code.exit_code == 0, by_name.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_unknown_country_is_a_bad_flag(run, example, tmp_path: Path) -> None:
    result = run("map", example, "-o", str(tmp_path / "m.html"), "--country", "Atlantis")
    assert result.exit_code == 2
    assert "Invalid value for --country: unknown country 'Atlantis'; give ISO codes (ML, DZ) " \
        "or names" in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_from_after_to_is_a_bad_flag(run, example, tmp_path: Path) -> None:
    result = run("export", example, "-o", str(tmp_path / "x.csv"), "--from", "2025-02-01",
                 "--to", "2025-01-01")
    assert result.exit_code == 2
    assert "Invalid value for --from: --from 2025-02-01 is after --to 2025-01-01" in result.stderr


def test_missing_file_is_one_line_error(run, tmp_path: Path) -> None:
    result = run("map", "missing.csv", "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("geomap: error: ")
    assert "missing.csv" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_bad_date_names_file_and_row(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("event_date,location\n2024-01-01,Gao\n31/02/2024,Gao\n", encoding="utf-8")
    out = tmp_path / "bad.html"
    result = run("map", str(bad), "-o", str(out))
    assert result.exit_code != 0
    line = result.stderr.strip()
    assert "\n" not in line and "bad.csv" in line and "row 2" in line and "event_date" in line
    assert not out.exists()


def test_bad_flag_values(run, example) -> None:
    result = run("export", example, "-o", "x.geojson", "--from", "01-01-2025")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = run("export", example, "-o", "x.shp")
    assert result.exit_code == 2 and ".geojson" in result.stderr
    assert "Invalid value for --output: unknown format '.shp'" in result.stderr
    result = run("export", example)
    assert result.exit_code == 2 and "--output" in result.stderr


def test_unresolved_rows_written_next_to_output(run, tmp_path: Path) -> None:
    src = tmp_path / "u.csv"
    src.write_text("event_date,location\n2024-01-01,Gao\n2024-01-02,Qwxzvbn\n", encoding="utf-8")
    out = tmp_path / "u.geojson"
    result = run("export", str(src), "-o", str(out))
    assert result.exit_code == 0
    report = tmp_path / "u.unresolved.csv"
    assert report.exists() and "Qwxzvbn" in report.read_text(encoding="utf-8")
    assert "1 unresolved" in result.stderr


def test_demo_writes_the_example_map(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "algeria_mali.html").exists()
