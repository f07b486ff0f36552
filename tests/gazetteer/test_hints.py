"""Spelling variants, typos and administrative hints on a small gazetteer of our own.

The batch coherence over the same kind of gazetteer is in ``test_coherence.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer
from geomap.place import Hints

# Our own rows (positions are realistic, not copied from any dataset).
ROWS = """name,latitude,longitude,country_code,alternate_names,feature,population
Koro,14.07,-3.08,ML,,P.PPLA2,20000
Douentza,15.00,-2.95,ML,,P.PPLA2,25000
Mopti,14.49,-4.19,ML,,P.PPLA,120000
Daga,14.12,-3.00,ML,,P.PPL,0
Daga,16.50,-0.50,ML,,P.PPL,5000
Gakou,13.00,-10.00,ML,,P.PPL,0
Boulkessi,14.90,-1.50,ML,,P.PPL,0
Tillit,15.30,0.50,ML,,P.PPL,0
Gangafani,14.30,-3.20,ML,,P.PPL,0
Tinzaouaten,19.95,2.97,ML,,P.PPL,0
Sebekoro,13.95,-3.10,ML,,P.PPL,0
Amba,14.60,-3.35,ML,,P.PPL,0
Amba,15.40,-2.55,ML,,P.PPL,0
Boni,15.35,-2.30,ML,,P.PPL,0
Cercle de Koro,14.20,-2.90,ML,Koro,A.ADM2,0
Dalla,14.95,-1.75,ML,,P.PPL,0
Dalla,15.30,-3.60,ML,,P.PPL,0
Garoulé,14.92,-1.60,ML,,P.PPL,0
"""


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("hints")
    csv = folder / "places.csv"
    csv.write_text(ROWS, encoding="utf-8")
    gazetteer = Gazetteer(folder / "index.sqlite", ensure_default=False)
    import_file(csv, gazetteer=gazetteer, progress=False)
    return Gazetteer(folder / "index.sqlite", ensure_default=False)


#: Where other evidence puts a typo's village (as a commune's places would): a tight area.
NEAR_BOULKESSI = (14.95, -1.55, 50.0)
NEAR_SEBEKORO = (14.0, -3.0, 50.0)


@pytest.mark.parametrize(
    ("query", "expected", "method", "near"),
    [
        ("Boulikessi", "Boulkessi", "fuzzy", NEAR_BOULKESSI),  # one letter more
        ("Boulkesi", "Boulkessi", "variant", None),  # a doubled letter
        ("Tin Zawaten", "Tinzaouaten", "variant", None),  # ou/w
        ("Tinzaouatene", "Tinzaouaten", "variant", None),  # final e
        ("N'Tillit", "Tillit", "variant", None),  # nasal prefix
        ("Gangafani 2", "Gangafani", "variant", None),  # trailing code
        ("Sebekorro", "Sebekoro", "variant", None),
        ("Sebkoro", "Sebekoro", "fuzzy", NEAR_SEBEKORO),
    ],
)
def test_spelling_variants_and_typos(gaz: Gazetteer, query: str, expected: str,
                                     method: str, near: tuple | None) -> None:
    match = gaz.lookup(query, country="ML", near=near)
    assert match.place is not None, match.rule
    assert (match.place.name, match.method) == (expected, method)
    assert 0.8 <= match.score < 1.0
    assert match.method in match.rule


def test_a_village_typo_needs_a_tight_area(gaz: Gazetteer) -> None:
    # With the country alone a one-letter edit of a village's name is a guess: it stays
    # unresolved and the village is the suggestion, in its country.
    match = gaz.lookup("Boulikessi", country="ML")
    assert not match.resolved and "did you mean Boulkessi (ML)?" in match.rule
    assert gaz.lookup("Boulikessi", country="ML", near=NEAR_BOULKESSI).resolved


def test_two_unknown_villages_of_one_name_are_ambiguous_with_the_country_alone(
        gaz: Gazetteer) -> None:
    match = gaz.lookup("Dalla", country="ML")
    assert not match.resolved and match.rule.startswith("ambiguous")
    assert {a.population for a in match.alternatives} == {0}


def test_far_typos_stay_unresolved_with_suggestions(gaz: Gazetteer) -> None:
    match = gaz.lookup("Bulkasso", country="ML")
    assert not match.resolved and "no place named 'Bulkasso' in ML" in match.rule


def test_admin2_hint_picks_the_namesake_in_the_area(gaz: Gazetteer) -> None:
    assert gaz.lookup("Daga", country="ML").place.population == 5000  # no hint: the town
    near = gaz.lookup("Daga", Hints(country="ML", admin1="Mopti", admin2="Koro"))
    assert (near.place.lat, near.place.lon) == (14.12, -3.00)
    assert "150 km of admin-2 area 'Koro'" in near.rule
    assert any(a.population == 5000 for a in near.alternatives)


def test_admin_hint_never_makes_the_area_beat_its_town(gaz: Gazetteer) -> None:
    match = gaz.lookup("Koro", Hints(country="ML", admin2="Koro"))
    assert match.place.feature_code == "PPLA2"


def test_candidates_outside_the_region_are_rejected(gaz: Gazetteer) -> None:
    match = gaz.lookup("Gakou", Hints(country="ML", admin1="Mopti", admin2="Koro"))
    assert not match.resolved
    assert "nearest candidate: Gakou" in match.rule
    # Without the hints the only Gakou is accepted.
    assert gaz.lookup("Gakou", country="ML").resolved


def test_two_equal_namesakes_are_reported_as_ambiguous(gaz: Gazetteer) -> None:
    # Both Amba lie about 60 km from Douentza's seat: nothing tells them apart.
    match = gaz.lookup("Amba", Hints(country="ML", admin2="Douentza"))
    assert not match.resolved and match.rule.startswith("ambiguous")
    assert len(match.alternatives) == 2
    # A commune hint breaks the tie.
    boni = Hints(country="ML", admin2="Douentza", admin3="Boni")
    assert gaz.lookup("Amba", boni).place.lon == -2.55


def test_inconsistent_finer_hint_is_ignored(gaz: Gazetteer) -> None:
    # admin3 "Gakou" lies 800 km from admin-2 Koro: a namesake, not the commune.
    match = gaz.lookup("Daga", Hints(country="ML", admin2="Koro", admin3="Gakou"))
    assert (match.place.lat, match.place.lon) == (14.12, -3.00)


def test_hints_reach_batch_geocoding(gaz: Gazetteer, tmp_path: Path) -> None:
    import pandas as pd

    from geomap.gazetteer.batch import geocode_series

    out = geocode_series(pd.Series(["Daga", "Daga"]), country="ML",
                         admin2=pd.Series(["Koro", None]), gazetteer=gaz)
    assert list(out["geocoded_lat"]) == [14.12, 16.5]
