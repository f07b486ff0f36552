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

from geomap.gazetteer.features import importance
from geomap.gazetteer.normalize import compact_key, name_key
from geomap.geodesy import great_circle_km as haversine_km
from geomap.geoparse.lexicon import (
    ADMIN1,
    CAPITAL,
    CITY,
    CONTINENT,
    COUNTRY,
    PLACE,
    Lexicon,
    default_lexicon,
    word_frequency,
)
from geomap.geoparse.mentions import PREFIXES, Mention, find_mentions
from geomap.geoparse.regions import AREA_WORDS, COMPASS_WORDS
from geomap.place import Place

__all__ = ["Resolution", "resolve_mentions", "resolve_text", "rank_of", "haversine_km"]

MAX_CANDIDATES = 25
_RANK_PRIOR = {CONTINENT: 8.0, COUNTRY: 8.5, CAPITAL: 6.5, ADMIN1: 4.5, CITY: 4.0,
               PLACE: 2.0, 1: 1.0, 0: 0.0}
# prior weights: per decade of population (areas' populations are sums, so they weigh
# less), and for a reading whose own name is the span (not an alternate name)
_W_POP, _W_POP_AREA, _W_SAME_NAME = 0.5, 0.3, 2.5
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
    if place.feature_code in ("CONT", "RGN"):  # a continent or a world region
        return CONTINENT
    if place.feature_code == "ADM1":
        return ADMIN1
    if place.feature_code in ("ADM2", "ADM3"):
        return CITY
    return importance(place.feature_class, place.feature_code, place.population)


class _Slot:
    """One mention with its candidates and their prior scores."""

    __slots__ = ("mention", "key", "places", "prior", "lat", "lon", "method", "pick",
                 "scores", "rule", "names_holder", "country_support")

    def __init__(self, mention: Mention, places: Sequence[Place], method: str) -> None:
        self.mention = mention
        self.key = compact_key(mention.text)
        self.method = method
        qkey = name_key(mention.text)
        prior = _priors(places, qkey)
        order = sorted(range(len(places)), key=lambda k: -prior[k])[:MAX_CANDIDATES]
        self.places = [places[k] for k in order]
        self.prior = np.array([prior[k] for k in order], dtype=float)
        self.lat = np.array([p.lat for p in self.places], dtype=float)
        self.lon = np.array([p.lon for p in self.places], dtype=float)
        self.scores = self.prior.copy()
        self.pick = 0
        self.rule = ""
        self.names_holder = False
        self.country_support = 0.0

    @property
    def place(self) -> Place | None:
        return self.places[self.pick] if self.places else None


def _priors(places: Sequence[Place], qkey: str) -> list[float]:
    """Prior scores of a name's readings.

    A country has one capital: when several readings in one country are marked as its
    capital (the default gazetteer marks every namesake of a capital), only the most
    populous keeps the capital's weight.
    """
    capital: dict[str, int] = {}
    for p in places:
        if p.feature_code == "PPLC":
            capital[p.country_code] = max(capital.get(p.country_code, 0), p.population)
    out = [_prior(p, qkey, demote=p.feature_code == "PPLC"
                  and p.population < capital[p.country_code]) for p in places]
    return out


def _prior(place: Place, qkey: str, *, demote: bool = False) -> float:
    rank = importance(place.feature_class, "PPL", place.population) if demote \
        else rank_of(place)
    score = _RANK_PRIOR.get(rank, 0.0)
    weight = _W_POP_AREA if place.feature_class in ("A", "L") else _W_POP
    score += weight * math.log10(place.population + 1)
    if _spelled_out(name_key(place.name)) == _spelled_out(qkey):
        score += _W_SAME_NAME
    return score


_SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}


def _spelled_out(key: str) -> str:
    """A name key with its abbreviated words written out: "st petersburg" = "saint ..."."""
    return " ".join(_SPELLED_OUT.get(w, w) for w in key.split())


def resolve_text(text: str, *, lexicon: Lexicon | None = None) -> list[Resolution]:
    """Find and resolve the place mentions of a text (see :func:`resolve_mentions`)."""
    lex = lexicon or default_lexicon()
    return resolve_mentions(text, find_mentions(text, lexicon=lex), lexicon=lex)


