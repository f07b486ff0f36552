"""Turn a place name as people write it into lookup keys.

One function, :func:`name_key`, decides what counts as "the same name"; the gazetteer
stores and queries nothing else. :func:`compact_key` drops the separators too, so that
"Tin Zaouaten", "Tin-Zaouaten" and "Tinzaouaten" meet.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "compact_key"]

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
