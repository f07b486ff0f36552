"""Spelling variants, typos and administrative hints on a small gazetteer of our own."""

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
Daga,16.50,-0.50,ML,,P.PPL,900
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


@pytest.mark.parametrize(
    ("query", "expected", "method"),
    [
        ("Boulikessi", "Boulkessi", "fuzzy"),  # one letter more
        ("Boulkesi", "Boulkessi", "variant"),  # a doubled letter
        ("Tin Zawaten", "Tinzaouaten", "variant"),  # ou/w
        ("Tinzaouatene", "Tinzaouaten", "variant"),  # final e
        ("N'Tillit", "Tillit", "variant"),  # nasal prefix
        ("Gangafani 2", "Gangafani", "variant"),  # trailing code
        ("Sebekorro", "Sebekoro", "variant"),
        ("Sebkoro", "Sebekoro", "fuzzy"),
    ],
)
def test_spelling_variants_and_typos(gaz: Gazetteer, query: str, expected: str,
                                     method: str) -> None:
    match = gaz.lookup(query, country="ML")
    assert match.place is not None, match.rule
    assert (match.place.name, match.method) == (expected, method)
    assert 0.8 <= match.score < 1.0
    assert match.method in match.rule


def test_far_typos_stay_unresolved_with_suggestions(gaz: Gazetteer) -> None:
    match = gaz.lookup("Bulkasso", country="ML")
    assert not match.resolved and "no place named 'Bulkasso' in ML" in match.rule


def test_admin2_hint_picks_the_namesake_in_the_area(gaz: Gazetteer) -> None:
    assert gaz.lookup("Daga", country="ML").place.population == 900  # no hint: importance
    near = gaz.lookup("Daga", Hints(country="ML", admin1="Mopti", admin2="Koro"))
    assert (near.place.lat, near.place.lon) == (14.12, -3.00)
    assert "150 km of admin-2 area 'Koro'" in near.rule
    assert any(a.population == 900 for a in near.alternatives)


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


def test_a_communes_certain_places_place_its_doubtful_ones(gaz: Gazetteer) -> None:
    # Alone, "Dalla" in Douentza's cercle goes to the namesake closer to Douentza.
    alone = gaz.lookup("Dalla", Hints(country="ML", admin2="Douentza", admin3="Commune Z"))
    assert alone.place.lon == -3.60
    # In a batch, Boulkessi (certain: one place of that name) says where commune Z lies.
    matches = _coherent(gaz, ["Boulkessi", "Dalla"], Hints("ML", admin2="Douentza",
                                                          admin3="Commune Z"))
    assert matches[1].place.lon == -1.75
    assert "the places around it in the data" in matches[1].rule
    # Other communes are not affected.
    other = _coherent(gaz, ["Boulkessi", "Dalla"],
                      Hints("ML", admin2="Douentza", admin3="Commune Z"),
                      Hints("ML", admin2="Douentza", admin3="Commune Y"))
    assert other[1].place.lon == -3.60


def test_a_commune_allows_a_looser_spelling_close_to_its_places(gaz: Gazetteer) -> None:
    assert not gaz.lookup("Garou-Leye", Hints(country="ML", admin2="Douentza")).resolved
    matches = _coherent(gaz, ["Boulkessi", "Garou-Leye"],
                        Hints("ML", admin2="Douentza", admin3="Commune Z"))
    assert matches[1].place.name == "Garoulé"
    assert matches[1].rule.startswith("closest spelling")
    assert matches[1].method == "fuzzy" and 0.85 <= matches[1].score < 1


def _coherent(gaz: Gazetteer, names: list[str], *hints: Hints, **kw) -> list:
    """Resolve names together (coherence on); one Hints for all, or one per name."""
    from geomap.gazetteer.batch import resolve_keys

    keys = list(zip(names, hints * len(names) if len(hints) == 1 else hints, strict=True))
    found = resolve_keys(gaz, list(dict.fromkeys(keys)), **kw)
    return [found[k] for k in keys]


# A densely settled commune (12 villages within 10 km; invented names) and a sparse one.
DENSE = "\n".join(
    f"Dense{chr(97 + i)}ville,{14.50 + 0.02 * (i % 4):.2f},{-3.50 + 0.03 * (i // 4):.2f},"
    f"ML,,P.PPL,0" for i in range(12)
)
SPARSE = "Lonewell,19.00,1.00,ML,,P.PPL,0\nFarcamp,19.30,1.40,ML,,P.PPL,0\n"


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("communes")
    csv = folder / "places.csv"
    csv.write_text(ROWS.splitlines()[0] + "\n" + DENSE + "\n" + SPARSE, encoding="utf-8")
    gazetteer = Gazetteer(folder / "index.sqlite", ensure_default=False)
    import_file(csv, gazetteer=gazetteer, progress=False)
    return Gazetteer(folder / "index.sqlite", ensure_default=False)


def _batch(gaz: Gazetteer, names: list[str], commune: str, **kw) -> list:
    hints = Hints("ML", "Mopti", "Bandiagara", commune)
    return _coherent(gaz, names, hints, **kw)


def test_a_name_in_no_gazetteer_takes_its_small_communes_centre(communes: Gazetteer) -> None:
    matches = _batch(communes, ["Denseaville", "Densejville", "Qwxyzkro"], "Commune D")
    area = matches[2]
    assert area.resolved and area.method == "area" and area.precision == 3
    assert area.place.name == "admin-3 area Commune D" and area.place.feature_code == "ADM3"
    # The centre of the two located places, not a gazetteer town.
    assert area.place.lat == pytest.approx((14.50 + 14.52) / 2)
    assert area.place.lon == pytest.approx((-3.50 + -3.44) / 2)
    assert "no place named 'Qwxyzkro'" in area.rule and "12 settlements" in area.rule
    # Opting out leaves it unresolved, with the reason.
    strict = _batch(communes, ["Denseaville", "Densejville", "Qwxyzkro"], "Commune D",
                    area_fallback=False)
    assert not strict[2].resolved and "no place named 'Qwxyzkro'" in strict[2].rule


def test_a_sparse_commune_leaves_the_name_unresolved(communes: Gazetteer) -> None:
    matches = _batch(communes, ["Lonewell", "Qwxyzkro"], "Commune S")
    assert matches[0].resolved and not matches[1].resolved
    # And a name alone (no located place in its commune) is never guessed.
    alone = _batch(communes, ["Qwxyzkro"], "Commune D")
    assert not alone[0].resolved


def test_batch_geocoding_reports_area_placements(communes: Gazetteer) -> None:
    import pandas as pd

    from geomap.gazetteer.batch import geocode_series

    names = pd.Series(["Denseaville", "Densejville", "Qwxyzkro"])
    commune = pd.Series(["Commune D"] * 3)
    out = geocode_series(names, country="ML", admin3=commune, gazetteer=communes)
    assert list(out["geocoded_method"]) == ["exact", "exact", "area"]
    assert list(out["geocoded_precision"]) == [1, 1, 3]
    off = geocode_series(names, country="ML", admin3=commune, gazetteer=communes,
                         area_fallback=False)
    assert off["geocoded_method"][2].startswith("unresolved: no place named")
