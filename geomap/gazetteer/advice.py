"""Advice for a batch the embedded gazetteer served badly: import the countries' GeoNames.

The embedded default holds GeoNames' places of 500 people or more, so villages are
missing from it. When a batch (``geomap geocode --input``, the rows ``geomap map``,
``export`` and ``check`` look up by name) leaves more than :data:`UNRESOLVED_SHARE` of its
distinct names unresolved while the index holds nothing but the embedded default, the fix
is to import the GeoNames dumps of the data's countries; :func:`import_hint` says so, and
the commands print it under their summary. A "name" here is a distinct (place name,
country hint) pair, as written.

Examples
--------
>>> str(ImportHint(412, 959, ("ML",)))
"412 of 959 names unresolved with the embedded gazetteer only; import GeoNames' villages: \
geomap gazetteer download ML"
>>> needs_import(2, 10), needs_import(3, 10)
(False, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from geomap.gazetteer.lookup import Gazetteer

__all__ = ["ImportHint", "UNRESOLVED_SHARE", "HINT_COUNTRIES", "DOWNLOAD_COMMAND",
           "ANY_COUNTRY", "needs_import", "default_only", "import_hint"]

#: A batch leaving more than this share of its distinct names unresolved is told to import.
UNRESOLVED_SHARE = 0.2
#: At most this many countries are named (the most frequent among the unresolved rows).
HINT_COUNTRIES = 3
#: The command that downloads and imports a country's GeoNames dump.
DOWNLOAD_COMMAND = "geomap gazetteer download"
#: What the hint names when no row says its country.
ANY_COUNTRY = "CC (the ISO codes of the data's countries)"


@dataclass(frozen=True)
class ImportHint:
    """How many distinct names a batch left unresolved, and the countries to import.

    ``str()`` of it is the line the commands print after ``hint:``.
    """

    unresolved: int
    names: int
    countries: tuple[str, ...]

    def __str__(self) -> str:
        codes = " ".join(self.countries) or ANY_COUNTRY
        return (f"{self.unresolved} of {self.names} names unresolved with the embedded "
                f"gazetteer only; import GeoNames' villages: {DOWNLOAD_COMMAND} {codes}")


def needs_import(unresolved: int, names: int) -> bool:
    """Tell whether ``unresolved`` of ``names`` distinct names is more than
    :data:`UNRESOLVED_SHARE`."""
    return names > 0 and unresolved > UNRESOLVED_SHARE * names


def default_only(gazetteer: Gazetteer) -> bool:
    """Tell whether the gazetteer's index holds only the embedded default (no import)."""
    return all(source.kind == "default" for source in gazetteer.index.sources())


def _common_codes(gazetteer: Gazetteer, countries: pd.Series) -> tuple[str, ...]:
    """The ISO codes of the most frequent country hints (names or codes) among rows."""
    counts = countries[countries != ""].value_counts()
    codes = pd.Series([gazetteer.country_code(text) for text in counts.index], dtype=object)
    by_code = pd.Series(counts.to_numpy()).groupby(codes.to_numpy()).sum()
    ranked = by_code.sort_values(ascending=False, kind="stable")
    return tuple(ranked.index[:HINT_COUNTRIES])


def import_hint(gazetteer: Gazetteer, names: Iterable[object], countries: Iterable[object],
                resolved: Iterable[bool]) -> ImportHint | None:
    """The advice to import GeoNames for a batch, or ``None`` when it is not needed.

    Parameters
    ----------
    gazetteer : Gazetteer
        The gazetteer that served the batch: no advice when its index holds an import.
    names, countries, resolved : iterables, aligned
        For each row the batch looked up by name: the name and its country hint as
        written (an ISO code, a country name, or empty), and whether it was placed. A
        distinct (name, country) counts as unresolved when none of its rows was placed.

    Returns
    -------
    ImportHint or None
        When more than :data:`UNRESOLVED_SHARE` of the distinct names are unresolved and
        the index holds only the embedded default. The countries are the most frequent
        among the unresolved rows' hints (else among all rows' hints).
    """
    if not default_only(gazetteer):
        return None
    rows = pd.DataFrame({"name": pd.Series(list(names), dtype=object),
                         "country": pd.Series(list(countries), dtype=object),
                         "resolved": np.asarray(list(resolved), dtype=bool)})
    rows["name"] = rows["name"].fillna("").astype(str).str.strip()
    rows["country"] = rows["country"].fillna("").astype(str).str.strip()
    rows = rows[rows["name"] != ""]
    placed = rows.groupby(["name", "country"], sort=False)["resolved"].any()
    unresolved = int((~placed).sum())
    if not needs_import(unresolved, len(placed)):
        return None
    codes = _common_codes(gazetteer, rows.loc[~rows["resolved"], "country"]) \
        or _common_codes(gazetteer, rows["country"])
    return ImportHint(unresolved, len(placed), codes)
