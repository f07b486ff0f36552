"""Resolve place mentions with document context.

Each mention's candidates (gazetteer places, administrative areas, continents, and the
country of a demonym or code) get a prior from their importance and population. The
document then votes, over a few rounds:

* **countries named in the text** (by name, code or demonym) favour their places;
* **administrative containment**: a place inside an area the text names ("Alexandria"
  with "Louisiana") is favoured, and so is an area holding the text's other places;
* **spatial coherence**: a reading close to the other mentions' current readings is
  favoured (the article's places tend to be near each other);
* **"Town, Region" apposition** ("Kidal, Mali") ties the first name to the second.

Each result keeps the candidates it rejected, best first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from geomap.gazetteer import importance
from geomap.geoparse.lexicon import (
    ADMIN1,
    CAPITAL,
    CITY,
    CONTINENT,
    COUNTRY,
    PLACE,
    Lexicon,
    default_lexicon,
)
from geomap.geoparse.mentions import PREFIXES, Mention, find_mentions
from geomap.normalize import compact_key, name_key
from geomap.place import Place

__all__ = ["Resolution", "resolve_mentions", "resolve_text", "rank_of", "haversine_km"]

MAX_CANDIDATES = 25
ROUNDS = 3
_EARTH_KM = 6371.0088
_RANK_PRIOR = {CONTINENT: 8.0, COUNTRY: 8.5, CAPITAL: 6.5, ADMIN1: 4.5, CITY: 4.0,
               PLACE: 2.0, 1: 1.0, 0: 0.0}
_GENERIC = ("the", "city", "town", "village", "county", "parish", "province", "region",
            "state", "district", "river", "lake", "mount", "island", "valley", "area")


@dataclass(frozen=True, slots=True)
class Resolution:
    """A mention and the place it was resolved to.

    Attributes
    ----------
    mention : Mention
        The span in the text.
    place : Place or None
        The chosen reading; ``None`` when no candidate and no context could place it.
    score : float
        Confidence in (0, 1]: how clearly the chosen reading beat the next one.
    method : str
        ``"gazetteer"`` (a candidate of the name), ``"country"`` (a demonym or code),
        ``"partial"`` (a candidate of part of the span) or ``"context"`` (the text's
        main place, for a span with no candidate).
    rule : str
        What decided, e.g. ``"country in text; near other places"``.
    alternatives : tuple of Place
        The rejected candidates, best first (at most five).
    """

    mention: Mention
    place: Place | None
    score: float
    method: str
    rule: str
    alternatives: tuple[Place, ...] = field(default=())


def rank_of(place: Place) -> int:
    """Importance class of a place (7 continent ... 0 other feature)."""
    if place.feature_code == "CONT":
        return CONTINENT
    if place.feature_code == "ADM1":
        return ADMIN1
    if place.feature_code in ("ADM2", "ADM3"):
        return CITY
    return importance(place.feature_class, place.feature_code, place.population)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (numpy arrays or floats).

    Examples
    --------
    >>> round(float(haversine_km(12.65, -8.0, 36.75, 3.06)))
    2898
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class _Slot:
    """One mention with its candidates and their prior scores."""

    __slots__ = ("mention", "key", "places", "prior", "lat", "lon", "method", "pick",
                 "scores", "rule")

    def __init__(self, mention: Mention, places: Sequence[Place], method: str) -> None:
        self.mention = mention
        self.key = compact_key(mention.text)
        self.method = method
        qkey = name_key(mention.text)
        prior = [_prior(p, qkey) for p in places]
        order = sorted(range(len(places)), key=lambda k: -prior[k])[:MAX_CANDIDATES]
        self.places = [places[k] for k in order]
        self.prior = np.array([prior[k] for k in order], dtype=float)
        self.lat = np.array([p.lat for p in self.places], dtype=float)
        self.lon = np.array([p.lon for p in self.places], dtype=float)
        self.scores = self.prior.copy()
        self.pick = 0
        self.rule = ""

    @property
    def place(self) -> Place | None:
        return self.places[self.pick] if self.places else None


def _prior(place: Place, qkey: str) -> float:
    score = _RANK_PRIOR.get(rank_of(place), 0.0)
    weight = 0.3 if place.feature_class in ("A", "L") else 0.5
    score += weight * math.log10(place.population + 1)
    if name_key(place.name) == qkey:
        score += 2.5
    return score


def resolve_text(text: str, *, lexicon: Lexicon | None = None) -> list[Resolution]:
    """Find and resolve the place mentions of a text (see :func:`resolve_mentions`)."""
    lex = lexicon or default_lexicon()
    return resolve_mentions(text, find_mentions(text, lexicon=lex), lexicon=lex)


def resolve_mentions(text: str, mentions: Sequence[Mention], *,
                     lexicon: Lexicon | None = None) -> list[Resolution]:
    """Resolve mentions with the context of the whole text.

    Parameters
    ----------
    text : str
        The text the mentions' offsets point into.
    mentions : sequence of Mention
        From :func:`geomap.geoparse.mentions.find_mentions`, or gold spans.
    lexicon : Lexicon, optional
        Default: :func:`geomap.geoparse.lexicon.default_lexicon`.

    Returns
    -------
    list of Resolution
        One per mention, in the same order.

    Examples
    --------
    >>> text = "Gunmen attacked Alexandria, in Rapides Parish, Louisiana."
    >>> [(r.mention.text, r.place.country_code) for r in resolve_text(text)]
    [('Alexandria', 'US'), ('Rapides Parish', 'US'), ('Louisiana', 'US')]
    """
    lex = lexicon or default_lexicon()
    slots = [_slot(m, lex) for m in mentions]
    countries = _country_votes(slots)
    appositions = _appositions(text, slots)
    for _ in range(ROUNDS):
        for i, slot in enumerate(slots):
            if len(slot.places) > 1:
                _rescore(i, slot, slots, countries, appositions)
        countries = _country_votes(slots)
    focus = _focus(slots)
    return [_result(slot, focus) for slot in slots]


def _slot(mention: Mention, lex: Lexicon) -> _Slot:
    if mention.country:
        place = lex.country(mention.country)
        return _Slot(mention, [place] if place else [], "country")
    code = lex.code_country(mention.text)
    if code and lex.country(code):
        return _Slot(mention, [lex.country(code)], "country")
    places = lex.candidates(mention.text)
    if places:
        return _Slot(mention, places, "gazetteer")
    demonym = lex.regions.demonym(mention.text) or lex.regions.demonym(
        mention.text.rstrip("s"))
    if demonym and lex.country(demonym):
        return _Slot(mention, [lex.country(demonym)], "country")
    return _Slot(mention, _partial(mention.text, lex), "partial")


def _partial(surface: str, lex: Lexicon) -> list[Place]:
    """Candidates of the longest part of a span that names something."""
    words = [w for w in name_key(surface).split() if w not in PREFIXES]
    while words and words[0] in _GENERIC:
        words = words[1:]
    while words and words[-1] in _GENERIC:
        words = words[:-1]
    for n in range(len(words), 0, -1):
        for a in range(len(words) - n + 1):
            part = " ".join(words[a:a + n])
            entry = lex.entry(part)
            if entry and (n > 1 or entry.rank >= CITY or len(words) == 1):
                return list(lex.candidates(part))
    return []


def _country_votes(slots: list[_Slot]) -> Counter:
    votes: Counter = Counter()
    for s in slots:
        place = s.place
        if place is None or not place.country_code:
            continue
        weight = 2.0 if rank_of(place) == COUNTRY else 1.0
        if s.method != "country" and len(s.places) > 1:
            weight *= 0.5
        votes[place.country_code] += weight
    return votes


def _appositions(text: str, slots: list[_Slot]) -> dict[int, int]:
    """``i -> j`` when mention ``i`` is directly followed by ", " and mention ``j``."""
    out = {}
    for i in range(len(slots) - 1):
        a, b = slots[i].mention, slots[i + 1].mention
        if text[a.end:b.start].strip() in (",", "(") and b.start - a.end <= 3:
            out[i] = i + 1
    return out


def _rescore(i: int, slot: _Slot, slots: list[_Slot], countries: Counter,
             appositions: dict[int, int]) -> None:
    scores = slot.prior.copy()
    total = sum(countries.values()) or 1.0
    ccs = [p.country_code for p in slot.places]
    own = slot.place.country_code if slot.place else None
    for k, cc in enumerate(ccs):
        votes = countries.get(cc, 0.0) - (0.5 if cc == own else 0.0)
        if votes > 0:
            scores[k] += 2.0 + 3.0 * votes / total
    admin1 = {s.place.admin1 for j, s in enumerate(slots)
              if j != i and s.place is not None and s.place.feature_code == "ADM1"}
    held = Counter(s.place.admin1 for j, s in enumerate(slots)
                   if j != i and s.place is not None and s.place.feature_code != "ADM1"
                   and s.key != slot.key)
    for k, p in enumerate(slot.places):
        if p.feature_code != "ADM1" and p.admin1 and p.admin1 in admin1:
            scores[k] += 3.0
        elif p.feature_code == "ADM1" and held.get(p.admin1):
            scores[k] += 1.5 + min(held[p.admin1], 3) * 0.5
    _coherence(i, slot, slots, scores)
    j = appositions.get(i)
    if j is not None and slots[j].place is not None:
        outer = slots[j].place
        for k, p in enumerate(slot.places):
            if _inside(p, outer):
                scores[k] += 4.0
    slot.scores = scores
    slot.pick = int(np.argmax(scores))
    slot.rule = _explain(slot, countries, admin1, j is not None)


def _inside(place: Place, outer: Place) -> bool:
    if outer.feature_code.startswith("PCL"):
        return place.country_code == outer.country_code and place != outer
    if outer.feature_code == "ADM1":
        return place.admin1 == outer.admin1 and place != outer
    return False


def _coherence(i: int, slot: _Slot, slots: list[_Slot], scores: np.ndarray) -> None:
    others = [s.place for j, s in enumerate(slots)
              if j != i and s.key != slot.key and s.place is not None
              and rank_of(s.place) < ADMIN1 and s.method != "country"]
    if not others:
        return
    lat = np.array([p.lat for p in others])
    lon = np.array([p.lon for p in others])
    dist = haversine_km(slot.lat[:, None], slot.lon[:, None], lat[None, :], lon[None, :])
    near = dist.min(axis=1)
    close = (dist < 150).sum(axis=1)
    scores += np.where(near < 50, 2.5, np.where(near < 150, 2.0, np.where(near < 400, 1.0, 0.0)))
    scores += np.minimum(close, 4) * 0.4


def _explain(slot: _Slot, countries: Counter, admin1: set[str], apposition: bool) -> str:
    p = slot.place
    parts = []
    if p.country_code in countries:
        parts.append(f"country {p.country_code} in text")
    if p.admin1 in admin1:
        parts.append("inside an area the text names")
    if apposition:
        parts.append("apposition")
    if slot.scores[slot.pick] - slot.prior[slot.pick] > 1.5 and not parts:
        parts.append("near the text's other places")
    parts.append(f"importance {rank_of(p)}, population {p.population}")
    return "; ".join(parts)


def _focus(slots: list[_Slot]) -> Place | None:
    """The text's main place: the town or area most other places are near, else country."""
    picks = [s.place for s in slots if s.place is not None and s.method != "partial"]
    local = [p for p in picks if rank_of(p) < COUNTRY and p.feature_code != "CONT"]
    if local:
        lat = np.array([p.lat for p in local])
        lon = np.array([p.lon for p in local])
        dist = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        support = (dist < 100).sum(axis=1) + np.array(
            [0.5 if rank_of(p) >= ADMIN1 else 0.0 for p in local])
        return local[int(np.argmax(support))]
    counts = Counter(p.id for p in picks)
    return next((p for p in picks if p.id == counts.most_common(1)[0][0]), None) \
        if counts else None


def _result(slot: _Slot, focus: Place | None) -> Resolution:
    if not slot.places:
        if focus is None:
            return Resolution(slot.mention, None, 0.0, "unresolved", "no candidate")
        return Resolution(slot.mention, focus, 0.2, "context",
                          "no candidate: the text's main place")
    order = np.argsort(-slot.scores)
    best = slot.places[int(order[0])]
    if slot.method == "partial" and focus is not None and rank_of(best) < COUNTRY \
            and float(haversine_km(best.lat, best.lon, focus.lat, focus.lon)) > 400:
        return Resolution(slot.mention, focus, 0.2, "context",
                          "part of the name is far from the text's other places: "
                          "the text's main place", (best,))
    margin = float(slot.scores[order[0]] - slot.scores[order[1]]) if len(order) > 1 else 5.0
    score = round(1.0 / (1.0 + math.exp(-margin)), 3)
    if slot.method == "partial":
        score = round(score * 0.6, 3)
    alternatives = tuple(slot.places[int(k)] for k in order[1:6])
    rule = slot.rule or f"importance {rank_of(best)}, population {best.population}"
    return Resolution(slot.mention, best, score, slot.method, rule, alternatives)
