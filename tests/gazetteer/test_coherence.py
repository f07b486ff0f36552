"""Batch coherence on a small gazetteer of our own: a commune's certain places locate its
doubtful ones (re-resolution, closest spelling) and place a name no gazetteer holds at a
small commune's centre (the area fallback)."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from geomap.gazetteer import coherence
from geomap.gazetteer.batch import geocode_series, resolve_keys
from geomap.gazetteer.coherence import (
    AREA_MIN_SETTLEMENTS,
    AREA_SCORE,
    COMMUNE_RADIUS_KM,
    area_match,
    closest_spelling_near,
    coherent_pass,
    commune_places,
    confident,
)
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer
from geomap.place import Hints, Match, Place

HEADER = "name,latitude,longitude,country_code,alternate_names,feature,population"
# Our own rows (positions are realistic, not copied from any dataset).
SAHEL = """Douentza,15.00,-2.95,ML,,P.PPLA2,25000
Boulkessi,14.90,-1.50,ML,,P.PPL,0
Dalla,14.95,-1.75,ML,,P.PPL,0
Dalla,15.30,-3.60,ML,,P.PPL,0
Garoulé,14.92,-1.60,ML,,P.PPL,0"""
# A densely settled commune (12 villages within 10 km; invented names) and a sparse one.
DENSE = "\n".join(
    f"Dense{chr(97 + i)}ville,{14.50 + 0.02 * (i % 4):.2f},{-3.50 + 0.03 * (i // 4):.2f},"
    f"ML,,P.PPL,0" for i in range(12)
)
SPARSE = "Lonewell,19.00,1.00,ML,,P.PPL,0\nFarcamp,19.30,1.40,ML,,P.PPL,0"

COMMUNE_Z = Hints("ML", admin2="Douentza", admin3="Commune Z")
COMMUNE_Y = Hints("ML", admin2="Douentza", admin3="Commune Y")


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("communes")
    csv = folder / "places.csv"
    csv.write_text("\n".join([HEADER, SAHEL, DENSE, SPARSE]) + "\n", encoding="utf-8")
    gazetteer = Gazetteer(folder / "index.sqlite", ensure_default=False)
    import_file(csv, gazetteer=gazetteer, progress=False)
    return Gazetteer(folder / "index.sqlite", ensure_default=False)


def _coherent(gaz: Gazetteer, names: list[str], *hints: Hints, **kw) -> list[Match]:
    """Resolve names together (coherence on); one Hints for all, or one per name."""
    keys = list(zip(names, hints * len(names) if len(hints) == 1 else hints, strict=True))
    found = resolve_keys(gaz, list(dict.fromkeys(keys)), **kw)
    return [found[k] for k in keys]


def _batch(gaz: Gazetteer, names: list[str], commune: str, **kw) -> list[Match]:
    return _coherent(gaz, names, Hints("ML", "Mopti", "Bandiagara", commune), **kw)


def _place(name: str, lat: float, lon: float) -> Place:
    return Place(f"x:{name}", name, "ML", lat, lon)


# -- which matches are certain ---------------------------------------------------------
def test_confident_means_exact_and_without_a_namesake_in_the_country() -> None:
    town = _place("Koro", 14.07, -3.08)
    assert confident(Match("Koro", town, "alias", 1.0, 1, "only candidate"))
    assert not confident(Match("Koro", town, "fuzzy", 0.85, 1, "fuzzy match"))
    abroad = Place("x:bf", "Koro", "BF", 11.0, -4.0)
    assert confident(Match("Koro", town, "exact", 1.0, 1, "importance", (abroad,)))
    namesake = _place("Koro", 15.0, -1.0)
    assert not confident(Match("Koro", town, "exact", 1.0, 1, "importance", (namesake,)))


def test_commune_places_groups_certain_places_by_their_full_hints() -> None:
    a, b = _place("A", 14.0, -3.0), _place("B", 14.1, -3.1)
    found = {
        ("A", COMMUNE_Z): Match("A", a, "exact", 1.0, 1, "only candidate"),
        ("B", COMMUNE_Z): Match("B", b, "exact", 1.0, 1, "only candidate"),
        ("C", COMMUNE_Z): Match("C", b, "fuzzy", 0.85, 1, "fuzzy match"),
        ("A", COMMUNE_Y): Match("A", a, "exact", 1.0, 1, "only candidate"),
        ("A", Hints("ML", admin2="Douentza")): Match("A", a, "exact", 1.0, 1, "only"),
    }
    assert commune_places(found) == {COMMUNE_Z: [a, b], COMMUNE_Y: [a]}


# -- re-resolution near the commune's certain places -----------------------------------
def test_a_communes_certain_places_place_its_doubtful_ones(communes: Gazetteer) -> None:
    # Alone, "Dalla" in Douentza's cercle goes to the namesake closer to Douentza.
    alone = communes.lookup("Dalla", COMMUNE_Z)
    assert alone.place.lon == -3.60
    # In a batch, Boulkessi (certain: one place of that name) says where commune Z lies.
    matches = _coherent(communes, ["Boulkessi", "Dalla"], COMMUNE_Z)
    assert matches[1].place.lon == -1.75
    assert "the places around it in the data" in matches[1].rule
    # Other communes are not affected.
    other = _coherent(communes, ["Boulkessi", "Dalla"], COMMUNE_Z, COMMUNE_Y)
    assert other[1].place.lon == -3.60


def test_coherent_pass_updates_the_found_matches_in_place(communes: Gazetteer) -> None:
    keys = [("Boulkessi", COMMUNE_Z), ("Dalla", COMMUNE_Z), ("Dalla", COMMUNE_Y)]
    found = communes.lookup_keys(keys)
    before = dict(found)
    coherent_pass(communes, found, ())
    assert found[keys[0]] is before[keys[0]]  # certain: kept as it was
    assert found[keys[1]].place.lon == -1.75  # moved next to Boulkessi
    assert found[keys[2]] is before[keys[2]]  # commune Y has no certain place


def test_a_commune_allows_a_looser_spelling_close_to_its_places(communes: Gazetteer) -> None:
    assert not communes.lookup("Garou-Leye", Hints(country="ML", admin2="Douentza")).resolved
    matches = _coherent(communes, ["Boulkessi", "Garou-Leye"], COMMUNE_Z)
    assert matches[1].place.name == "Garoulé"
    assert matches[1].rule.startswith("closest spelling")
    assert matches[1].method == "fuzzy" and 0.85 <= matches[1].score < 1


def test_closest_spelling_near_keeps_to_the_radius_and_the_threshold(
        communes: Gazetteer) -> None:
    match = closest_spelling_near(communes, "Garou-Leye", "ML", 14.90, -1.50)
    # a closest spelling is a guess at the town: near or part of it, precision 2
    assert match.place.name == "Garoulé" and (match.precision, match.place.precision) == (2, 1)
    assert f"within {COMMUNE_RADIUS_KM:.0f} km" in match.rule
    # Garoulé lies ~210 km from Bandiagara-side Dense villages: outside the radius.
    assert closest_spelling_near(communes, "Garou-Leye", "ML", 14.50, -3.50) is None
    # Too unlike any name there, too short to say anything, or in another country.
    assert closest_spelling_near(communes, "Tombouctou", "ML", 14.90, -1.50) is None
    assert closest_spelling_near(communes, "Gar", "ML", 14.90, -1.50) is None
    assert closest_spelling_near(communes, "Garou-Leye", "BF", 14.90, -1.50) is None


# -- the area fallback -----------------------------------------------------------------
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


def test_area_match_directly(communes: Gazetteer) -> None:
    hints = Hints("ML", "Mopti", "Bandiagara", "Commune D")
    unresolved = Match.unresolved("Qwxyzkro", "no place named 'Qwxyzkro'",
                                  (_place("Qwz", 1.0, 1.0),))
    located = [_place("Denseaville", 14.50, -3.50), _place("Densejville", 14.52, -3.44)]
    match = area_match(communes, ("Qwxyzkro", hints), unresolved, located)
    assert (match.method, match.score, match.precision) == ("area", AREA_SCORE, 3)
    assert match.place.id == "area:ML/Mopti/Bandiagara/Commune D"
    assert match.place.source == "the data's located places"
    assert match.alternatives == unresolved.alternatives
    assert match.rule.startswith("no place named 'Qwxyzkro'; placed at the centre of the 2")
    # An empty name, no located place, or too few settlements: no answer.
    assert area_match(communes, ("", hints), unresolved, located) is None
    assert area_match(communes, ("Qwxyzkro", hints), unresolved, []) is None
    lonely = [_place("Lonewell", 19.00, 1.00)]
    assert area_match(communes, ("Qwxyzkro", hints), unresolved, lonely) is None


def test_the_density_floor_is_a_named_threshold(communes: Gazetteer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    hints = Hints("ML", "Mopti", "Bandiagara", "Commune D")
    unresolved = Match.unresolved("Qwxyzkro", "no place named 'Qwxyzkro'")
    located = [_place("Denseaville", 14.50, -3.50)]
    assert area_match(communes, ("Qwxyzkro", hints), unresolved, located) is not None
    monkeypatch.setattr(coherence, "AREA_MIN_SETTLEMENTS", AREA_MIN_SETTLEMENTS + 100)
    assert area_match(communes, ("Qwxyzkro", hints), unresolved, located) is None


def test_batch_geocoding_reports_area_placements(communes: Gazetteer) -> None:
    names = pd.Series(["Denseaville", "Densejville", "Qwxyzkro"])
    commune = pd.Series(["Commune D"] * 3)
    out = geocode_series(names, country="ML", admin3=commune, gazetteer=communes)
    assert list(out["geocoded_method"]) == ["exact", "exact", "area"]
    assert list(out["geocoded_precision"]) == [1, 1, 3]
    off = geocode_series(names, country="ML", admin3=commune, gazetteer=communes,
                         area_fallback=False)
    assert off["geocoded_method"][2].startswith("unresolved: no place named")


def test_coherence_is_an_explicit_choice(communes: Gazetteer) -> None:
    off = _coherent(communes, ["Boulkessi", "Dalla"], COMMUNE_Z, coherence=False)
    assert off[1].place.lon == -3.60


# -- the direction of the dependency ---------------------------------------------------
@pytest.mark.parametrize("module", ["lookup", "ranking", "area", "index", "fuzzy"])
def test_single_lookups_never_import_coherence(module: str) -> None:
    path = Path(coherence.__file__).with_name(f"{module}.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names}
    assert not {"geomap.gazetteer.coherence", "geomap.gazetteer.batch"} & imported
