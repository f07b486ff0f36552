"""What a reading of a name is worth before the text votes: its prior score.

A reading's prior is the weight of its importance class (:data:`RANK_PRIOR`), plus a
weight per decade of population, plus a bonus when the reading's own name is the span
(not one of its alternate names). Context (:mod:`geomap.geoparse.context`) then adds the
text's votes to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from geomap.gazetteer.features import Importance, importance
from geomap.gazetteer.normalize import name_key
from geomap.place import Place

__all__ = ["RANK_PRIOR", "W_POPULATION", "W_POPULATION_AREA", "W_SAME_NAME", "SPELLED_OUT",
           "rank_of", "priors", "prior", "spelled_out"]

#: Prior weight of each importance class: a country or continent first.
RANK_PRIOR = {
    Importance.CONTINENT: 8.0, Importance.COUNTRY: 8.5, Importance.CAPITAL: 6.5,
    Importance.ADMIN1: 4.5, Importance.CITY: 4.0, Importance.PLACE: 2.0, Importance.AREA: 1.0,
    Importance.OTHER: 0.0,
}
#: Prior weight per decade of population; an area's population is the sum of its
#: places', so it weighs less.
W_POPULATION, W_POPULATION_AREA = 0.5, 0.3
#: Prior bonus of a reading whose own name is the span (not an alternate name).
W_SAME_NAME = 2.5
#: Abbreviated words, written out when names are compared ("St Petersburg").
SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}
# feature classes whose population is a sum over places (areas, continents, regions)
_SUMMED_POPULATION_CLASSES = ("A", "L")
# feature codes of a continent or a world region, and of second- and third-level areas
_WORLD_CODES = ("CONT", "RGN")
_COUNTY_CODES = ("ADM2", "ADM3")
_CAPITAL_CODE = "PPLC"
# a capital's namesake in its country is ranked as a populated place of that code
_DEMOTED_CODE = "PPL"


def rank_of(place: Place) -> Importance:
    """Importance class of a place, as geoparsing counts it.

    Continents and world regions weigh as continents, first-level areas as first-level
    seats, second- and third-level areas as cities; everything else as the gazetteer
    ranks it (:func:`geomap.gazetteer.features.importance`).

    Examples
    --------
    >>> rank_of(Place("x", "Kidal", "ML", 18.4, 1.4, "A", "ADM1"))
    <Importance.ADMIN1: 4>
    >>> rank_of(Place("y", "Bamako", "ML", 12.65, -8.0, "P", "PPLC", 1_800_000))
    <Importance.CAPITAL: 5>
    """
    if place.feature_code in _WORLD_CODES:
        return Importance.CONTINENT
    if place.feature_code == "ADM1":
        return Importance.ADMIN1
    if place.feature_code in _COUNTY_CODES:
        return Importance.CITY
    return importance(place.feature_class, place.feature_code, place.population)


def priors(places: Sequence[Place], qkey: str) -> list[float]:
    """Prior scores of a name's readings.

    A country has one capital: when several readings in one country are marked as its
    capital (the default gazetteer marks every namesake of a capital), only the most
    populous keeps the capital's weight.

    Parameters
    ----------
    places : sequence of Place
        The readings.
    qkey : str
        The span's name key (:func:`geomap.gazetteer.normalize.name_key`).
    """
    capital: dict[str, int] = {}
    for p in places:
        if p.feature_code == _CAPITAL_CODE:
            capital[p.country_code] = max(capital.get(p.country_code, 0), p.population)
    return [prior(p, qkey, demote=p.feature_code == _CAPITAL_CODE
                  and p.population < capital[p.country_code]) for p in places]


def prior(place: Place, qkey: str, *, demote: bool = False) -> float:
    """Prior score of one reading (``demote``: a capital's lesser namesake).

    Examples
    --------
    >>> round(prior(Place("y", "Bamako", "ML", 12.65, -8.0, "P", "PPLC", 999_999), "bamako"), 3)
    12.0
    """
    rank = importance(place.feature_class, _DEMOTED_CODE, place.population) if demote \
        else rank_of(place)
    score = RANK_PRIOR.get(rank, 0.0)
    weight = W_POPULATION_AREA if place.feature_class in _SUMMED_POPULATION_CLASSES \
        else W_POPULATION
    score += weight * math.log10(place.population + 1)
    if spelled_out(name_key(place.name)) == spelled_out(qkey):
        score += W_SAME_NAME
    return score


def spelled_out(key: str) -> str:
    """A name key with its abbreviated words written out.

    Examples
    --------
    >>> spelled_out("st petersburg")
    'saint petersburg'
    """
    return " ".join(SPELLED_OUT.get(w, w) for w in key.split())
