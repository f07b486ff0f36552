"""The CSV injection rule and NUL stripping, on tables of every dtype."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geomap.safe_csv import csv_text, is_number, neutralise_formulas, strip_nul, write_csv


@pytest.mark.parametrize("cell", ["=1+2", "+1 555 0100", "-cmd", "@SUM(A1)", "\tx", "\rx",
                                  "-", "-2+3", "-3.5 ", "+inf", "=-3.5"])
def test_risky_text_is_neutralised(cell: str) -> None:
    assert neutralise_formulas(pd.DataFrame({"a": [cell]}))["a"][0] == "'" + cell


@pytest.mark.parametrize("cell", ["-3.5", "+12", "-1e-3", "-12,5", ".5", "3", "ok", "",
                                  " =1", "a=b", "'=x"])
def test_numbers_and_harmless_text_are_kept(cell: str) -> None:
    assert neutralise_formulas(pd.DataFrame({"a": [cell]}))["a"][0] == cell


def test_only_text_cells_and_names_change_and_the_input_does_not() -> None:
    table = pd.DataFrame({
        "=name": pd.array(["=x", None], dtype="str"),
        "mixed": ["-y", -4],
        "n": [-1.5, np.nan],
        "k": pd.array([-2, None], dtype="Int64"),
        "d": pd.to_datetime(["2024-01-01", None]),
    }, index=[7, 7])
    safe = neutralise_formulas(table)
    assert list(safe.columns) == ["'=name", "mixed", "n", "k", "d"]
    assert safe.iloc[0, 0] == "'=x" and pd.isna(safe.iloc[1, 0])
    assert safe["mixed"].tolist() == ["'-y", -4]
    assert safe["k"].dtype == "Int64" and safe["n"].tolist()[0] == -1.5
    assert table.iloc[0, 0] == "=x" and list(table.columns)[0] == "=name"


def test_is_number() -> None:
    assert is_number("-0.04") and is_number("1E5") and not is_number("1-2")


def test_strip_nul_counts_every_byte() -> None:
    table = pd.DataFrame({"a": pd.array(["\x00a\x00", None], dtype="str"), "b": ["x\x00", 3]})
    clean, count = strip_nul(table)
    assert count == 3
    assert clean["a"][0] == "a" and pd.isna(clean["a"][1]) and clean["b"].tolist() == ["x", 3]
    same, none = strip_nul(clean)
    assert same is clean and none == 0


def test_a_carriage_return_never_splits_a_row(tmp_path: Path) -> None:
    table = pd.DataFrame({"a": ["\rx", "y"], "b": ["1", "2"]})
    for raw in (False, True):
        text = csv_text(table, raw=raw)
        assert pd.read_csv(io.StringIO(text), dtype=str)["b"].tolist() == ["1", "2"]
        out = write_csv(table, tmp_path / "t.csv", raw=raw)
        assert pd.read_csv(out, dtype=str)["a"].tolist() == ["\rx" if raw else "'\rx", "y"]


def test_plain_tables_keep_unix_line_ends() -> None:
    assert csv_text(pd.DataFrame({"a": ["x"]})) == "a\nx\n"


def test_every_csv_writer_strips_nul_bytes_and_says_how_many(tmp_path, caplog):
    out = tmp_path / "companion.csv"
    with caplog.at_level("WARNING", logger="geomap.safe_csv"):
        write_csv(pd.DataFrame({"reason": ["bad\x00row\x00", "ok"]}), out)
    assert "\x00" not in out.read_text(encoding="utf-8")
    assert "2 NUL byte(s) stripped" in caplog.text
