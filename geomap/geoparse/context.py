"""The text votes: all the readings of all the names of a text, scored jointly.

Each reading's score is its prior (:mod:`geomap.geoparse.priors`) plus the support of
the *other* names' readings, each weighted by how plausible that reading currently is,
over a few rounds until the picks stop changing:

* **same country**: other names that can be read in the reading's country (a country
  the text names weighs :data:`NAMED_COUNTRY` times a place that may lie in it);
* **same first-level area**: other names that can be read in its state or province, or
  that name that area;
* **inside a named area**: the text names the state or province the reading lies in, or
  its county written as such ("Henderson County");
* **nearby**: other names with a reading close to it (decaying with distance);
* **"Town, Region" apposition**: the reading lies inside the next mention's area.

Each feature has a weight and a cap (:data:`FEATURES`); the rule text of a pick names
the features that supported it.
"""

from __future__ import annotations

import numpy as np

from geomap.gazetteer.features import Importance
from geomap.geodesy import great_circle_km
from geomap.geoparse.areas import names_an_area
from geomap.geoparse.candidates import Slot
from geomap.geoparse.priors import rank_of
from geomap.place import Place

__all__ = ["Feature", "FEATURES", "W_APPOSITION", "NAMED_COUNTRY", "NEAR_KM", "TEMPERATURE",
           "ROUNDS", "MAX_REPEATS", "COUNTY_RADIUS_KM", "SUPPORT_SHOWN", "APPOSITION_GAP",
           "Document", "admin1_of", "appositions", "inside"]


class Feature:
    """A context feature: its weight per unit of support, its cap, its rule text."""

    __slots__ = ("weight", "cap", "text")

    def __init__(self, weight: float, cap: float, text: str) -> None:
        self.weight, self.cap, self.text = weight, cap, text


#: The context features, in the order the rule text names them. "named area" is a
#: separate, stronger vote, so that three namesakes clustered in another state cannot
#: outvote the area the text names.
FEATURES = {
    "country": Feature(1.2, 3.0, "other places in {country}"),
    "admin1": Feature(1.5, 3.0, "other places in its first-level area"),
    "near": Feature(1.5, 3.0, "near the text's other places"),
    "named area": Feature(3.0, 1.0, "inside an area the text names"),
}
#: Weight of "Town, Region" apposition (uncapped: one vote).
W_APPOSITION = 4.0
#: A country the text names weighs this many times a place that may lie in it.
NAMED_COUNTRY = 2.0
#: e-folding distance of the proximity support.
NEAR_KM = 120.0
#: Score difference that makes a reading e times less plausible.
TEMPERATURE = 2.0
#: Rounds of voting at most (the picks usually settle in two or three).
ROUNDS = 6
#: A name written several times votes as sqrt(times), counting at most this many.
MAX_REPEATS = 3
#: A place without a county code lies in a county when this close to its point.
COUNTY_RADIUS_KM = 60.0
#: A feature is named in the rule text when its support reaches this (apposition: this
#: share of its weight).
SUPPORT_SHOWN = 0.5
#: "Kidal, Mali": the second mention starts at most this many characters after the first,
#: with only one of :data:`APPOSITION_SEPARATORS` between them.
APPOSITION_GAP = 3
APPOSITION_SEPARATORS = (",", "(")
_WHOLE_CODES = ("CONT", "RGN")  # besides countries (PCL*), features that are a whole


