"""The ranking of candidates on hand-made records: the rank key's named fields, the
ambiguity test, the rule text and the named scores."""

from __future__ import annotations

import pytest

from geomap.gazetteer.area import Area, same_area
from geomap.gazetteer.doubt import AMBIGUITY_KM, ambiguous
from geomap.gazetteer.features import Importance
from geomap.gazetteer.ranking import (
    COMPACT_SCORE,
    EXACT_SCORE,
    FUZZY_SCORE_CAP,
    SIGNALS,
    TIE_BREAKS,
    VARIANT_SCORE,
    Candidate,
    Quality,
    RankKey,
    rank_key,
    rule_text,
    similarity,
)
from geomap.gazetteer.records import NameRecord
from geomap.place import Place


def cand(name: str, lat: float, lon: float, *, key: str | None = None, primary: bool = True,
         code: str = "PPL", fclass: str = "P", population: int = 0, cc: str = "ML",
         priority: int = 0, qkey: str | None = None) -> Candidate:
    place = Place(f"x:{name}:{lat}", name, cc, lat, lon, fclass, code, population)
    key = key or name.lower()
    return Candidate(NameRecord(key, primary, place, priority), qkey or key)


def test_the_rank_key_is_signals_then_tie_breaks() -> None:
    assert set(SIGNALS).isdisjoint(TIE_BREAKS)
    assert set(SIGNALS) | set(TIE_BREAKS) == set(RankKey._fields)
    # Tie breaks come last: evidence about the query always outranks size.
    assert RankKey._fields[-len(TIE_BREAKS):] == TIE_BREAKS


def test_quality_method_and_score_follow_how_the_name_matched() -> None:
    exact = cand("Gao", 16.27, -0.04)
    alias = cand("Gao", 16.27, -0.04, primary=False)
    compact = cand("Gao", 16.27, -0.04, key="ga o", qkey="gao")
    assert [(c.quality, c.method, c.score) for c in (exact, alias, compact)] == [
        (Quality.EXACT, "exact", EXACT_SCORE), (Quality.ALIAS, "alias", EXACT_SCORE),
        (Quality.COMPACT, "compact", COMPACT_SCORE)]


def test_similarity_keeps_variants_above_typos() -> None:
    assert similarity("abcdefghij", "abcdefghik", 0) == VARIANT_SCORE
    assert similarity("abc", "abc", 1) == FUZZY_SCORE_CAP
    assert similarity("mogroo", "mogoro", 1) == pytest.approx(0.8333, abs=1e-4)


def test_the_country_prior_outranks_importance() -> None:
    capital = cand("Gao", 12.0, 1.0, code="PPLC", cc="BF")
    village = cand("Gao", 16.27, -0.04)
    pool = sorted([capital, village], key=lambda c: rank_key(c, ("ML",), None), reverse=True)
    assert pool[0] is village
    assert rule_text(pool, None, ("ML",), 2) == "the data are about ML"
    pool = sorted([capital, village], key=lambda c: rank_key(c, (), None), reverse=True)
    assert pool[0] is capital
    assert rule_text(pool, None, (), 2) == "importance: capital over populated place"


def test_a_town_beats_the_area_of_its_name_even_with_an_admin_match() -> None:
    area = cand("Koro", 14.2, -2.9, fclass="A", code="ADM2")
    area.admin = 2
    town = cand("Koro", 14.07, -3.08, code="PPLA2")
    assert rank_key(town, (), None) > rank_key(area, (), None)
    assert rank_key(town, (), None).settlement and not rank_key(area, (), None).settlement


def test_wide_water_counts_as_a_settlement_a_bay_does_not() -> None:
    sea = cand("Red Sea", 20.0, 38.0, fclass="H", code="SEA")
    bay = cand("Bay", 20.0, 38.0, fclass="H", code="BAY")
    assert sea.rank == Importance.ADMIN1
    assert rank_key(sea, (), None).settlement and not rank_key(bay, (), None).settlement


def test_two_distant_namesakes_that_tie_on_every_signal_are_ambiguous() -> None:
    douentza = Area("admin-2 area 'Douentza'", 15.00, -2.95, 150.0)
    west, east = cand("Amba", 14.60, -3.35), cand("Amba", 15.40, -2.55, population=500)
    pool = sorted([west, east], key=lambda c: rank_key(c, (), douentza), reverse=True)
    assert pool[0] is east  # population breaks the tie, but is no evidence
    assert ambiguous(pool, (), douentza)
    # Evidence for one (an admin-code match) settles it.
    west.admin = 1
    pool = sorted([west, east], key=lambda c: rank_key(c, (), douentza), reverse=True)
    assert pool[0] is west and not ambiguous(pool, (), douentza)
    assert rule_text(pool, None, (), 2) == "administrative area hint"


def test_namesakes_close_together_are_not_ambiguous() -> None:
    area = Area("admin-2 area 'X'", 15.0, -3.0, 150.0)
    a, b = cand("Amba", 15.0, -3.0), cand("Amba", 15.0, -3.0 + AMBIGUITY_KM / 2 / 111)
    assert not ambiguous([a, b], (), area)
    assert not ambiguous([a], (), area)


def test_rule_text_for_single_and_spelling_matches() -> None:
    only = cand("Gao", 16.27, -0.04)
    assert rule_text([only], None, (), 1) == "only candidate"
    assert rule_text([only], "ML", (), 3) == "country hint ML; only candidate left"
    only.method, only.score = "fuzzy", 0.86
    assert rule_text([only], None, (), 1) == "fuzzy match, score 0.86; only candidate"


@pytest.mark.parametrize(("label", "hint", "same"), [
    ("Cercle de Douentza", "Douentza", True),
    ("Tombouctou Region", "Tombuctu", True),
    ("Mopti", "Kidal", False),
    ("Région", "Région", False),  # only generic words: says nothing
    ("", "Mopti", False),
])
def test_same_area(label: str, hint: str, same: bool) -> None:
    assert same_area(label, hint) is same
