"""``geomap map --size fatalities --color-by COLUMN`` through click's runner (#13, part 5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from support import payload_of


def test_size_and_color_by_reach_the_page(run, example, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run("map", example, "-o", str(out), "--size", "fatalities", "--color-by", "country")
    assert result.exit_code == 0, result.output
    payload = payload_of(out.read_text(encoding="utf-8"))
    assert payload["style"]["size_by"] == "fatalities"
    assert payload["legend"]["title"] == "Events by country"
    countries = pd.read_csv(example)["country"].value_counts()
    labels = {g["label"]: g["count"] for g in payload["groups"] if g["count"]}
    assert labels == countries.to_dict()


def test_unknown_color_column_and_size_are_errors(run, example, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    bad_size = run("map", example, "-o", str(out), "--size", "injuries")
    assert bad_size.exit_code == 2 and "--size" in bad_size.stderr
    bad_column = run("map", example, "-o", str(out), "--color-by", "no_such_column")
    assert bad_column.exit_code != 0
    assert "no_such_column" in bad_column.stderr
