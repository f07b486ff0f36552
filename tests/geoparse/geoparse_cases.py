"""Texts and helpers the geoparse tests share."""

from __future__ import annotations

from geomap.geoparse import Mention, find_mentions

__all__ = ["ACCEPTANCE", "mention_texts", "spans"]

ACCEPTANCE = ("On August 25, 2024, a drone strike near Tin Zaouatine, on the border with "
              "Algeria, killed about twenty people, Bamako said. The Malian army said it hit "
              "terrorists. Algiers condemned the strike.")


def mention_texts(text: str) -> list[str]:
    """The spans mention finding keeps, in order."""
    return [m.text for m in find_mentions(text)]


def spans(text: str, names: list[str]) -> list[Mention]:
    """Gold mentions of ``names``, found in order in ``text`` (all in sentence 0)."""
    out, at = [], 0
    for name in names:
        start = text.index(name, at)
        out.append(Mention(start, start + len(name), name, "name", 0))
        at = start + len(name)
    return out