def resolve_mentions(text: str, mentions: Sequence[Mention], *,
                     lexicon: Lexicon | None = None) -> list[Resolution]:
    """Resolve mentions with the context of the whole text.

    Mentions with the same name are one place in a text ("one sense per discourse"),
    so they are resolved together and never vote for themselves. Each reading of each
    name is then scored, over a few rounds until nothing changes, by its prior plus
    the support of the *other* names' readings, each weighted by how plausible that
    reading currently is:

    * **same country**: other names that can be read in the reading's country;
    * **same first-level area**: other names that can be read in its state or
      province, or that name that area;
    * **inside a named area**: the text names the state or province the reading lies in
      ("Lafayette" with "Louisiana"), or its county written as such ("Athens" with
      "Henderson County"); a separate, stronger vote, so that three namesakes clustered
      in another state cannot outvote the area the text names;
    * **nearby**: other names with a reading close to it (decaying with distance);
    * **"Town, Region" apposition**: the reading lies inside the next mention's area.

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
    _Document(text, slots).solve()
    focus = _focus(slots)
    return [_result(slot, focus) for slot in slots]


def _slot(mention: Mention, lex: Lexicon) -> _Slot:
    if mention.country:
        place = lex.country(mention.country)
        return _Slot(mention, [place] if place else [], "country")
    code = lex.code_country(mention.text) or lex.regions.demonym(mention.text)
    if code and lex.country(code):
        # a demonym means its country even when a hamlet shares the word ("Canadian"),
        # as in mention finding (Lexicon.entry)
        return _Slot(mention, [lex.country(code)], "country")
    places = lex.candidates(mention.text)
    if places:
        return _Slot(mention, places, "gazetteer")
    demonym = lex.regions.demonym(mention.text.rstrip("s"))
    if demonym and lex.country(demonym):
        return _Slot(mention, [lex.country(demonym)], "country")
    places, part = _partial(mention.text, lex)
    slot = _Slot(mention, places, "partial")
    slot.names_holder = _names_holder(mention.text, part)
    return slot


def _names_holder(surface: str, part: str) -> bool:
    """Whether a span's part is what the rest is named after.

    "University of California", "Bank of England", "Colorado State University": the
    part leads the span or follows "of", as institutions take their area's name. In
    "Farmers Service Centre" the part ("Centre", a French region) is only a word of the
    name.
    """
    words, part_words = name_key(surface).split(), part.split()
    n = len(part_words)
    for a in range(len(words) - n + 1):
        if words[a:a + n] == part_words:
            return a == 0 or words[a - 1] == "of"
    return False


def _partial(surface: str, lex: Lexicon) -> tuple[list[Place], str]:
    """Candidates of the longest part of a span that names something, and that part."""
    words = [w for w in name_key(surface).split() if w not in PREFIXES]
    while words and words[0] in _GENERIC:
        words = words[1:]
    while words and words[-1] in _GENERIC:
        words = words[:-1]
    for n in range(len(words), 0, -1):
        for a in range(len(words) - n + 1):
            part = " ".join(words[a:a + n])
            entry = lex.entry(part)
            if entry and entry.demonym and lex.country(entry.demonym) \
                    and _names_holder(surface, part):
                # "Russian Embassy", "European Commission": the adjective's country
                # (not "Percy French Hotel")
                return [lex.country(entry.demonym)], part
            if entry and (n > 1 or entry.rank >= CITY or len(words) == 1):
                return list(lex.candidates(part)), part
    return [], ""


def _group_key(slot: _Slot) -> str:
    if slot.method == "country" and slot.places:
        return "@" + slot.places[0].id
    return slot.key


# weights of the context features (per unit of support) and their caps
_W_COUNTRY, _CAP_COUNTRY = 1.2, 3.0
_W_ADMIN1, _CAP_ADMIN1 = 1.5, 3.0
_W_NEAR, _CAP_NEAR = 1.5, 3.0
_W_NAMED_AREA, _CAP_NAMED_AREA = 3.0, 1.0
_W_APPOSITION = 4.0
_NAMED_COUNTRY = 2.0
_NEAR_KM = 120.0  # e-folding distance of the proximity support
_FOCUS_CAP_KM = 1000.0
_TEMPERATURE = 2.0  # score difference that makes a reading e times less plausible
_ROUNDS = 6


class _Document:
    """All the readings of all the names of a text, scored jointly."""

    def __init__(self, text: str, slots: list[_Slot]) -> None:
        self.slots = slots
        by_key: dict[str, list[int]] = {}
        for i, slot in enumerate(slots):
            if slot.places:
                by_key.setdefault(_group_key(slot), []).append(i)
        self.groups = list(by_key.values())
        heads = [slots[g[0]] for g in self.groups]
        sizes = [len(h.places) for h in heads]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.places = places = [p for h in heads for p in h.places]
        self.group_of = np.repeat(np.arange(len(heads)), sizes)
        self.weight = np.array([min(len(g), 3) ** 0.5 for g in self.groups])
        self.prior = np.concatenate([h.prior for h in heads]) if places else np.zeros(0)
        self.scores = self.prior.copy()
        if not places:
            return
        cc = np.array([p.country_code or "" for p in places], dtype=object)
        a1 = np.array([_admin1(p) for p in places], dtype=object)
        ranks = np.array([rank_of(p) for p in places])
        whole = np.array([p.feature_code.startswith("PCL") or p.feature_code in ("CONT", "RGN")
                          for p in places], dtype=bool)
        local = ranks < ADMIN1
        lat = np.array([p.lat for p in places], dtype=float)
        lon = np.array([p.lon for p in places], dtype=float)
        same_cc = (cc[:, None] == cc[None, :]) & (cc[:, None] != "")
        # a country the text names weighs more than a place that may lie in it
        self.rel_country = same_cc * np.where(whole, _NAMED_COUNTRY, 1.0)[None, :]
        self.rel_admin1 = ((a1[:, None] == a1[None, :]) & (a1[:, None] != "")
                           & same_cc).astype(float)
        self.rel_admin1[whole, :] = 0.0  # a country reading gets no first-level support
        named = np.array([p.feature_code == "ADM1" for p in places], dtype=bool)
        self.rel_named = self.rel_admin1 * named[None, :]
        self._add_named_counties(heads)
        np.fill_diagonal(self.rel_named, 0.0)
        # it picks among towns, never a town over the country of the same name ("China")
        has_whole = np.logical_or.reduceat(whole, self.offsets[:-1])
        self.rel_named[has_whole[self.group_of], :] = 0.0
        dist = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        self.rel_near = np.exp(-dist / _NEAR_KM) * (local[:, None] & local[None, :])
        group_index = {i: gi for gi, g in enumerate(self.groups) for i in g}
        self.appositions = []
        for i, j in _appositions(text, slots).items():
            gi, gj = group_index.get(i), group_index.get(j)
            if gi is None or gj is None or gi == gj:
                continue
            inner = places[self.offsets[gi]:self.offsets[gi + 1]]
            outer = places[self.offsets[gj]:self.offsets[gj + 1]]
            inside = np.array([[_inside(p, q) for q in outer] for p in inner], dtype=float)
            if inside.any():
                self.appositions.append((gi, gj, inside))

    def _add_named_counties(self, heads: list[_Slot]) -> None:
        """A county the text names as such ("Henderson County") holds its towns' readings.

        Only spans written with their area word count: a bare "California" may be read as
        a county of another country, and its towns would then vote for it in a loop.
        """
        places = self.places
        for j, county in enumerate(places):
            if county.feature_code != "ADM2" or \
                    not _names_an_area(heads[self.group_of[j]].mention.text):
                continue
            for i, place in enumerate(places):
                if place.feature_code not in ("ADM1", "ADM2") and _inside(place, county):
                    self.rel_named[i, j] = 1.0

    def _support(self, rel: np.ndarray, plaus: np.ndarray) -> np.ndarray:
        """Per reading: sum over other names of max over their readings of rel * plaus."""
        best = np.maximum.reduceat(rel * plaus[None, :], self.offsets[:-1], axis=1)
        best[np.arange(len(self.places)), self.group_of] = 0.0
        return best @ self.weight

    def solve(self) -> None:
        """Iterate the scores to a fixed point and write each slot's pick."""
        if not self.places:
            return
        n = len(self.places)
        picks = None
        for _ in range(_ROUNDS):
            plaus = np.empty(n)
            for gi in range(len(self.groups)):
                a, b = self.offsets[gi], self.offsets[gi + 1]
                block = self.scores[a:b]
                plaus[a:b] = np.exp((block - block.max()) / _TEMPERATURE)
            self.features = (
                np.minimum(self._support(self.rel_country, plaus), _CAP_COUNTRY),
                np.minimum(self._support(self.rel_admin1, plaus), _CAP_ADMIN1),
                np.minimum(self._support(self.rel_near, plaus), _CAP_NEAR),
                np.minimum(self._support(self.rel_named, plaus), _CAP_NAMED_AREA),
            )
            self.apposition = np.zeros(n)
            for gi, gj, inside in self.appositions:
                outer = plaus[self.offsets[gj]:self.offsets[gj + 1]]
                self.apposition[self.offsets[gi]:self.offsets[gi + 1]] = _W_APPOSITION * (
                    inside * outer[None, :]).max(axis=1)
            self.scores = (self.prior + _W_COUNTRY * self.features[0]
                           + _W_ADMIN1 * self.features[1] + _W_NEAR * self.features[2]
                           + _W_NAMED_AREA * self.features[3] + self.apposition)
            new = [int(np.argmax(self.scores[self.offsets[g]:self.offsets[g + 1]]))
                   for g in range(len(self.groups))]
            if new == picks:
                break
            picks = new
        for gi, group in enumerate(self.groups):
            a, b = self.offsets[gi], self.offsets[gi + 1]
            for i in group:
                slot = self.slots[i]
                slot.scores = self.scores[a:b].copy()
                slot.pick = picks[gi]
                slot.rule = self._explain(a + picks[gi])
                slot.country_support = float(self.features[0][a + picks[gi]])

    def _explain(self, k: int) -> str:
        p = self.places[k]
        parts = []
        if self.features[0][k] >= 0.5:
            parts.append(f"other places in {p.country_code}")
        if self.features[1][k] >= 0.5:
            parts.append("other places in its first-level area")
        if self.features[2][k] >= 0.5:
            parts.append("near the text's other places")
        if self.features[3][k] >= 0.5:
            parts.append("inside an area the text names")
        if self.apposition[k] >= 0.5 * _W_APPOSITION:
            parts.append("apposition")
        parts.append(f"importance {rank_of(p)}, population {p.population}")
        return "; ".join(parts)


