"""When an answer is a guess: coin tosses, loose spellings, and the precision they earn.

The ranking (:mod:`geomap.gazetteer.ranking`) orders the candidates of a name; this module
says when the best of them must not be given as the answer. Two candidates that tie on
the evidence and lie far apart are a coin toss (:func:`ambiguous`: the name stays
unresolved, "ambiguous", with both as alternatives); a one-edit typo or a spelling
variant is accepted only where it says something (:func:`typo_fits`); and a typo's
answer is at best precision 2 (:func:`match_precision`).

Measured on ACLED Mali 2017-2020's 973 distinct places with GeoNames ``ML.txt`` (dev
data, the thresholds were chosen there), geocoded with the country only: the places put
more than 50 km from ACLED's point fall from 17.2 % to 3.0 %, the share within 25 km
from 72.4 % to 57.6 %; with country and admin-1: from 10.8 % to 2.7 % and 74.8 % to
61.7 %; with every admin hint unchanged (2.7 % and 87.8 %).
"""

from __future__ import annotations

from geomap.gazetteer.area import Area
from geomap.gazetteer.features import Importance
from geomap.gazetteer.ranking import FUZZY_THRESHOLD, Candidate, rank_key
from geomap.gazetteer.records import NameRecord  # noqa: F401 - the examples build records
from geomap.geodesy import great_circle_km
from geomap.place import Place

__all__ = [
    "ambiguous", "standing_decides", "typo_fits", "match_precision", "AMBIGUITY_KM",
    "DECISIVE_POPULATION", "DECISIVE_POPULATION_RATIO", "TYPO_WIDE_MIN_POPULATION",
    "TYPO_WIDE_MIN_LETTERS", "METHOD_PRECISION_FLOOR",
]

#: Without a tight area (:attr:`~geomap.gazetteer.area.Area.tight`), a one-edit typo is
#: accepted only for a place of at least this population or a city's class: a typo of
#: a village's name matches some other village somewhere.
TYPO_WIDE_MIN_POPULATION = 1000
#: ... and only for a name of at least this many letters: a short name is one edit away
#: from many others.
TYPO_WIDE_MIN_LETTERS = 7
#: Two candidates that tie on every signal are ambiguous when more than this far apart.
AMBIGUITY_KM = 50.0
#: Within one importance class, the bigger of two tied candidates wins only with at least
#: this population and this many times the other's (:func:`standing_decides`).
DECISIVE_POPULATION = 1000
DECISIVE_POPULATION_RATIO = 3
#: The coarsest-at-least geo_precision of a match found by each method (others: the place's).
METHOD_PRECISION_FLOOR = {"fuzzy": 2}


def _evidence(cand: Candidate, prior: tuple[str, ...], area: Area | None) -> tuple:
    """The :data:`SIGNALS` of a candidate for the ambiguity test: inside a wide hinted
    area (not :attr:`~geomap.gazetteer.area.Area.tight`) the rank key already ignores
    closeness, and the admin-1 label does not count either (GeoNames' admin codes lag
    behind redrawn regions)."""
    key = rank_key(cand, prior, area)  # closeness inside a wide area is already 0
    if area is not None and not area.tight and area.holds(cand.place):
        key = key._replace(admin=0)
    return key.signals()


def standing_decides(first: Candidate, second: Candidate) -> bool:
    """Whether the first candidate's size alone is reason enough to pick it.

    A higher :class:`~geomap.gazetteer.features.Importance` class decides (a regional
    seat over a village); within a class, a population of at least
    :data:`DECISIVE_POPULATION` that is :data:`DECISIVE_POPULATION_RATIO` times the
    other's. Two villages of unknown population, or a preferred name over an alternate
    one, decide nothing.

    Examples
    --------
    >>> def town(pop, code="PPL"):
    ...     return Candidate(NameRecord("amba", True, Place(f"x:{pop}", "Amba", "ML", 14.0,
    ...                                 -3.0, "P", code, pop), 0), "amba")
    >>> standing_decides(town(0), town(0)), standing_decides(town(5000), town(40))
    (False, True)
    >>> standing_decides(town(0, "PPLA"), town(0))
    True
    """
    if first.rank != second.rank:
        return True
    big, small = first.place.population, second.place.population
    return big >= DECISIVE_POPULATION and big >= DECISIVE_POPULATION_RATIO * small


