"""Each mention's readings: the places it may mean, with their prior scores.

A mention's readings come, in this order of preference, from the country it names (a
demonym or a code), the lexicon's candidates for the whole span, a plural demonym, or
the candidates of the longest part of the span that names something ("Sokoto" in
"Sokoto State Police").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geomap.gazetteer.features import Importance
from geomap.gazetteer.normalize import compact_key, name_key
from geomap.geoparse.lexicon import Lexicon
from geomap.geoparse.mentions import PREFIXES, Mention
from geomap.geoparse.priors import priors
from geomap.place import Place

__all__ = ["MAX_CANDIDATES", "GENERIC_WORDS", "Slot", "slot_for", "names_holder",
           "partial_candidates"]

#: A mention keeps at most this many readings, best prior first.
MAX_CANDIDATES = 25
#: Words that a span's part is trimmed of before it is looked up ("the", "river" ...).
GENERIC_WORDS = ("the", "city", "town", "village", "county", "parish", "province", "region",
                 "state", "district", "river", "lake", "mount", "island", "valley", "area")
# a one-word part names something only if it is at least a city (or is the whole span)
_MIN_PART_IMPORTANCE = Importance.CITY
# the word that links an institution to its area ("Bank of England")
_NAMED_AFTER_LINK = "of"


class Slot:
    """One mention with its readings, their prior and current scores, and the pick.

    Attributes
    ----------
    mention : Mention
        The span.
    places : list of Place
        The readings, best prior first (at most :data:`MAX_CANDIDATES`).
    prior, scores : numpy.ndarray
        Prior and current score of each reading.
    method : str
        Where the readings came from: ``"country"``, ``"gazetteer"`` or ``"partial"``.
    pick : int
        Index of the chosen reading.
    rule : str
        Why it was chosen (written by the context step).
    names_holder : bool
        For a partial span: whether the span is named after its part.
    country_support : float
        How strongly the text's other names support the pick's country.
    """

    __slots__ = ("mention", "key", "places", "prior", "lat", "lon", "method", "pick",
                 "scores", "rule", "names_holder", "country_support")

    def __init__(self, mention: Mention, places: Sequence[Place], method: str) -> None:
        self.mention = mention
        self.key = compact_key(mention.text)
        self.method = method
        qkey = name_key(mention.text)
        prior = priors(places, qkey)
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
        """The chosen reading (``None`` when there is none)."""
        return self.places[self.pick] if self.places else None

    @property
    def group_key(self) -> str:
        """Mentions with the same key are one place in a text: a country's mentions
        (by name, code or demonym) share the country's key."""
        if self.method == "country" and self.places:
            return "@" + self.places[0].id
        return self.key


def slot_for(mention: Mention, lex: Lexicon) -> Slot:
    """The readings of one mention (see the module docstring)."""
    if mention.country:
        place = lex.country(mention.country)
        return Slot(mention, [place] if place else [], "country")
    code = lex.code_country(mention.text) or lex.regions.demonym(mention.text)
    if code and lex.country(code):
        # a demonym means its country even when a hamlet shares the word ("Canadian"),
        # as in mention finding (Lexicon.entry)
        return Slot(mention, [lex.country(code)], "country")
    places = lex.candidates(mention.text)
    if places:
        return Slot(mention, places, "gazetteer")
    demonym = lex.regions.demonym(mention.text.rstrip("s"))
    if demonym and lex.country(demonym):
        return Slot(mention, [lex.country(demonym)], "country")
    places, part = partial_candidates(mention.text, lex)
    slot = Slot(mention, places, "partial")
    slot.names_holder = names_holder(mention.text, part)
    return slot


def names_holder(surface: str, part: str) -> bool:
    """Whether a span's part is what the rest is named after.

    "University of California", "Bank of England", "Colorado State University": the
    part leads the span or follows "of", as institutions take their area's name. In
    "Farmers Service Centre" the part ("Centre", a French region) is only a word of the
    name.

    Examples
    --------
    >>> names_holder("University of California", "california")
    True
    >>> names_holder("Farmers Service Centre", "centre")
    False
    """
    words, part_words = name_key(surface).split(), part.split()
    n = len(part_words)
    for a in range(len(words) - n + 1):
        if words[a:a + n] == part_words:
            return a == 0 or words[a - 1] == _NAMED_AFTER_LINK
    return False


def partial_candidates(surface: str, lex: Lexicon) -> tuple[list[Place], str]:
    """Candidates of the longest part of a span that names something, and that part."""
    words = [w for w in name_key(surface).split() if w not in PREFIXES]
    while words and words[0] in GENERIC_WORDS:
        words = words[1:]
    while words and words[-1] in GENERIC_WORDS:
        words = words[:-1]
    for n in range(len(words), 0, -1):
        for a in range(len(words) - n + 1):
            part = " ".join(words[a:a + n])
            entry = lex.entry(part)
            if entry and entry.demonym and lex.country(entry.demonym) \
                    and names_holder(surface, part):
                # "Russian Embassy", "European Commission": the adjective's country
                # (not "Percy French Hotel")
                return [lex.country(entry.demonym)], part
            if entry and (n > 1 or entry.rank >= _MIN_PART_IMPORTANCE or len(words) == 1):
                return list(lex.candidates(part)), part
    return [], ""
