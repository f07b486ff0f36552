"""Turn a place name as people write it into lookup keys.

One function, :func:`name_key`, decides what counts as "the same name"; the gazetteer
stores and queries nothing else. :func:`compact_key` drops the separators too, so that
"Tin Zaouaten", "Tin-Zaouaten" and "Tinzaouaten" meet.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "compact_key", "skeleton", "skeleton_of_key", "query_variants", "is_code",
           "CODE_LENGTHS"]

# Apostrophes, hyphens, dashes, dots, underscores, slashes and the like become a space.
_SEPARATORS = re.compile(
    r"[\s\-\u2010-\u2015\u2212_.,/\\'`\u2018\u2019\u02bc\u02bb\u00b4()\[\]\"]+"
)
_FOLD = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ɔ": "o",
        "ɛ": "e",
        "ŋ": "n",
        "ɲ": "ny",
    }
)


def name_key(name: str) -> str:
    """Return the lookup key of a written place name.

    Unicode NFKC, case folded, accents stripped, Latin letters that do not decompose
    (ø, ɔ, ɛ, ...) folded, hyphens, apostrophes, dots and runs of spaces unified into one
    space. Non-Latin scripts are kept (case folded) so Arabic names still match exactly.

    Parameters
    ----------
    name : str
        A place name as written.

    Returns
    -------
    str
        The key; empty when the name has no letters or digits.

    Examples
    --------
    >>> name_key("Tin-Zaouatene")
    'tin zaouatene'
    >>> name_key("Ti-n-Zaouâtene")
    'ti n zaouatene'
    >>> name_key("  Bamakó ")
    'bamako'
    >>> name_key("N’Tillit")
    'n tillit'
    >>> name_key("Bàmakɔ")
    'bamako'
    """
    if name.isascii():  # fast path: nothing to decompose or fold
        return _SEPARATORS.sub(" ", name.lower()).strip()
    text = unicodedata.normalize("NFKC", name).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_FOLD)
    text = _SEPARATORS.sub(" ", text)
    return text.strip()


def compact_key(name: str) -> str:
    """Return :func:`name_key` without any separator.

    Examples
    --------
    >>> compact_key("Tinzaouaten") == compact_key("Tin Zaouaten") == compact_key("Tin-Zaouaten")
    True
    >>> compact_key("Ti-n-Zaouâtene")
    'tinzaouatene'
    """
    return name_key(name).replace(" ", "")


# Spelling pairs that transliterations of Sahel names (French, English, Arabic and
# Tamasheq sources) swap freely, folded in one pass over a compact key.
_SKELETON_MAP = {
    "tch": "ch", "tsh": "ch", "dj": "j", "dz": "j", "ou": "u", "oo": "u", "w": "u",
    "kh": "k", "gh": "g", "ph": "f", "q": "k", "ck": "k", "c": "k", "y": "i", "h": "",
}
_SKELETON_RE = re.compile(r"tch|tsh|dj|dz|ou|oo|w|kh|gh|ph|q|ck|c(?![eih])|y|h(?![aeiou])")
_DOUBLES = re.compile(r"([a-z])\1+")
_FINAL_E = re.compile(r"(?<=...)e$")


def skeleton(name: str) -> str:
    """Return the transliteration-insensitive skeleton of a name.

    Folds the spellings that Sahel place names swap between sources: ``ou``/``w``/``u``,
    ``dj``/``j``, ``kh``/``k``, ``gh``/``g``, ``q``/``k``, ``y``/``i``, silent ``h``,
    doubled letters, and a final ``e``. Two names with one skeleton are spelling
    variants of each other.

    Examples
    --------
    >>> skeleton("Tinzaouaten") == skeleton("Tin Zawaten") == skeleton("Tinzaouatene")
    True
    >>> skeleton("Boulkessi"), skeleton("Djibo"), skeleton("Tombouctou")
    ('bulkesi', 'jibo', 'tombuktu')
    """
    return skeleton_of_key(compact_key(name))


def skeleton_of_key(ckey: str) -> str:
    """Return :func:`skeleton` of a name already turned into its compact key."""
    text = _SKELETON_RE.sub(lambda m: _SKELETON_MAP[m.group()], ckey)
    return _FINAL_E.sub("", _DOUBLES.sub(r"\1", text))


_CODE_TOKEN = re.compile(r"^(?=.*\d)[a-z0-9]+$")
_NASAL_PREFIX = re.compile(r"^(?:n|ne|m)\s+(?=\w)")


def query_variants(name: str) -> list[str]:
    """Return forms worth trying for a name that has no exact match, best first.

    Trailing tokens with digits (camp or kilometre codes such as "K23") are dropped, and
    a leading "N'"/"Ne"/"M'" (a nasal prefix some sources write and others omit).

    Examples
    --------
    >>> query_variants("NGoma Coura K23")
    ['ngoma coura']
    >>> query_variants("N'Tillit")
    ['tillit']
    >>> query_variants("Gao")
    []
    """
    key = name_key(name)
    tokens = key.split(" ")
    while len(tokens) > 1 and _CODE_TOKEN.match(tokens[-1]):
        tokens.pop()
    variants = []
    stripped = " ".join(tokens)
    if stripped != key:
        variants.append(stripped)
    unprefixed = _NASAL_PREFIX.sub("", stripped)
    if unprefixed != stripped:
        variants.append(unprefixed)
    return variants


#: Lengths of the airport and similar codes GeoNames mixes into alternate names (IATA, ICAO).
CODE_LENGTHS = range(3, 5)


def is_code(alternate: str) -> bool:
    """Tell whether an alternate name is an airport or similar code, not a name.

    GeoNames mixes IATA/ICAO codes ("BKO", "GAO" for Guantánamo) into the alternate names;
    they are not how people write places and would make "Gao" mean Guantánamo.

    Examples
    --------
    >>> is_code("BKO"), is_code("GAO"), is_code("Gao"), is_code("DGAA")
    (True, True, False, True)
    """
    return len(alternate) in CODE_LENGTHS and alternate.isascii() and alternate.isupper() \
        and alternate.isalpha()