class Document:
    """All the readings of all the names of a text, scored jointly.

    Mentions with the same :attr:`Slot.group_key` are one place in a text ("one sense
    per discourse"), so they are resolved together and never vote for themselves.
    """

    def __init__(self, text: str, slots: list[Slot]) -> None:
        self.slots = slots
        by_key: dict[str, list[int]] = {}
        for i, slot in enumerate(slots):
            if slot.places:
                by_key.setdefault(slot.group_key, []).append(i)
        self.groups = list(by_key.values())
        heads = [slots[g[0]] for g in self.groups]
        sizes = [len(h.places) for h in heads]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.places = places = [p for h in heads for p in h.places]
        self.group_of = np.repeat(np.arange(len(heads)), sizes)
        self.weight = np.array([min(len(g), MAX_REPEATS) ** 0.5 for g in self.groups])
        self.prior = np.concatenate([h.prior for h in heads]) if places else np.zeros(0)
        self.scores = self.prior.copy()
        self.appositions: list[tuple[int, int, np.ndarray]] = []
        if places:
            self._relations(heads)
            self._add_appositions(text)

    def _relations(self, heads: list[Slot]) -> None:
        """Which readings support which: same country, same first-level area, named
        area, nearby."""
        places = self.places
        cc = np.array([p.country_code or "" for p in places], dtype=object)
        a1 = np.array([admin1_of(p) for p in places], dtype=object)
        ranks = np.array([rank_of(p) for p in places])
        whole = np.array([p.feature_code.startswith("PCL") or p.feature_code in _WHOLE_CODES
                          for p in places], dtype=bool)
        local = ranks < Importance.ADMIN1
        lat = np.array([p.lat for p in places], dtype=float)
        lon = np.array([p.lon for p in places], dtype=float)
        same_cc = (cc[:, None] == cc[None, :]) & (cc[:, None] != "")
        # a country the text names weighs more than a place that may lie in it
        self.rel_country = same_cc * np.where(whole, NAMED_COUNTRY, 1.0)[None, :]
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
        dist = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        self.rel_near = np.exp(-dist / NEAR_KM) * (local[:, None] & local[None, :])

    def _add_appositions(self, text: str) -> None:
        places = self.places
        group_index = {i: gi for gi, g in enumerate(self.groups) for i in g}
        for i, j in appositions(text, self.slots).items():
            gi, gj = group_index.get(i), group_index.get(j)
            if gi is None or gj is None or gi == gj:
                continue
            inner = places[self.offsets[gi]:self.offsets[gi + 1]]
            outer = places[self.offsets[gj]:self.offsets[gj + 1]]
            within = np.array([[inside(p, q) for q in outer] for p in inner], dtype=float)
            if within.any():
                self.appositions.append((gi, gj, within))

    def _add_named_counties(self, heads: list[Slot]) -> None:
        """A county the text names as such ("Henderson County") holds its towns' readings.

        Only spans written with their area word count: a bare "California" may be read as
        a county of another country, and its towns would then vote for it in a loop.
        """
        places = self.places
        for j, county in enumerate(places):
            if county.feature_code != "ADM2" or \
                    not names_an_area(heads[self.group_of[j]].mention.text):
                continue
            for i, place in enumerate(places):
                if place.feature_code not in ("ADM1", "ADM2") and inside(place, county):
                    self.rel_named[i, j] = 1.0

    def _support(self, rel: np.ndarray, plaus: np.ndarray) -> np.ndarray:
        """Per reading: sum over other names of max over their readings of rel * plaus."""
        best = np.maximum.reduceat(rel * plaus[None, :], self.offsets[:-1], axis=1)
        best[np.arange(len(self.places)), self.group_of] = 0.0
        return best @ self.weight

    def _vote(self, plaus: np.ndarray) -> None:
        """One round: each feature's capped support, the appositions, the new scores."""
        rels = (self.rel_country, self.rel_admin1, self.rel_near, self.rel_named)
        self.features = tuple(np.minimum(self._support(rel, plaus), feature.cap)
                              for rel, feature in zip(rels, FEATURES.values(), strict=True))
        self.apposition = np.zeros(len(self.places))
        for gi, gj, within in self.appositions:
            outer = plaus[self.offsets[gj]:self.offsets[gj + 1]]
            self.apposition[self.offsets[gi]:self.offsets[gi + 1]] = W_APPOSITION * (
                within * outer[None, :]).max(axis=1)
        scores = self.prior
        for support, feature in zip(self.features, FEATURES.values(), strict=True):
            scores = scores + feature.weight * support
        self.scores = scores + self.apposition

    def solve(self) -> None:
        """Iterate the scores to a fixed point and write each slot's pick."""
        if not self.places:
            return
        picks = None
        for _ in range(ROUNDS):
            plaus = np.empty(len(self.places))
            for gi in range(len(self.groups)):
                a, b = self.offsets[gi], self.offsets[gi + 1]
                block = self.scores[a:b]
                plaus[a:b] = np.exp((block - block.max()) / TEMPERATURE)
            self._vote(plaus)
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
        parts = [feature.text.format(country=p.country_code)
                 for support, feature in zip(self.features, FEATURES.values(), strict=True)
                 if support[k] >= SUPPORT_SHOWN]
        if self.apposition[k] >= SUPPORT_SHOWN * W_APPOSITION:
            parts.append("apposition")
        parts.append(f"importance {int(rank_of(p))}, population {p.population}")
        return "; ".join(parts)


def admin1_of(place: Place) -> str:
    """The first-level area code of a place, from its county's code when it has no own.

    Examples
    --------
    >>> admin1_of(Place("x", "Athens", "US", 32.2, -95.9, admin2="US.TX.213"))
    'US.TX'
    """
    if place.admin1:
        return place.admin1
    if place.admin2 and place.admin2.count(".") >= 2:
        return place.admin2.rsplit(".", 1)[0]
    return ""


def appositions(text: str, slots: list[Slot]) -> dict[int, int]:
    """``i -> j`` when mention ``i`` is directly followed by ", " and mention ``j``."""
    out = {}
    for i in range(len(slots) - 1):
        a, b = slots[i].mention, slots[i + 1].mention
        if text[a.end:b.start].strip() in APPOSITION_SEPARATORS \
                and b.start - a.end <= APPOSITION_GAP:
            out[i] = i + 1
    return out


def inside(place: Place, outer: Place) -> bool:
    """Whether ``place`` lies in the country, first-level area or county ``outer``."""
    if place == outer:
        return False
    if outer.feature_code.startswith("PCL"):
        return place.country_code == outer.country_code
    if outer.feature_code == "ADM1":
        return place.country_code == outer.country_code and admin1_of(place) == outer.admin1
    if outer.feature_code == "ADM2" and place.admin2:
        return place.admin2 == outer.admin2
    if outer.feature_code == "ADM2":
        return (place.country_code == outer.country_code
                and admin1_of(place) == admin1_of(outer)
                and float(great_circle_km(place.lat, place.lon, outer.lat, outer.lon))
                < COUNTY_RADIUS_KM)
    return False