def ambiguous(pool: list[Candidate], prior: tuple[str, ...], area: Area | None) -> bool:
    """Whether the best candidate ties on the evidence with another that lies apart.

    Same country prior, spelling, settlement class, admin-code match and distance step
    from the hinted area, if any (the :data:`SIGNALS` of their :class:`RankKey`), more
    than :data:`AMBIGUITY_KM` apart, and neither bigger enough to decide
    (:func:`standing_decides`): picking one would be a coin toss that puts the event in
    the wrong place half the time.

    Examples
    --------
    >>> area = Area("admin-2 area 'Douentza'", 15.0, -2.95, 150.0)
    >>> twins = [Candidate(NameRecord("amba", True, Place(f"x:{lon}", "Amba", "ML", lat, lon),
    ...                               0), "amba") for lat, lon in ((14.6, -3.35), (15.4, -2.55))]
    >>> ambiguous(twins, (), area), ambiguous(twins, (), None)
    (True, True)
    """
    if len(pool) < 2:
        return False
    first = pool[0]
    evidence = _evidence(first, prior, area)
    return any(_evidence(other, prior, area) == evidence
               and great_circle_km(first.place.lat, first.place.lon, other.place.lat,
                                   other.place.lon) > AMBIGUITY_KM
               and not standing_decides(first, other) for other in pool[1:])


def typo_fits(cand: Candidate, area: Area | None) -> bool:
    """Whether a loose (variant or one-edit) candidate is accepted.

    It must score :data:`FUZZY_THRESHOLD`; a one-edit typo must also lie in a tight area
    (:attr:`~geomap.gazetteer.area.Area.tight`) or be a town of some size
    (:data:`TYPO_WIDE_MIN_POPULATION`, or a city's class or higher).

    Examples
    --------
    >>> rec = NameRecord("tombouctou", True, Place("x:1", "Tombouctou", "ML", 16.77, -3.0,
    ...                                            "P", "PPLA", 54000), 0)
    >>> town = Candidate(rec, "tombouctu")
    >>> town.method, town.score, town.edits = "fuzzy", 0.89, 1
    >>> typo_fits(town, None)
    True
    >>> village = Candidate(NameRecord("tara", True, Place("x:2", "Tara", "ML", 15.0, -2.0), 0),
    ...                     "tara")
    >>> village.method, village.score, village.edits = "fuzzy", 0.89, 1
    >>> typo_fits(village, None), typo_fits(village, Area("commune", 15.0, -2.0, 75.0))
    (False, True)
    """
    if cand.score < FUZZY_THRESHOLD:
        return False
    if area is not None and area.tight:
        return True
    big = cand.rank >= Importance.CITY or cand.place.population >= TYPO_WIDE_MIN_POPULATION
    long = len(cand.qkey) >= TYPO_WIDE_MIN_LETTERS
    if cand.edits == 0:
        return big or long
    return cand.rank >= Importance.ADMIN1 or (big and long)


def match_precision(method: str, place: Place) -> int:
    """ACLED geo_precision of a match: the place's, made coarser by how it was found.

    A one-edit typo (method ``fuzzy``) is at best precision 2, near or part of a place:
    the spelling differs, so the point may be a neighbour of the place meant
    (:data:`METHOD_PRECISION_FLOOR`).

    Examples
    --------
    >>> town = Place("x:1", "Mersi", "ML", 16.0, 0.5, "P", "PPL")
    >>> match_precision("exact", town), match_precision("fuzzy", town)
    (1, 2)
    """
    return max(place.precision, METHOD_PRECISION_FLOOR.get(method, 1))