def _admin1(place: Place) -> str:
    if place.admin1:
        return place.admin1
    if place.admin2 and place.admin2.count(".") >= 2:
        return place.admin2.rsplit(".", 1)[0]
    return ""


def _appositions(text: str, slots: list[_Slot]) -> dict[int, int]:
    """``i -> j`` when mention ``i`` is directly followed by ", " and mention ``j``."""
    out = {}
    for i in range(len(slots) - 1):
        a, b = slots[i].mention, slots[i + 1].mention
        if text[a.end:b.start].strip() in (",", "(") and b.start - a.end <= 3:
            out[i] = i + 1
    return out


def _inside(place: Place, outer: Place) -> bool:
    if place == outer:
        return False
    if outer.feature_code.startswith("PCL"):
        return place.country_code == outer.country_code
    if outer.feature_code == "ADM1":
        return place.country_code == outer.country_code and _admin1(place) == outer.admin1
    if outer.feature_code == "ADM2" and place.admin2:
        return place.admin2 == outer.admin2
    if outer.feature_code == "ADM2":
        return (place.country_code == outer.country_code
                and _admin1(place) == _admin1(outer)
                and float(haversine_km(place.lat, place.lon, outer.lat, outer.lon)) < 60)
    return False


def _focus(slots: list[_Slot]) -> Place | None:
    """The text's main place: the medoid of its towns, else of its areas, else its
    most-named country.

    Towns are the mentions' readings below first-level rank (towns, cities, counties),
    one per mention (a place named three times counts three times); a state's or
    province's point is the centre of a territory, not where the story is, so those
    count only when the text names no town. The medoid is the one whose summed distance
    to the others is smallest, each distance capped at :data:`_FOCUS_CAP_KM` so that one
    far-off mention does not move the centre of an article about one city.
    """
    picks = [s.place for s in slots if s.place is not None and s.method != "partial"]
    towns = [p for p in picks if rank_of(p) < ADMIN1]
    local = towns or [p for p in picks if rank_of(p) < COUNTRY]
    if local:
        lat = np.array([p.lat for p in local])
        lon = np.array([p.lon for p in local])
        dist = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        return local[int(np.argmin(np.minimum(dist, _FOCUS_CAP_KM).sum(axis=1)))]
    counts = Counter(p.id for p in picks)
    return next((p for p in picks if p.id == counts.most_common(1)[0][0]), None) \
        if counts else None


