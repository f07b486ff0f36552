"""Ranking the candidates of a name: the rank key and the rule text.

A :class:`Candidate` is a place a name may mean, built from the index's
:class:`~geomap.gazetteer.records.NameRecord`, with what the ranking needs to know about it
(how its name matched, its importance class, its administrative-hint score).
:func:`rank_key` orders the candidates that passed the filters (a :class:`RankKey` of named
fields, highest first); :mod:`geomap.gazetteer.doubt` tells a coin toss apart from a
choice; the ``*_reason`` and :func:`rule_text` functions word the outcome.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import NamedTuple

from rapidfuzz import fuzz

from geomap.gazetteer.area import Area
from geomap.gazetteer.features import Importance, importance, importance_label
from geomap.gazetteer.records import NameRecord
from geomap.place import Place

__all__ = [
    "Candidate", "Quality", "Standing", "RankKey", "SIGNALS", "TIE_BREAKS", "TIE_RULES",
    "rank_key", "is_settlement", "similarity", "in_country", "unique", "by_score", "rule_text",
    "ambiguity_reason", "not_found_reason", "alternatives", "class_label", "SPELLING_METHODS",
    "EXACT_SCORE", "COMPACT_SCORE", "VARIANT_SCORE", "FUZZY_SCORE_CAP", "FUZZY_THRESHOLD",
    "RANK_SCORE_DECIMALS", "MATCH_SCORE_DECIMALS", "AREA_STEP_KM",
    "ADMIN_MATCH_POINTS",
    "MAX_ALTERNATIVES", "MAX_SUGGESTIONS",
]

#: Score of a name that matches the query's key exactly (preferred or alternate name).
EXACT_SCORE = 1.0
#: Score of a name with the same letters as the query but other separators.
COMPACT_SCORE = 0.95
#: Lowest score of a spelling variant (a variant of the query, or the same skeleton).
VARIANT_SCORE = 0.9
#: Highest score of a one-edit typo: always below a variant.
FUZZY_SCORE_CAP = 0.89
#: Typos that score below this are not accepted.
FUZZY_THRESHOLD = 0.8
#: The rank key compares scores to this many decimals: closer spellings rank first only
#: when they differ by a hundredth.
RANK_SCORE_DECIMALS = 2
#: A match reports its score to this many decimals.
MATCH_SCORE_DECIMALS = 3
#: With an area hint, closeness to its point counts in steps of this many km.
AREA_STEP_KM = 50.0
#: Points a candidate earns when its administrative label matches a hint, per level.
ADMIN_MATCH_POINTS = {"admin2": 2, "admin1": 1}
#: Other candidates returned with a match, best first.
MAX_ALTERNATIVES = 5
#: Candidates an unresolved name's reason suggests ("did you mean ...?").
MAX_SUGGESTIONS = 3
#: The methods of a name found under another spelling than the query's.
SPELLING_METHODS = ("variant", "fuzzy")


class Quality(enum.IntEnum):
    """How a candidate's indexed name meets the query's key (higher is better).

    Examples
    --------
    >>> Quality.EXACT > Quality.ALIAS > Quality.COMPACT, Quality.ALIAS.method
    (True, 'alias')
    """

    COMPACT = 0  # same letters, other separators ("Tin-Zaouaten" for "Tinzaouaten")
    ALIAS = 1  # an alternate name, same key
    EXACT = 2  # the preferred name, same key

    @property
    def method(self) -> str:
        """The :attr:`~geomap.place.Match.method` of a match of this quality."""
        return self.name.lower()


_QUALITY_SCORES = {Quality.COMPACT: COMPACT_SCORE, Quality.ALIAS: EXACT_SCORE,
                   Quality.EXACT: EXACT_SCORE}


class Standing(NamedTuple):
    """What makes one place worth more than another, whatever the query: compared in order."""

    rank: Importance
    population: int
    quality: Quality
    priority: int


class Candidate:
    """A place a name may mean, with what the ranking needs to know about it.

    Parameters
    ----------
    record : NameRecord
        The indexed name that matched and its place.
    qkey : str
        The query's :func:`~geomap.gazetteer.normalize.name_key`.

    Examples
    --------
    >>> rec = NameRecord("gao", True, Place("x:1", "Gao", "ML", 16.27, -0.04, "P", "PPLA"), 0)
    >>> cand = Candidate(rec, "gao")
    >>> cand.method, cand.score, cand.standing.rank, cand.standing.quality
    ('exact', 1.0, <Importance.ADMIN1: 4>, <Quality.EXACT: 2>)
    """

    __slots__ = ("qkey", "place", "quality", "rank", "priority", "score", "method", "admin",
                 "edits", "primary", "key")

    def __init__(self, record: NameRecord, qkey: str) -> None:
        place = record.place
        same_key = record.key == qkey
        self.qkey = qkey.replace(" ", "")  # the query's compact key
        self.key = record.key.replace(" ", "")  # the compact key of the name that matched
        self.place = place
        self.quality = Quality.EXACT if same_key and record.is_primary \
            else Quality.ALIAS if same_key else Quality.COMPACT
        self.primary = record.is_primary
        self.rank = importance(place.feature_class, place.feature_code, place.population)
        self.priority = record.priority
        self.method = self.quality.method
        self.score = _QUALITY_SCORES[self.quality]
        self.admin = 0  # ADMIN_MATCH_POINTS earned (set by the lookup)
        self.edits = 0  # spelling edits from the query (set by fuzzy matching)

    @property
    def standing(self) -> Standing:
        """Importance class, population, name quality and source priority."""
        return Standing(self.rank, self.place.population, self.quality, self.priority)


def by_score(cand: Candidate) -> tuple:
    """Sort key of loose matches: the spelling score, then the :attr:`Candidate.standing`.

    Examples
    --------
    >>> big = Candidate(NameRecord("gao", True, Place("x:1", "Gao", "ML", 16.3, 0.0,
    ...                 population=9000), 0), "gao")
    >>> small = Candidate(NameRecord("gao", True, Place("x:2", "Gao", "ML", 12.0, 1.0), 0), "gao")
    >>> [c.place.id for c in sorted([small, big], key=by_score, reverse=True)]
    ['x:1', 'x:2']
    """
    return (cand.score, *cand.standing)


class RankKey(NamedTuple):
    """How two candidates that passed the filters compare (highest first), field by field.

    The fields named in :data:`SIGNALS` are the evidence about the query; those in
    :data:`TIE_BREAKS` (a :class:`Standing`) only say which place is bigger.
    """

    in_prior: bool  # in a country the data are about
    fewer_edits: int  # minus the spelling edits
    preferred_spelling: bool  # a variant or typo of the place's preferred name
    similarity: float  # the score, to RANK_SCORE_DECIMALS
    settlement: bool  # a populated place, country or wide water, not an area or feature
    admin: int  # ADMIN_MATCH_POINTS earned
    closeness: int  # minus the AREA_STEP_KM steps from the hinted area
    rank: Importance
    population: int
    quality: Quality
    priority: int

    def signals(self) -> tuple:
        """The values of the :data:`SIGNALS` fields."""
        return tuple(getattr(self, name) for name in SIGNALS)


#: The rank-key fields that are evidence about the query: a tie on all of them between
#: two distant candidates is a coin toss (:func:`geomap.gazetteer.doubt.ambiguous`).
SIGNALS = ("in_prior", "fewer_edits", "preferred_spelling", "similarity", "settlement",
           "admin", "closeness")
#: The rank-key fields that only break ties: the :class:`Standing` of the place.
TIE_BREAKS = Standing._fields


def is_settlement(cand: Candidate) -> bool:
    """A populated place, a country, or wide water (ocean, sea, gulf)."""
    place = cand.place
    wide_water = place.feature_class == "H" and cand.rank >= Importance.ADMIN1
    return place.feature_class == "P" or place.feature_code.startswith("PCL") or wide_water


def rank_key(cand: Candidate, prior: tuple[str, ...], area: Area | None) -> RankKey:
    """How candidates that passed the filters are ordered (highest first).

    Countries the data are about, then fewer spelling edits, then (for spelling variants
    and typos: an exact "Alger" still means Algiers) a match on the place's preferred name
    over one on an alternate name, then a closer spelling (the similarity score, to
    :data:`RANK_SCORE_DECIMALS` decimals), then populated places (and countries, oceans,
    seas and gulfs) over administrative areas and other features (an admin hint must not
    make "Cercle de Goundam" beat the town Goundam), then an administrative-code match,
    then (with a tight admin hint, or outside a wide one: a region's point is its seat, not
    its middle) closeness to the area in :data:`AREA_STEP_KM` steps, then
    importance and population.

    Examples
    --------
    >>> rec = NameRecord("gao", True, Place("x:1", "Gao", "ML", 16.27, -0.04), 0)
    >>> key = rank_key(Candidate(rec, "gao"), ("ML",), None)
    >>> key.in_prior, key.settlement, key.signals()
    (True, True, (True, 0, False, 1.0, True, 0, 0))
    """
    place = cand.place
    closeness = 0
    if area is not None and (area.tight or not area.holds(place)):
        closeness = -int(area.distance(place) // AREA_STEP_KM)
    settlement = is_settlement(cand)
    spelled = cand.primary and cand.method in SPELLING_METHODS
    return RankKey(place.country_code in prior, -cand.edits, spelled,
                   round(cand.score, RANK_SCORE_DECIMALS), settlement, cand.admin, closeness,
                   *cand.standing)


def similarity(query: str, key: str, edits: int) -> float:
    """Score of a fuzzy candidate: at least :data:`VARIANT_SCORE` for a spelling variant
    (no edit), else the similarity ratio capped at :data:`FUZZY_SCORE_CAP`.

    Examples
    --------
    >>> similarity("tinzawaten", "tinzaouaten", 0), round(similarity("mogroo", "mogoro", 1), 3)
    (0.9, 0.833)
    """
    ratio = fuzz.ratio(query, key) / 100
    return max(ratio, VARIANT_SCORE) if edits == 0 else min(ratio, FUZZY_SCORE_CAP)


def in_country(cands: list[Candidate], hint: str | None) -> list[Candidate]:
    """The candidates in the hinted country (all of them without a hint)."""
    return [c for c in cands if hint is None or c.place.country_code == hint]


def unique(cands: list[Candidate]) -> list[Candidate]:
    """The candidates without repeats of a place, first occurrence kept."""
    seen: dict[str, Candidate] = {}
    for cand in cands:
        seen.setdefault(cand.place.id, cand)
    return list(seen.values())


def class_label(cand: Candidate) -> str:
    """How a rule text names a candidate's class (water by its kind)."""
    return importance_label(cand.place.feature_class, cand.place.feature_code, cand.rank)


