"""When an answer is a guess: coin tosses, loose spellings, and the precision they earn.

The ranking (:mod:`geomap.gazetteer.ranking`) orders the candidates of a name; this module
says when the best of them must not be given as the answer. Two candidates that tie on
the evidence and lie far apart are a coin toss (:func:`ambiguous`: the name stays
unresolved, "ambiguous", with both as alternatives); a one-edit typo or a spelling
variant is accepted only where it says something (:func:`typo_fits`); and a typo's
answer is at best precision 2 (:func:`match_precision`).

Measured on ACLED Mali 2017-2020's 973 distinct places with GeoNames ``ML.txt`` (dev
data, the thresholds were chosen there), batch geocoding (share within 25 km of ACLED's
point / more than 50 km away):

============================  ===============  ===============  ===============
rules                         country only     country+admin1   every admin hint
============================  ===============  ===============  ===============
none of these (first answer)  72.4 % / 17.2 %  74.8 % / 10.8 %  87.8 % / 2.7 %
coin tosses unresolved        58.0 % / 3.2 %   62.6 % / 2.6 %   87.7 % / 2.8 %
and the region-wide rules     57.2 % / 2.6 %   68.1 % / 2.8 %   87.7 % / 2.8 %
============================  ===============  ===============  ===============

The region-wide rules are :func:`name_fits`, the wide-area clause of :func:`typo_fits`,
and :meth:`geomap.gazetteer.labels.AdminLabels.sole_in_region`.
"""

from __future__ import annotations

from geomap.gazetteer.area import Area
from geomap.gazetteer.features import Importance
from geomap.gazetteer.ranking import (
    FUZZY_THRESHOLD,
    SPELLING_METHODS,
    Candidate,
    is_settlement,
    rank_key,
)
from geomap.gazetteer.records import NameRecord  # noqa: F401 - the examples build records
from geomap.geodesy import great_circle_km
from geomap.place import Place

__all__ = [
    "ambiguous", "standing_decides", "typo_fits", "name_fits", "match_precision", "AMBIGUITY_KM",
    "WIDE_TYPO_MIN_SCORE", "ANY_NAME_CLASSES",
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
#: Inside a region-wide area (an admin-1 hint), a one-edit typo of a village's name is
#: accepted with at least this score, the same first letter and
#: :data:`TYPO_WIDE_MIN_LETTERS` letters (a typo keeps a name's start; "Niangassagou" for
#: "Diangassagou" is another village).
WIDE_TYPO_MIN_SCORE = 0.88
#: Feature classes that are an answer under any of their names (populated places,
#: administrative areas and countries). Other features (wadis, wells, hills, localities)
#: found only under an alternate name need a tight area (:func:`name_fits`).
ANY_NAME_CLASSES = frozenset({"P", "A"})


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
    (:attr:`~geomap.gazetteer.area.Area.tight`), or be a town of some size
    (:data:`TYPO_WIDE_MIN_POPULATION`, or a city's class or higher), or, inside a
    region-wide area, a plain typo of a village's long name (:data:`WIDE_TYPO_MIN_SCORE`,
    same first letter). Measured on ACLED Mali with ``ML.txt``, country and admin-1 hints:
    the wide-area typos placed 15 more names within 25 km of ACLED's point and 1 more
    beyond 50 km (any first letter and a score of 0.80: 50 more and 20 more).

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
    return cand.rank >= Importance.ADMIN1 or (big and long) or (area is not None and long
                                                              and _plain_typo(cand))


def _plain_typo(cand: Candidate) -> bool:
    """A one-edit typo of a populated place's name that keeps its first letter and scores
    :data:`WIDE_TYPO_MIN_SCORE`."""
    return (cand.score >= WIDE_TYPO_MIN_SCORE and cand.key[:1] == cand.qkey[:1]
            and cand.place.feature_class == "P")


def name_fits(cand: Candidate, area: Area | None, hint: str | None) -> bool:
    """Whether a candidate is an answer for how its name matched, whatever its place.

    A feature other than a settlement or an area (a wadi, a well, a hill) found only
    under one of its alternate names is an answer only in a tight area: such names are
    spellings that villages elsewhere also bear ("Tin X" for the wadi "Ti-n-X"). Measured
    on ACLED Mali with ``ML.txt``, country hint only: 7 of 30 such answers lay more than
    50 km from ACLED's point, against 4 of 49 for villages found under an alternate name.
    A spelling variant or typo never answers the hinted country itself: the hint already
    names it, so a name one edit from one of its names is a place the gazetteer lacks.

    Examples
    --------
    >>> wadi = Place("x:1", "Ti-n-Ama", "ML", 16.0, 0.5, "H", "STMI")
    >>> alias = Candidate(NameRecord("tin hama", False, wadi, 0), "tin hama")
    >>> name_fits(alias, None, "ML"), name_fits(alias, Area("commune", 16.0, 0.5, 75.0), "ML")
    (False, True)
    """
    place = cand.place
    if cand.method in SPELLING_METHODS and place.feature_code.startswith("PCL") \
            and place.country_code == hint:
        return False
    if cand.primary or (area is not None and area.tight):
        return True
    return place.feature_class in ANY_NAME_CLASSES or is_settlement(cand)


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