def _names_an_area(surface: str) -> bool:
    """Whether a span ends with an area word ("Kidal Region"): its part names the area.

    Such a part is kept even far from the text's other places.
    """
    words = name_key(surface).split()
    return len(words) > 1 and words[-1] in AREA_WORDS


# a gazetteer reading this small and this far from the text's main place is less likely
# than the main place itself ("Middle East", a hamlet in the US, in an article on Syria)
_STRAY_POPULATION = 20_000
_STRAY_KM = 500.0
_COMMON_ZIPF = 3.5  # a word at least this frequent in English is a common word


def _stray_hamlet(slot: _Slot, best: Place, focus: Place) -> bool:
    """Whether a name's best reading is a small place far from the text's main place.

    A village or small town (no administrative seat, fewer than
    :data:`_STRAY_POPULATION` people) more than :data:`_STRAY_KM` from the text's main
    place, when the name has namesakes or is made of common English words: news names
    such places with their surroundings, so a lone one is more often a word that is also
    some hamlet's name ("Congress", "Middle East"), the wrong namesake, or a place the
    gazetteer lacks. The text's main place is then the better guess; the hamlet stays
    first among the alternatives. A rare name with one reading keeps it, however far.
    """
    if slot.method != "gazetteer" or best.id == focus.id:
        return False
    if rank_of(best) > PLACE or best.population >= _STRAY_POPULATION:
        return False
    if float(haversine_km(best.lat, best.lon, focus.lat, focus.lon)) <= _STRAY_KM:
        return False
    # an unambiguous rare name ("Tin Zaouatine", 1,300 km from a "BAMAKO" dateline) is
    # that place; a name with namesakes, or made of common words, may well not be
    words = name_key(slot.mention.text).split()
    common = bool(words) and all(word_frequency(w) >= _COMMON_ZIPF for w in words)
    return len(slot.places) > 1 or common