def _prior_decides(best: Candidate, second: Candidate, prior: tuple[str, ...]) -> bool:
    return bool(prior) and best.place.country_code in prior \
        and second.place.country_code not in prior


_Test = Callable[[Candidate, Candidate, tuple[str, ...]], bool]
_Text = Callable[[Candidate, Candidate, tuple[str, ...]], str]

#: Why the best candidate beat the second: the first rule whose test holds gives the text.
TIE_RULES: tuple[tuple[_Test, _Text], ...] = (
    (_prior_decides, lambda best, second, prior: f"the data are about {', '.join(prior)}"),
    (lambda best, second, _: best.admin != second.admin,
     lambda *_: "administrative area hint"),
    (lambda best, second, _: best.edits != second.edits,
     lambda *_: "spelling variant over one-letter edit"),
    (lambda best, second, _: best.rank != second.rank,
     lambda best, second, _: f"importance: {class_label(best)} over {class_label(second)}"),
    (lambda best, second, _: best.place.population != second.place.population,
     lambda best, second, _: (f"population {best.place.population:,} over "
                              f"{second.place.population:,}")),
    (lambda *_: True, lambda *_: "preferred name over alternate name"),
)


def rule_text(pool: list[Candidate], hint: str | None, prior: tuple[str, ...],
              total: int) -> str:
    """The rule that picked ``pool[0]``: how it matched, the country hint, the deciding rule.

    ``total`` is the number of distinct candidates before the filters.

    Examples
    --------
    >>> gao = Candidate(NameRecord("gao", True, Place("x:1", "Gao", "BF", 13.0, -1.0), 0), "gao")
    >>> rule_text([gao], "BF", (), 2)
    'country hint BF; only candidate left'
    """
    best = pool[0]
    parts = []
    if best.method in SPELLING_METHODS:
        parts.append(f"{best.method} match, score {best.score:.2f}")
    if hint and total > len(pool):
        parts.append(f"country hint {hint}")
    if len(pool) == 1:
        parts.append("only candidate" if total == 1 else "only candidate left")
        return "; ".join(parts)
    second = pool[1]
    parts.append(next(text(best, second, prior) for test, text in TIE_RULES
                      if test(best, second, prior)))
    return "; ".join(parts)


