"""Region-wide hints (country, admin-1): what they may decide and what they may not.

A table that gives only the country and the first-level region is the common case
outside ACLED. Inside a region 300 km wide, a one-edit typo of a village, a wadi known by
one of its alternate names, or a village among namesakes are all guesses, unless
something says which: these tests pin the rules that keep such guesses honest.
The dump rows are made up (names and positions), in GeoNames' 19-column layout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Hints

#: (id, name, alternate names, lat, lon, class, code, admin1 code)
ROWS = [
    ("9910001", "Sirou Region", "Sirou,Region de Sirou", 14.50, -4.00, "A", "ADM1", "31"),
    ("9910002", "Sirou", "", 14.50, -4.00, "P", "PPLA", "31"),
    ("9910003", "Kabarou Region", "Kabarou", 15.40, -3.00, "A", "ADM1", "32"),
    ("9910004", "Kabarou", "", 15.40, -3.00, "P", "PPLA", "32"),
    # a wadi known under an alternate name that villages also bear
    ("9910005", "Ti-n-Zergala", "Zergalane", 14.90, -3.60, "H", "STMI", "31"),
    # namesake villages 150 km apart, one in each region, both within Sirou's radius
    ("9910006", "Dounkoumbe", "", 14.20, -4.30, "P", "PPL", "31"),
    ("9910007", "Dounkoumbe", "", 15.20, -3.40, "P", "PPL", "32"),
    # namesake villages 150 km apart in the same region: a coin toss
    ("9910008", "Sebenikoro", "", 14.10, -4.40, "P", "PPL", "31"),
    ("9910009", "Sebenikoro", "", 14.90, -3.40, "P", "PPL", "31"),
    # a village whose name a table may write with one letter off
    ("9910010", "Bandiakorou", "", 14.30, -3.80, "P", "PPL", "31"),
]


def dump_line(gid: str, name: str, alternates: str, lat: float, lon: float, fclass: str,
              code: str, admin1: str) -> str:
    return "\t".join([gid, name, name, alternates, str(lat), str(lon), fclass, code, "ML", "",
                      admin1, "", "", "", "0", "", "300", "Africa/Bamako", "2024-01-01"])


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """A private copy of the default index with the rows above imported."""
    folder: Path = tmp_path_factory.mktemp("wide")
    path = folder / "index.sqlite"
    default_gazetteer().index.copy_to(path)
    copied = Gazetteer(path, ensure_default=False)
    dump = folder / "ML.txt"
    dump.write_text("\n".join(dump_line(*row) for row in ROWS) + "\n", encoding="utf-8")
    import_file(dump, gazetteer=copied, progress=False)
    return Gazetteer(path, ensure_default=False)


def test_a_feature_known_by_an_alternate_name_needs_a_tight_area(gaz: Gazetteer) -> None:
    for hints in (Hints("ML"), Hints("ML", "Sirou")):
        match = gaz.lookup("Zergalane", hints)
        assert not match.resolved, (hints, match.rule)
        assert "Ti-n-Zergala" in [p.name for p in match.alternatives]  # still suggested
    near = gaz.lookup("Zergalane", Hints("ML"), near=(14.9, -3.6, 50.0))
    assert near.place is not None and near.place.name == "Ti-n-Zergala"
    assert gaz.lookup("Ti-n-Zergala", Hints("ML")).resolved  # its own name is enough


def test_the_region_code_breaks_a_tie_between_namesakes(gaz: Gazetteer) -> None:
    match = gaz.lookup("Dounkoumbe", Hints("ML", "Sirou"))
    assert match.place is not None and (match.place.lat, match.place.lon) == (14.2, -4.3)
    assert "admin-1 code" in match.rule
    assert not gaz.lookup("Dounkoumbe", Hints("ML")).resolved  # no region: a coin toss


def test_namesakes_inside_one_region_stay_ambiguous(gaz: Gazetteer) -> None:
    match = gaz.lookup("Sebenikoro", Hints("ML", "Sirou"))
    assert not match.resolved and match.rule.startswith("ambiguous"), match.rule


def test_a_plain_typo_inside_a_region_is_placed_at_precision_2(gaz: Gazetteer) -> None:
    match = gaz.lookup("Bandiakoro", Hints("ML", "Sirou"))
    assert match.place is not None and match.place.name == "Bandiakorou"
    assert (match.method, match.precision) == ("fuzzy", 2)
    assert not gaz.lookup("Bandiakoro", Hints("ML")).resolved  # no area: too weak
    assert not gaz.lookup("Mandiakorou", Hints("ML", "Sirou")).resolved  # another start


def test_a_spelling_of_the_hinted_country_is_not_the_country(gaz: Gazetteer) -> None:
    match = gaz.lookup("Mallii", Hints("ML"))
    assert match.place is None or not match.place.feature_code.startswith("PCL"), match.rule
