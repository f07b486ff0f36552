"""From an article to candidate incidents: located, dated, one per place and sentence.

Each resolved place mention gets the date of its sentence or, failing that, of its
paragraph, or the publication date. Mentions that only stand for a government or its
people ("Bamako said", "Algeria's army", "Malian") and countries named next to a
town ("near Tin Zaouatine, on the border with Algeria") locate nothing by themselves and
are not events. The result is for a person to review: every row carries its sentence
as ``notes`` and a ``confidence``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import pandas as pd

from geomap.gazetteer.features import Importance
from geomap.geoparse.lexicon import Lexicon, default_lexicon
from geomap.geoparse.mentions import find_mentions, sentences, tokenize
from geomap.geoparse.priors import rank_of
from geomap.geoparse.resolve import Resolution, resolve_mentions
from geomap.geoparse.timex import DateMention, find_dates
from geomap.place import Place

__all__ = ["Event", "Geoparse", "geoparse", "extract_events", "events_frame",
           "mentions_frame", "EVENT_COLUMNS", "MENTION_COLUMNS", "SPEECH_WINDOW",
           "LOCATIVE_WINDOW", "NO_LOCATIVE_FACTOR", "DATE_SOURCE_FACTOR", "NO_DATE_FACTOR",
           "ALTERNATIVES_LISTED"]

EVENT_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "location", "country",
    "country_code", "admin1", "latitude", "longitude", "geo_precision", "notes", "source",
    "confidence", "geocoded_name", "place_id", "date_text", "date_source", "mention_start",
    "mention_end", "alternatives",
)
MENTION_COLUMNS = ("start", "end", "text", "name", "latitude", "longitude", "country_code",
                   "score", "kind", "feature_code", "method", "rule", "alternatives")
_SPEECH = re.compile(
    r"^\s*(?:['’]s\b|has\s+|had\s+|have\s+|also\s+|on\s+\w+day\s+)?"
    r"(?:said|says|say|announced|announces|accused|accuses|denied|denies|claimed|claims|"
    r"condemned|condemns|stated|states|declared|declares|warned|warns|insisted|insists|"
    r"responded|responds|recalled|recalls|summoned|summons|rejected|rejects|called|calls|"
    r"criticised|criticized|demanded|demands|urged|urges|added|reported|reports|"
    r"confirmed|confirms|wants|hopes|argued|argues|believes)\b",
    re.I,
)
_POSSESSIVE = re.compile(r"^['’]s?\b")
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|around|from|to|into|towards?|inside|"
                       r"between|of|across|on|off|close\s+to|north\s+of|south\s+of|"
                       r"east\s+of|west\s+of)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|"
                       r"village\s+of\s+|region\s+of\s+)?$", re.I)
_PARAGRAPH = re.compile(r"\n\s*")
#: Characters after a capital or country in which speech or a possessive makes it its
#: government ("Bamako said"), and before a mention in which a locative is looked for.
SPEECH_WINDOW, LOCATIVE_WINDOW = 40, 30
#: An event's confidence is its mention's score times these: a mention without a
#: locative before it ("in", "near") is less often where something happened...
NO_LOCATIVE_FACTOR = 0.8
#: ...and a date from further away is less often the event's.
DATE_SOURCE_FACTOR = {"sentence": 1.0, "paragraph": 0.8, "publication": 0.5}
NO_DATE_FACTOR = 0.3
#: Rejected readings listed in a row's ``alternatives``.
ALTERNATIVES_LISTED = 3
_CONFIDENCE_DECIMALS = 3


@dataclass(frozen=True, slots=True)
class Event:
    """A candidate incident: a place mention with its date and sentence."""

    event_id_cnty: str
    event_date: dt.date | None
    time_precision: int | None
    event_type: str
    location: str
    country: str
    country_code: str
    admin1: str
    latitude: float
    longitude: float
    geo_precision: int
    notes: str
    source: str
    confidence: float
    geocoded_name: str
    place_id: str
    date_text: str
    date_source: str
    mention_start: int
    mention_end: int
    alternatives: str


@dataclass(frozen=True)
class Geoparse:
    """Everything found in one text: sentences, place resolutions and dates."""

    text: str
    sentences: list[tuple[int, int]]
    resolutions: list[Resolution]
    dates: list[DateMention]
    published: dt.date | None = None


def geoparse(text: str, *, published: dt.date | None = None,
             lexicon: Lexicon | None = None) -> Geoparse:
    """Find, resolve and date the place mentions of a text.

    Examples
    --------
    >>> g = geoparse("Fighting broke out in Kidal on 3 May 2024.")
    >>> [(r.mention.text, r.place.country_code) for r in g.resolutions]
    [('Kidal', 'ML')]
    >>> g.dates[0].first.isoformat()
    '2024-05-03'
    """
    lex = lexicon or default_lexicon()
    tokens = tokenize(text)
    mentions = find_mentions(text, lexicon=lex)
    return Geoparse(text, sentences(text, tokens),
                    resolve_mentions(text, mentions, lexicon=lex),
                    find_dates(text, published=published), published)


def extract_events(text: str, *, published: dt.date | None = None, source: str = "",
                   lexicon: Lexicon | None = None) -> list[Event]:
    """Return the candidate incidents of a text.

    Parameters
    ----------
    text : str
        The article.
    published : datetime.date, optional
        Its publication date (for "in December", "last week", and undated sentences).
    source : str
        Written to each event's ``source``.
    lexicon : Lexicon, optional
        Default: :func:`geomap.geoparse.lexicon.default_lexicon`.

    Examples
    --------
    >>> ev = extract_events("On August 25, 2024, a drone strike near Tin Zaouatine, on "
    ...                     "the border with Algeria, killed about twenty people, Bamako said.")
    >>> [(e.location, str(e.event_date), e.time_precision) for e in ev]
    [('Tin Zaouatine', '2024-08-25', 1)]
    """
    lex = lexicon or default_lexicon()
    g = geoparse(text, published=published, lexicon=lex)
    out: list[Event] = []
    by_sentence: dict[int, list[Resolution]] = {}
    for r in g.resolutions:
        # a span placed only by the text's main place ("context") locates nothing
        if r.place is not None and r.mention.kind == "name" and r.method != "context" \
                and not _metonymic(text, r):
            by_sentence.setdefault(r.mention.sentence, []).append(r)
    for number in sorted(by_sentence):
        chosen = _located(by_sentence[number])
        sentence = g.sentences[number] if number < len(g.sentences) else (0, len(text))
        for r in chosen:
            date, how = _date_for(text, sentence, g.dates, published, r.mention.start)
            out.append(_event(len(out) + 1, r, date, how, text, sentence, source, lex))
    return out


def _metonymic(text: str, r: Resolution) -> bool:
    """A capital or country standing for its government: "Bamako said", "Algeria's"."""
    if rank_of(r.place) < Importance.CAPITAL and r.place.feature_code != "ADM1":
        return False
    after = text[r.mention.end:r.mention.end + SPEECH_WINDOW]
    return bool(_SPEECH.match(after) or _POSSESSIVE.match(after))


def _located(group: list[Resolution]) -> list[Resolution]:
    """The mentions of one sentence that locate it: the most specific ones."""
    towns = [r for r in group
             if rank_of(r.place) < Importance.ADMIN1 or r.place.feature_code == "ADM2"]
    if towns:
        pool = towns
    else:
        areas = [r for r in group if rank_of(r.place) < Importance.COUNTRY]
        pool = areas or group[:1]
    seen, out = set(), []
    for r in pool:
        if r.place.id not in seen:
            seen.add(r.place.id)
            out.append(r)
    return out


def _date_for(text: str, sentence: tuple[int, int], dates: Sequence[DateMention],
              published: dt.date | None, at: int) -> tuple[DateMention | None, str]:
    """The date of a mention at offset ``at``: its sentence's most precise date (the
    nearest one when several: a dateline "BAMAKO, August 27 - On August 25, a strike
    near Tin Zaouatine" dates the strike the 25th), else its paragraph's, else the
    publication date."""
    a, b = sentence
    inside = [d for d in dates if a <= d.start < b]
    if inside:
        return min(inside, key=lambda d: (d.precision, abs(d.start - at))), "sentence"
    para_start = max((m.end() for m in _PARAGRAPH.finditer(text, 0, a)), default=0)
    nxt = _PARAGRAPH.search(text, b)
    para_end = nxt.start() if nxt else len(text)
    before = [d for d in dates if para_start <= d.start < a]
    if before:
        return before[-1], "paragraph"
    after = [d for d in dates if b <= d.start < para_end]
    if after:
        return after[0], "paragraph"
    if published is not None:
        return DateMention(0, 0, "", published, published, 3), "publication"
    return None, "none"


def _event(n: int, r: Resolution, date: DateMention | None, how: str, text: str,
           sentence: tuple[int, int], source: str, lex: Lexicon) -> Event:
    p = r.place
    prefix = text[max(sentence[0], r.mention.start - LOCATIVE_WINDOW):r.mention.start]
    confidence = r.score * (1.0 if _LOCATIVE.search(prefix) else NO_LOCATIVE_FACTOR)
    confidence *= DATE_SOURCE_FACTOR.get(how, NO_DATE_FACTOR)
    country = lex.country(p.country_code) if p.country_code else None
    return Event(
        event_id_cnty=f"GP{n}", event_date=date.day if date else None,
        time_precision=date.precision if date else None, event_type="",
        location=r.mention.text, country=country.name if country else "",
        country_code=p.country_code, admin1=p.admin1, latitude=p.lat, longitude=p.lon,
        geo_precision=p.precision, notes=" ".join(text[sentence[0]:sentence[1]].split()),
        source=source, confidence=round(confidence, _CONFIDENCE_DECIMALS), geocoded_name=p.name,
        place_id=p.id, date_text=date.text if date else "", date_source=how,
        mention_start=r.mention.start, mention_end=r.mention.end,
        alternatives=_listed(r.alternatives),
    )


def _listed(places: Sequence[Place]) -> str:
    return "; ".join(f"{a.name} ({a.country_code})" for a in places[:ALTERNATIVES_LISTED])


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    """Return events as a frame with geomap's incident columns (see :data:`EVENT_COLUMNS`)."""
    frame = pd.DataFrame([asdict(e) for e in events], columns=list(EVENT_COLUMNS))
    frame["event_date"] = [d.isoformat() if d else "" for d in frame["event_date"]]
    frame["time_precision"] = frame["time_precision"].astype("Int64")
    return frame


def mentions_frame(resolutions: Sequence[Resolution]) -> pd.DataFrame:
    """Return one row per place mention (see :data:`MENTION_COLUMNS`)."""
    rows = []
    for r in resolutions:
        p = r.place
        rows.append({
            "start": r.mention.start, "end": r.mention.end, "text": r.mention.text,
            "name": p.name if p else "", "latitude": p.lat if p else None,
            "longitude": p.lon if p else None, "country_code": p.country_code if p else "",
            "score": r.score, "kind": r.mention.kind,
            "feature_code": p.feature_code if p else "", "method": r.method, "rule": r.rule,
            "alternatives": _listed(r.alternatives),
        })
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