def ambiguity_reason(name: str, pool: list[Candidate], area: Area | None) -> str:
    """Why a name whose best candidates tie (:func:`geomap.gazetteer.doubt.ambiguous`) stays
    unresolved."""
    a, b = pool[0].place, pool[1].place
    return (f"ambiguous: {a.name} ({a.lat:.4f}, {a.lon:.4f}) and {b.name} "
            f"({b.lat:.4f}, {b.lon:.4f}) both fit {name!r} and "
            f"{area.label if area else 'the hints'} equally well")


def not_found_reason(name: str, hint: str | None, area: Area | None,
                     near: list[Candidate]) -> str:
    """Why no candidate fits: the nearest one outside the hinted area, or suggestions.

    ``near`` are the candidates that were rejected, best first (those in the hinted
    country, then in the data's countries, then :func:`by_score`); each suggestion names
    its country, and suggestions from other countries than the hint say so.

    Examples
    --------
    >>> gakou = Candidate(NameRecord("gakou", True, Place("x:1", "Gakou", "ML", 13.0, -10.0),
    ...                              0), "gakou")
    >>> koro = Area("admin-2 area 'Koro'", 14.07, -3.08, 150.0)
    >>> print(not_found_reason("Gakou", "ML", koro, [gakou]))  # doctest: +NORMALIZE_WHITESPACE
    no place named 'Gakou' in ML within 150 km of admin-2 area 'Koro' (nearest candidate:
    Gakou, 757 km away)
    >>> not_found_reason("Gakuo", None, None, [gakou])
    "no place named 'Gakuo'; did you mean Gakou (ML)?"
    >>> not_found_reason("Gakuo", "BF", None, [gakou])
    "no place named 'Gakuo' in BF; nothing spelled like it in BF; elsewhere: Gakou (ML)"
    """
    where = f" in {hint}" if hint else ""
    reason = f"no place named {name!r}{where}"
    local = in_country(near, hint)
    if area is not None and local:
        nearest = min(local, key=lambda c: area.distance(c.place))
        reason += (f" within {area.radius_km:.0f} km of {area.label} (nearest candidate: "
                   f"{nearest.place.name}, {area.distance(nearest.place):.0f} km away)")
    elif near:
        shown = near[:MAX_SUGGESTIONS]
        guesses = ", ".join(f"{c.place.name} ({c.place.country_code})" for c in shown)
        if hint and all(c.place.country_code != hint for c in shown):
            reason += f"; nothing spelled like it in {hint}; elsewhere: {guesses}"
        else:
            reason += f"; did you mean {guesses}?"
    return reason


def alternatives(cands: list[Candidate]) -> tuple[Place, ...]:
    """The places of the first :data:`MAX_ALTERNATIVES` candidates."""
    return tuple(c.place for c in cands[:MAX_ALTERNATIVES])
