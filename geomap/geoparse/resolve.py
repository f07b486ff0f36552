"""Resolve place mentions with document context.

Three steps, each in its own module:

1. **readings** (:mod:`~geomap.geoparse.candidates`): each mention's candidates
   (gazetteer places, administrative areas, continents, the country of a demonym or
   code), with a prior from their importance and population
   (:mod:`~geomap.geoparse.priors`);
2. **the vote** (:mod:`~geomap.geoparse.context`): countries named in the text,
   administrative containment, spatial coherence and "Town, Region" apposition favour
   the readings that fit the other names';
3. **the main place** (:mod:`~geomap.geoparse.main_place`): a few readings that are
   more often wrong than right give way to the text's main place.

Each result keeps the candidates it rejected, best first, and the rule that decided.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from geomap.geoparse.candidates import Slot, slot_for
from geomap.geoparse.context import Document
from geomap.geoparse.lexicon import Lexicon, default_lexicon
from geomap.geoparse.main_place import focus, main_place_instead
from geomap.geoparse.mentions import Mention, find_mentions
from geomap.geoparse.priors import rank_of
from geomap.place import Place

__all__ = ["Resolution", "resolve_mentions", "resolve_text", "rank_of", "CONTEXT_SCORE",
           "LONE_MARGIN", "PARTIAL_FACTOR", "MAX_ALTERNATIVES"]

#: Score of a mention placed at the text's main place (no candidate, or a fallback).
CONTEXT_SCORE = 0.2
#: Score margin of a mention with a single reading (its score is then about 0.993).
LONE_MARGIN = 5.0
#: A reading of only part of the span is this much less certain.
PARTIAL_FACTOR = 0.6
#: Rejected readings kept per mention, best first.
MAX_ALTERNATIVES = 5
_SCORE_DECIMALS = 3


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
        The rejected candidates, best first (at most :data:`MAX_ALTERNATIVES`).
    """

    mention: Mention
    place: Place | None
    score: float
    method: str
    rule: str
    alternatives: tuple[Place, ...] = field(default=())


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
    slots = [slot_for(m, lex) for m in mentions]
    Document(text, slots).solve()
    main = focus(slots)
    return [_result(slot, main) for slot in slots]


def _score(margin: float) -> float:
    return round(1.0 / (1.0 + math.exp(-margin)), _SCORE_DECIMALS)


def _result(slot: Slot, main: Place | None) -> Resolution:
    if not slot.places:
        if main is None:
            return Resolution(slot.mention, None, 0.0, "unresolved", "no candidate")
        return Resolution(slot.mention, main, CONTEXT_SCORE, "context",
                          "no candidate: the text's main place")
    order = np.argsort(-slot.scores)
    best = slot.places[int(order[0])]
    reason = main_place_instead(slot, best, main)
    if reason:
        return Resolution(slot.mention, main, CONTEXT_SCORE, "context",
                          f"{reason}: the text's main place", (best,))
    margin = float(slot.scores[order[0]] - slot.scores[order[1]]) if len(order) > 1 \
        else LONE_MARGIN
    score = _score(margin)
    if slot.method == "partial":
        score = round(score * PARTIAL_FACTOR, _SCORE_DECIMALS)
    alternatives = tuple(slot.places[int(k)] for k in order[1:1 + MAX_ALTERNATIVES])
    rule = slot.rule or f"importance {int(rank_of(best))}, population {best.population}"
    return Resolution(slot.mention, best, score, slot.method, rule, alternatives)
