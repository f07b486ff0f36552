"""Geoparsing: from news text to place mentions, resolved places and dated events.

The steps, each returning plain data:

* :func:`find_mentions` — place mentions (gazetteer tagging with guards, demonyms);
* :func:`resolve_mentions` — each mention resolved with the whole text as context;
* :func:`find_dates` — date expressions against a publication date;
* :func:`extract_events` — candidate incidents in geomap's incident schema
  (:func:`events_frame` makes the table the ``geomap extract`` command writes).

What a span may name comes from :mod:`.lexicon` (the gazetteer, plus :mod:`.regions`:
areas, abbreviations, world regions, demonyms, country points, cached as data-only JSON
by :mod:`.regions_cache`). Resolution is :mod:`.candidates` with :mod:`.priors`, then the
text's vote (:mod:`.context`), then the text's main place (:mod:`.main_place`).

Examples
--------
>>> from geomap.geoparse import extract_events
>>> [e.location for e in extract_events("Clashes were reported in Gao on 2 March 2024.")]
['Gao']
"""

from geomap.geoparse.events import (
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    Event,
    Geoparse,
    events_frame,
    extract_events,
    geoparse,
    mentions_frame,
)
from geomap.geoparse.lexicon import Lexicon, default_lexicon
from geomap.geoparse.mentions import Mention, find_mentions
from geomap.geoparse.resolve import Resolution, resolve_mentions, resolve_text
from geomap.geoparse.timex import DateMention, find_dates

__all__ = [
    "EVENT_COLUMNS", "MENTION_COLUMNS", "DateMention", "Event", "Geoparse", "Lexicon",
    "Mention", "Resolution", "default_lexicon", "events_frame", "extract_events",
    "find_dates", "find_mentions", "geoparse", "mentions_frame", "resolve_mentions",
    "resolve_text",
]
