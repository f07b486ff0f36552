"""The hint to import GeoNames: one rule, over a batch's distinct names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geomap.gazetteer.advice import (
    ANY_COUNTRY,
    UNRESOLVED_SHARE,
    default_only,
    import_hint,
    needs_import,
)
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer

USER_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "user_gazetteer.csv"


def batch(resolved: int, unresolved: int, country: str = "Mali") -> tuple[list, list, list]:
    """Rows of ``resolved`` placed and ``unresolved`` unplaced distinct names, each twice."""
    names = [f"placed {i}" for i in range(resolved)] + [f"lost {i}" for i in range(unresolved)]
    flags = [True] * resolved + [False] * unresolved
    return names * 2, [country] * len(names) * 2, flags * 2


def test_the_threshold_is_a_fifth_of_the_distinct_names() -> None:
    assert UNRESOLVED_SHARE == 0.2
    assert not needs_import(2, 10) and needs_import(3, 10)
    assert not needs_import(0, 0)


def test_above_the_threshold_the_hint_names_the_country_and_the_command() -> None:
    hint = import_hint(default_gazetteer(), *batch(3, 2))
    assert (hint.unresolved, hint.names, hint.countries) == (2, 5, ("ML",))
    assert str(hint) == ("2 of 5 names unresolved with the embedded gazetteer only; import "
                         "GeoNames' villages: geomap gazetteer download ML")


def test_at_or_below_the_threshold_no_hint() -> None:
    assert import_hint(default_gazetteer(), *batch(8, 2)) is None
    assert import_hint(default_gazetteer(), *batch(10, 0)) is None
    assert import_hint(default_gazetteer(), [], [], []) is None


def test_no_hint_once_the_index_holds_an_import(tmp_path: Path) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite", ensure_default=False)
    assert default_only(gaz)
    import_file(USER_CSV, gazetteer=gaz, progress=False)
    assert not default_only(gaz)
    assert import_hint(gaz, *batch(0, 5)) is None


def test_the_countries_are_the_unresolved_rows_most_common() -> None:
    names = ["a", "b", "c", "d", "e", "f", "g", "Gao"]
    countries = ["Niger", "NE", "ner", "bf", "Burkina Faso", "Mali", "Atlantis", "ML"]
    hint = import_hint(default_gazetteer(), names, countries, [False] * 7 + [True])
    assert hint.countries == ("NE", "BF", "ML")  # 3, 2, 1 rows; the unknown one is left out


def test_without_country_hints_on_the_unresolved_rows() -> None:
    gaz = default_gazetteer()
    names, flags = ["a", "b", "Gao"], [False, False, True]
    assert import_hint(gaz, names, ["", None, "ML"], flags).countries == ("ML",)
    hint = import_hint(gaz, names, ["", None, ""], flags)
    assert hint.countries == () and str(hint).endswith(f"download {ANY_COUNTRY}")


def test_empty_names_are_not_names() -> None:
    hint = import_hint(default_gazetteer(), ["", " ", "x", "Gao"], ["ML"] * 4,
                       [False, False, False, True])
    assert (hint.unresolved, hint.names) == (1, 2)


@pytest.mark.parametrize("country_column", ["cc", None])
def test_a_geocoded_file(tmp_path: Path, country_column: str | None) -> None:
    path = tmp_path / "out.csv"
    pd.DataFrame({"place": ["Gao", "Xq", "Yq"], "cc": ["BF", "NE", "NE"],
                  "geocoded_name": ["Gao", "", ""]}).to_csv(path, index=False)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)  # as geocode_file wrote it
    hints = table[country_column] if country_column else ["Mali"] * len(table)
    hint = import_hint(default_gazetteer(), table["place"], hints,
                       table["geocoded_name"] != "")
    assert (hint.unresolved, hint.names) == (2, 3)
    assert hint.countries == (("NE",) if country_column else ("ML",))
