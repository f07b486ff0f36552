"""Find place mentions in text: gazetteer matching with the guards a tagger needs.

The text is split into tokens and sentences; every capitalised n-gram (up to six tokens,
lower-case connectors such as "of" or "de" allowed inside) is looked up in the
:class:`~geomap.geoparse.lexicon.Lexicon`, longest first. A match is kept only if it
passes the guards:

* **capitalisation**: a mention starts and ends with a capitalised word; a short
  all-capitals token is only a country code ("US", "UK", "U.S.");
* **common words**: a name that is also a frequent English word ("Police", "May",
  "Street") needs a place important enough to outweigh that frequency, more so at the
  start of a sentence;
* **names of people and organisations**: a match inside a longer capitalised run
  ("Raquel Henry", "President Obama") is dropped unless the words before it are
  directions or a sentence-initial function word, and a match used as a modifier
  ("Chicago Police") must be an important place; a name seen as part of such a run
  (a surname) is not a place elsewhere in the same text either;
* **demonyms** ("Malian", "Algerian") are mentions of their country; plural
  demonyms ("Malians") name people, not places.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from geomap.gazetteer.features import Importance
from geomap.geoparse.lexicon import Entry, Lexicon, default_lexicon, word_frequency

__all__ = ["Token", "Mention", "tokenize", "sentences", "find_mentions", "iter_ngrams",
           "MAX_TOKENS", "CONNECTORS", "PREFIXES", "FUNCTION_WORDS", "TITLES",
           "FREQUENCY_BARS", "FREQUENT_WORD_BAR", "INITIAL_FREQUENCY_BONUS",
           "INITIAL_FUNCTION_ZIPF", "COMMON_PHRASE_ZIPF", "MODIFIER_BAR", "MIN_CODE_LETTERS",
           "MAX_ACRONYM_LETTERS"]

MAX_TOKENS = 6
#: What a one-word name needs to be a mention, by its English frequency (Zipf scale):
#: below each frequency, at least that importance, and a first-level rank or that
#: population. A word more frequent than all of them must name a country.
FREQUENCY_BARS = (
    (3.6, Importance.OTHER, 0),
    (4.4, Importance.OTHER, 5_000),
    (5.0, Importance.CITY, 100_000),
    (5.6, Importance.CAPITAL, 500_000),
)
FREQUENT_WORD_BAR = (Importance.COUNTRY, 0)
#: A sentence's first word counts as this much more frequent: capitals there are no sign.
INITIAL_FREQUENCY_BONUS = 0.7
#: A sentence's first word this frequent is a function word, not part of a name.
INITIAL_FUNCTION_ZIPF = 5.5
#: A name made only of words this frequent ("Police Department") must be a city.
COMMON_PHRASE_ZIPF = 5.0
#: A name used as a modifier ("Chicago Police") must be this important or this populous.
MODIFIER_BAR = (Importance.CITY, 50_000)
#: Country codes have at least this many letters; one-word all-capitals tokens up to
#: this many are acronyms ("AP", "CNN"), not places.
MIN_CODE_LETTERS, MAX_ACRONYM_LETTERS = 2, 4
_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"                       # U.S., U.K.
    r"|[^\W\d_](?:[\w]|['’\-](?=[^\W\d_]))*"  # words, with inner hyphens and apostrophes
    r"|\d+(?:[.,]\d+)*"
    r"|[^\w\s]"
)
_POSSESSIVE = re.compile(r"['’]s$")
CONNECTORS = frozenset({"of", "de", "du", "des", "la", "le", "les", "el", "al", "upon",
                        "on", "sur", "en", "del", "da", "do", "di", "y", "am", "an", "the"})
# words that may stand before a place inside a capitalised run
PREFIXES = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                      "western", "central", "northeast", "northwest", "southeast", "southwest",
                      "northeastern", "northwestern", "southeastern", "southwestern", "upper",
                      "lower", "greater", "downtown", "metro", "metropolitan", "rural",
                      "suburban", "inner", "outer", "mid", "coastal", "old", "new"})
# function words capitalised only because they start a sentence or a title
FUNCTION_WORDS = frozenset("""a an the in on at by for from to into of off over under
near after before since during until while when where if as but and or nor so yet then
this that these those there here his her its their our my your we they he she it i you
all some many most several both each every no not one two three four five six seven
eight nine ten about across against along among around behind below beside between
beyond despite inside outside through throughout toward towards upon with within without
according also although because however meanwhile moreover last next early late more
what which who whom whose how why than once still even just only other another such
mr mrs ms dr sen rep gov gen lt col sgt capt prof rev st""".split())
# words after which a capitalised run is a person or an office, not a place
TITLES = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col",
                    "sgt", "capt", "prof", "rev", "president", "minister", "senator",
                    "governor", "mayor", "judge", "officer", "sheriff", "chief", "king",
                    "queen", "prince", "princess", "lord", "sir", "pope", "saint",
                    "general", "colonel", "captain", "deputy", "secretary", "director",
                    "coach", "detective", "sergeant", "lieutenant", "justice", "attorney"})
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "mt", "ft", "sen", "rep", "gov",
                            "gen", "lt", "col", "sgt", "capt", "prof", "rev", "jr", "sr",
                            "inc", "co", "corp", "ltd", "no", "vs", "ave", "blvd", "rd",
                            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                            "oct", "nov", "dec", "u.s", "a.m", "p.m"})


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark with its character offsets."""

    start: int
    end: int
    text: str
    sentence: int = 0

    @property
    def capitalised(self) -> bool:
        """Whether the token starts with an upper-case letter."""
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names a place.

    Attributes
    ----------
    start, end : int
        Character offsets into the text (``text[start:end]`` is the mention).
    text : str
        The span as written.
    kind : str
        ``"name"`` (a gazetteer name), ``"demonym"`` (a country's adjective) or
        ``"code"`` (a country code such as "U.S.").
    sentence : int
        Index of the sentence the mention is in.
    country : str or None
        For demonyms and codes, the ISO alpha-2 code (``@XX`` for a continent).
    """

    start: int
    end: int
    text: str
    kind: str = "name"
    sentence: int = 0
    country: str | None = None


def tokenize(text: str) -> list[Token]:
    """Split text into tokens with offsets and sentence numbers.

    Examples
    --------
    >>> [t.text for t in tokenize("Mali's army left Ti-n-Zaouâtene. The U.S. said")]
    ['Mali', "'s", 'army', 'left', 'Ti-n-Zaouâtene', '.', 'The', 'U.S.', 'said']
    """
    tokens: list[Token] = []
    sentence = 0
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        if tokens and _ends_sentence(tokens[-1], tokens[-2] if len(tokens) > 1 else None,
                                     text, m):
            sentence += 1
        poss = _POSSESSIVE.search(word)
        if poss and len(word) > 2:
            cut = poss.start()
            tokens.append(Token(start, start + cut, word[:cut], sentence))
            tokens.append(Token(start + cut, m.end(), word[cut:], sentence))
        else:
            tokens.append(Token(start, m.end(), word, sentence))
    return tokens


def _ends_sentence(prev: Token, before: Token | None, text: str, nxt: re.Match) -> bool:
    gap = text[prev.end:nxt.start()]
    if "\n" in gap and (gap.count("\n") > 1 or prev.text in ".!?:\"”"):
        return True
    if "\n" in gap and nxt.group()[:1].isupper() and not prev.text[:1].isalnum():
        return True
    if prev.text not in (".", "!", "?") or not gap.strip() == "" or not gap:
        return prev.text in ("!", "?") and bool(gap)
    if before is not None and before.text.lower() in _ABBREVIATIONS:
        return False
    if before is not None and len(before.text) == 1 and before.text.isupper():
        return False  # an initial: "John F. Kennedy"
    return nxt.group()[:1].isupper() or nxt.group()[:1] in "\"“'‘(" or nxt.group().isdigit()


def sentences(text: str, tokens: list[Token] | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character offsets of each sentence.

    Examples
    --------
    >>> text = "Gao is calm. Dr. Keita went to Kidal!"
    >>> [text[a:b] for a, b in sentences(text)]
    ['Gao is calm.', 'Dr. Keita went to Kidal!']
    """
    tokens = tokenize(text) if tokens is None else tokens
    spans: dict[int, list[int]] = {}
    for t in tokens:
        span = spans.setdefault(t.sentence, [t.start, t.end])
        span[1] = t.end
    return [tuple(v) for _, v in sorted(spans.items())]


def find_mentions(text: str, *, lexicon: Lexicon | None = None) -> list[Mention]:
    """Find the place mentions of a text.

    Parameters
    ----------
    text : str
        The article (offsets are into this string).
    lexicon : Lexicon, optional
        Default: :func:`geomap.geoparse.lexicon.default_lexicon`.

    Returns
    -------
    list of Mention
        In text order, not overlapping.

    Examples
    --------
    >>> ms = find_mentions("The Malian army said the Police of Bamako left Gao in May.")
    >>> [(m.text, m.kind) for m in ms]
    [('Malian', 'demonym'), ('Bamako', 'name'), ('Gao', 'name')]
    """
    lex = lexicon or default_lexicon()
    tokens = tokenize(text)
    starts = _sentence_starts(tokens)
    surnames = _person_words(tokens, starts)
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        found = _match_at(text, tokens, i, starts, surnames, lex)
        if found is None:
            i += 1
            continue
        out.append(found[0])
        i = found[1]
    return out


def _sentence_starts(tokens: list[Token]) -> set[int]:
    starts, last = set(), -1
    for i, t in enumerate(tokens):
        if t.sentence != last:
            starts.add(i)
            last = t.sentence
            # an opening quote or bracket does not start the words
            if not t.text[:1].isalnum():
                starts.add(i + 1)
    return starts


def _initial_function(tokens: list[Token], i: int, starts: set[int]) -> bool:
    word = tokens[i].text.lower()
    return i in starts and (word in FUNCTION_WORDS
                            or word_frequency(word) >= INITIAL_FUNCTION_ZIPF)


def _run_bounds(tokens: list[Token], a: int, b: int, starts: set[int]) -> tuple[int, int]:
    """Extend the span [a, b) to the capitalised run around it."""
    lo = a
    while lo > 0 and tokens[lo - 1].sentence == tokens[a].sentence:
        prev = tokens[lo - 1]
        if prev.capitalised and not _initial_function(tokens, lo - 1, starts):
            lo -= 1
        else:
            break
    hi = b
    while hi < len(tokens) and tokens[hi].sentence == tokens[a].sentence \
            and tokens[hi].capitalised:
        hi += 1
    return lo, hi


def _person_words(tokens: list[Token], starts: set[int]) -> set[str]:
    """Words that follow a title or a first name in the text: surnames, not places."""
    out: set[str] = set()
    for i in range(1, len(tokens)):
        t, prev = tokens[i], tokens[i - 1]
        if not t.capitalised or prev.sentence != t.sentence:
            continue
        title = prev.text.lower().rstrip(".") in TITLES or (
            prev.text == "." and i >= 2 and tokens[i - 2].text.lower() in TITLES)
        if title:
            j = i
            while j < len(tokens) and tokens[j].capitalised and tokens[j].sentence == t.sentence:
                out.add(tokens[j].text)
                j += 1
    return out


def _span_ok(tokens: list[Token], a: int, n: int) -> bool:
    span = tokens[a:a + n]
    if len({t.sentence for t in span}) > 1:
        return False
    if not (span[0].capitalised and span[-1].capitalised):
        return False
    for k, t in enumerate(span):
        if t.capitalised or t.text in CONNECTORS:
            continue
        if t.text == "." and k and span[k - 1].text.lower() in ("st", "ste", "mt", "ft", "pt"):
            continue
        return False
    return True


def _match_at(text: str, tokens: list[Token], i: int, starts: set[int], surnames: set[str],
              lex: Lexicon) -> tuple[Mention, int] | None:
    tok = tokens[i]
    if not tok.capitalised:
        return None
    code = lex.code_country(tok.text) if tok.text.isupper() else None
    if code and len(tok.text) >= MIN_CODE_LETTERS:
        if not _all_caps_sentence(tokens, i) or "." in tok.text:
            return Mention(tok.start, tok.end, tok.text, "code", tok.sentence, code), i + 1
    for n in range(min(MAX_TOKENS, len(tokens) - i), 0, -1):
        if not _span_ok(tokens, i, n):
            continue
        a, b = tokens[i].start, tokens[i + n - 1].end
        surface = text[a:b]
        if n == 1 and tok.text.isupper() and len(tok.text) <= MAX_ACRONYM_LETTERS:
            continue  # acronyms ("AP", "CNN") are not places
        if n == 1 and tok.text.lower() in PREFIXES:
            continue  # "Northern", "Greater" alone
        entry = lex.entry(surface)
        if entry is None:
            continue
        if entry.demonym:
            if n == 1 and _plural_demonym(tok.text, lex):
                return None
            return Mention(a, b, surface, "demonym", tok.sentence, entry.demonym), i + n
        if _guarded(tokens, i, n, entry, starts, surnames):
            return None
        return Mention(a, b, surface, "name", tok.sentence), i + n
    if _plural_demonym(tok.text, lex):
        return None
    return None


def _plural_demonym(word: str, lex: Lexicon) -> bool:
    for cut in (1, 2):
        if word.endswith("s") and lex.regions.demonyms.get(word[:-cut].lower()):
            return True
    return False


def _all_caps_sentence(tokens: list[Token], i: int) -> bool:
    words = [t.text for t in tokens if t.sentence == tokens[i].sentence and t.text.isalpha()]
    return len(words) > 2 and all(w.isupper() for w in words)


def _needed_rank(freq: float, initial: bool) -> tuple[Importance, int]:
    """Minimal (rank, population) for a one-word name of this English frequency."""
    if initial:
        freq += INITIAL_FREQUENCY_BONUS
    for below, rank, pop in FREQUENCY_BARS:
        if freq < below:
            return rank, pop
    return FREQUENT_WORD_BAR


def _strong(entry: Entry, rank: Importance, pop: int) -> bool:
    return entry.rank >= max(rank, Importance.AREA) \
        and (entry.rank >= Importance.ADMIN1 or entry.population >= pop)


def _guarded(tokens: list[Token], i: int, n: int, entry: Entry, starts: set[int],
             surnames: set[str]) -> bool:
    """Tell whether a lexicon match must be dropped (see the module docstring)."""
    span = tokens[i:i + n]
    if n == 1:
        word = span[0].text
        if word in surnames and entry.rank < Importance.COUNTRY:
            return True
        initial = i in starts
        rank, pop = _needed_rank(word_frequency(word), initial)
        if (rank or pop) and not _strong(entry, rank, pop):
            return True
    elif all(word_frequency(t.text) >= COMMON_PHRASE_ZIPF
             for t in span if t.text not in CONNECTORS):
        if entry.rank < Importance.CITY:
            return True
    lo, hi = _run_bounds(tokens, i, i + n, starts)
    before = [t.text.lower() for t in tokens[lo:i]]
    if before and not all(w in PREFIXES or w in CONNECTORS for w in before):
        if entry.rank < Importance.COUNTRY \
                and not (entry.rank >= Importance.ADMIN1 and len(before) == 1):
            return True
    if i > 0 and tokens[i - 1].text.lower().rstrip(".") in TITLES:
        return True
    if hi > i + n and not _strong(entry, *MODIFIER_BAR):
        return True
    return False


def iter_ngrams(tokens: list[Token], max_tokens: int = MAX_TOKENS) -> Iterator[tuple[int, int]]:
    """Yield ``(start_index, length)`` of every capitalised n-gram (for diagnostics)."""
    for i in range(len(tokens)):
        for n in range(1, max_tokens + 1):
            if i + n <= len(tokens) and _span_ok(tokens, i, n):
                yield i, n