# words that name provinces in many countries ("Western", "Central", "West Coast")
_GENERIC_NAME_WORDS = frozenset({
    *COMPASS_WORDS, *(f"{w}ern" for w in COMPASS_WORDS),
    *(f"{ns}{ew}" for ns in ("north", "south") for ew in ("east", "west")),
    "central", "coast", "coastal", "gulf", "upper", "lower", "middle", "far", "highlands",
    "lakes", "capital", "islands", "region", "province"})


def _generic_area_elsewhere(slot: _Slot, best: Place, focus: Place) -> bool:
    """Whether the best reading is a province named by generic words only ("Western",
    "West Coast", "Gulf") in a country that is not the main place's and that the text
    names no other place of: dozens of countries have such a province, and the text
    means none of them ("Western officials"). "Eastern Province" in a text about Saudi
    Arabia keeps its reading."""
    if slot.method != "gazetteer" or best.feature_code not in ("ADM1", "ADM2"):
        return False
    words = set(name_key(slot.mention.text).split())
    return bool(words) and words <= _GENERIC_NAME_WORDS and slot.country_support < 0.5 \
        and best.country_code != focus.country_code


def _far_part(slot: _Slot, best: Place, focus: Place) -> bool:
    """Whether a span's part names a place far from the text's other places, and the span
    is not named after it ("Liverpool Academy" in a story on Egypt). A country, an area
    the span names as such ("Sokoto State") or an institution's area ("University of
    California") keeps its reading."""
    return slot.method == "partial" and rank_of(best) < COUNTRY \
        and (rank_of(best) < ADMIN1 or not slot.names_holder) \
        and not _names_an_area(slot.mention.text) \
        and float(haversine_km(best.lat, best.lon, focus.lat, focus.lon)) > 400


def _main_place_instead(slot: _Slot, best: Place, focus: Place | None) -> str:
    """Why the text's main place is a better guess than the best reading ("" when not)."""
    if focus is None:
        return ""
    if _far_part(slot, best, focus):
        return "part of the name is far from the text's other places"
    if _generic_area_elsewhere(slot, best, focus):
        return "a province with a generic name, in a country the text does not name"
    if _stray_hamlet(slot, best, focus):
        return "only a small place of that name, far from the text's other places"
    return ""


def _result(slot: _Slot, focus: Place | None) -> Resolution:
    if not slot.places:
        if focus is None:
            return Resolution(slot.mention, None, 0.0, "unresolved", "no candidate")
        return Resolution(slot.mention, focus, 0.2, "context",
                          "no candidate: the text's main place")
    order = np.argsort(-slot.scores)
    best = slot.places[int(order[0])]
    reason = _main_place_instead(slot, best, focus)
    if reason:
        return Resolution(slot.mention, focus, 0.2, "context",
                          f"{reason}: the text's main place", (best,))
    margin = float(slot.scores[order[0]] - slot.scores[order[1]]) if len(order) > 1 else 5.0
    score = round(1.0 / (1.0 + math.exp(-margin)), 3)
    if slot.method == "partial":
        score = round(score * 0.6, 3)
    alternatives = tuple(slot.places[int(k)] for k in order[1:6])
    rule = slot.rule or f"importance {rank_of(best)}, population {best.population}"
    return Resolution(slot.mention, best, score, slot.method, rule, alternatives)
