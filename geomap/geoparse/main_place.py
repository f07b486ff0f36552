"""The text's main place, and when it is a better guess than a name's best reading.

After the vote (:mod:`geomap.geoparse.context`) a few readings are still more often
wrong than right: a part of a span far from everything else ("Liverpool Academy" in a
story on Egypt), a province named by generic words in a country the text does not name
("Western officials"), a lone hamlet far away ("Middle East", a US hamlet, in an article
on Syria). For those the text's main place (:func:`focus`) stands in, and the reading is
kept as the first alternative. :data:`FALLBACK_RULES` lists the tests in order, each
with the reason the rule text gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from geomap.gazetteer.features import Importance
from geomap.gazetteer.normalize import name_key
from geomap.geodesy import great_circle_km
from geomap.geoparse.areas import names_an_area
from geomap.geoparse.candidates import Slot
from geomap.geoparse.demonyms import COMPASS_WORDS
from geomap.geoparse.lexicon import word_frequency
from geomap.geoparse.priors import rank_of
from geomap.place import Place

__all__ = ["FOCUS_CAP_KM", "STRAY_POPULATION", "STRAY_KM", "COMMON_ZIPF", "FAR_PART_KM",
           "GENERIC_NAME_WORDS", "FALLBACK_RULES", "focus", "main_place_instead",
           "stray_hamlet", "generic_area_elsewhere", "far_part"]

#: Each distance to the text's other towns counts at most this much in :func:`focus`.
FOCUS_CAP_KM = 1000.0
#: A gazetteer reading this small and this far from the text's main place is less
#: likely than the main place itself (see :func:`stray_hamlet`).
STRAY_POPULATION = 20_000
STRAY_KM = 500.0
#: A word at least this frequent in English (Zipf scale) is a common word.
COMMON_ZIPF = 3.5
#: A span's part this far from the text's main place is a stray (see :func:`far_part`).
FAR_PART_KM = 400.0
#: Below this country support, the text names no other place of the reading's country.
MIN_COUNTRY_SUPPORT = 0.5
#: Words that name provinces in many countries ("Western", "Central", "West Coast").
GENERIC_NAME_WORDS = frozenset({
    *COMPASS_WORDS, *(f"{w}ern" for w in COMPASS_WORDS),
    *(f"{ns}{ew}" for ns in ("north", "south") for ew in ("east", "west")),
    "central", "coast", "coastal", "gulf", "upper", "lower", "middle", "far", "highlands",
    "lakes", "capital", "islands", "region", "province"})
_AREA_CODES = ("ADM1", "ADM2")


def focus(slots: list[Slot]) -> Place | None:
    """The text's main place: the medoid of its towns, else of its areas, else its
    most-named country.

    Towns are the mentions' readings below first-level rank (towns, cities, counties),
    one per mention (a place named three times counts three times); a state's or
    province's point is the centre of a territory, not where the story is, so those
    count only when the text names no town. The medoid is the one whose summed distance
    to the others is smallest, each distance capped at :data:`FOCUS_CAP_KM` so that one
    far-off mention does not move the centre of an article about one city.
    """
    picks = [s.place for s in slots if s.place is not None and s.method != "partial"]
    towns = [p for p in picks if rank_of(p) < Importance.ADMIN1]
    local = towns or [p for p in picks if rank_of(p) < Importance.COUNTRY]
    if local:
        lat = np.array([p.lat for p in local])
        lon = np.array([p.lon for p in local])
        dist = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        return local[int(np.argmin(np.minimum(dist, FOCUS_CAP_KM).sum(axis=1)))]
    counts = Counter(p.id for p in picks)
    return next((p for p in picks if p.id == counts.most_common(1)[0][0]), None) \
        if counts else None


def _km(a: Place, b: Place) -> float:
    return float(great_circle_km(a.lat, a.lon, b.lat, b.lon))


def stray_hamlet(slot: Slot, best: Place, main: Place) -> bool:
    """Whether a name's best reading is a small place far from the text's main place.

    A village or small town (no administrative seat, fewer than
    :data:`STRAY_POPULATION` people) more than :data:`STRAY_KM` from the text's main
    place, when the name has namesakes or is made of common English words: news names
    such places with their surroundings, so a lone one is more often a word that is also
    some hamlet's name ("Congress", "Middle East"), the wrong namesake, or a place the
    gazetteer lacks. A rare name with one reading keeps it, however far.
    """
    if slot.method != "gazetteer" or best.id == main.id:
        return False
    if rank_of(best) > Importance.PLACE or best.population >= STRAY_POPULATION:
        return False
    if _km(best, main) <= STRAY_KM:
        return False
    # an unambiguous rare name ("Tin Zaouatine", 1,300 km from a "BAMAKO" dateline) is
    # that place; a name with namesakes, or made of common words, may well not be
    words = name_key(slot.mention.text).split()
    common = bool(words) and all(word_frequency(w) >= COMMON_ZIPF for w in words)
    return len(slot.places) > 1 or common


def generic_area_elsewhere(slot: Slot, best: Place, main: Place) -> bool:
    """Whether the best reading is a province named by generic words only ("Western",
    "West Coast", "Gulf") in a country that is not the main place's and that the text
    names no other place of: dozens of countries have such a province, and the text
    means none of them ("Western officials"). "Eastern Province" in a text about Saudi
    Arabia keeps its reading."""
    if slot.method != "gazetteer" or best.feature_code not in _AREA_CODES:
        return False
    words = set(name_key(slot.mention.text).split())
    return bool(words) and words <= GENERIC_NAME_WORDS \
        and slot.country_support < MIN_COUNTRY_SUPPORT \
        and best.country_code != main.country_code


def far_part(slot: Slot, best: Place, main: Place) -> bool:
    """Whether a span's part names a place far from the text's other places, and the span
    is not named after it ("Liverpool Academy" in a story on Egypt). A country, an area
    the span names as such ("Sokoto State") or an institution's area ("University of
    California") keeps its reading."""
    return slot.method == "partial" and rank_of(best) < Importance.COUNTRY \
        and (rank_of(best) < Importance.ADMIN1 or not slot.names_holder) \
        and not names_an_area(slot.mention.text) \
        and _km(best, main) > FAR_PART_KM


#: The tests, in order, and the reason each gives in the rule text.
FALLBACK_RULES: tuple[tuple[Callable[[Slot, Place, Place], bool], str], ...] = (
    (far_part, "part of the name is far from the text's other places"),
    (generic_area_elsewhere, "a province with a generic name, in a country the text does "
                             "not name"),
    (stray_hamlet, "only a small place of that name, far from the text's other places"),
)


def main_place_instead(slot: Slot, best: Place, main: Place | None) -> str:
    """Why the text's main place ``main`` is a better guess than the best reading ("" when
    not)."""
    if main is None:
        return ""
    return next((reason for test, reason in FALLBACK_RULES if test(slot, best, main)), "")
