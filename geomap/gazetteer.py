"""The gazetteer: from a written place name to a :class:`~geomap.place.Match`.

Lookups go to the SQLite index (:mod:`geomap.index`), which holds the embedded default
(built on first use) and whatever the user imported. Candidates that share the name's
compact key are narrowed by the country hint, then ranked by feature importance
(country > capital > admin-1 seat > admin seat or city of 100,000+ > other populated
place > administrative area > other feature) and population.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.index import Index
from geomap.normalize import compact_key, name_key
from geomap.place import Match, Place, feature_precision
from geomap.resources import home_dir

__all__ = ["Gazetteer", "default_gazetteer", "importance"]

log = logging.getLogger(__name__)

INDEX_FILE = "gazetteer.sqlite"
_MAX_ALTERNATIVES = 5
_CLASS_LABELS = {
    6: "country",
    5: "capital",
    4: "admin-1 seat",
    3: "admin seat or city",
    2: "populated place",
    1: "administrative area",
    0: "other feature",
}


def importance(feature_class: str, feature_code: str, population: int) -> int:
    """Return the importance class of a feature (6 country ... 0 other feature).

    Examples
    --------
    >>> importance("P", "PPLC", 0), importance("P", "PPL", 250_000), importance("P", "PPL", 900)
    (5, 3, 2)
    """
    if feature_class == "A":
        return 6 if feature_code.startswith("PCL") else 1
    if feature_class != "P":
        return 0
    if feature_code == "PPLC":
        return 5
    if feature_code == "PPLA":
        return 4
    if feature_code in ("PPLA2", "PPLA3", "PPLA4", "PPLG") or population >= 100_000:
        return 3
    return 2


class _Candidate:
    __slots__ = ("place", "quality", "rank", "priority")

    def __init__(self, row: tuple, qkey: str) -> None:
        (key, is_primary, ext_id, name, lat, lon, cc, admin1, admin2, fclass, fcode, pop,
         source, priority) = row
        self.place = Place(ext_id, name, cc, lat, lon, fclass, fcode, pop, admin1, admin2,
                           source)
        self.quality = 2 if (key == qkey and is_primary) else 1 if key == qkey else 0
        self.rank = importance(fclass, fcode, pop)
        self.priority = priority

    def sort_key(self) -> tuple:
        return (self.rank, self.place.population, self.quality, self.priority)


class Gazetteer:
    """Place-name lookups over a gazetteer index.

    Parameters
    ----------
    path : path-like, optional
        The index file. Default: ``gazetteer.sqlite`` in :func:`geomap.resources.home_dir`
        (``$GEOMAP_HOME`` or the user data directory).
    ensure_default : bool
        Build (or rebuild, when its inputs changed) the embedded default source.

    Examples
    --------
    >>> gaz = default_gazetteer()
    >>> m = gaz.lookup("Bamakó")
    >>> m.place.name, m.place.country_code, m.method, m.precision
    ('Bamako', 'ML', 'exact', 1)
    >>> gaz.lookup("Gao", country="BF").place.country_code
    'BF'
    """

    def __init__(self, path: str | Path | None = None, *, ensure_default: bool = True) -> None:
        self.index = Index(Path(path) if path else home_dir() / INDEX_FILE)
        if ensure_default:
            self.ensure_default()
        self._cache: dict[tuple[str, str | None], Match] = {}

    def ensure_default(self) -> None:
        """Load the parts of the embedded default that are missing or stale."""
        from geomap.sources.default import default_sources

        for part in default_sources():
            if self.index.fingerprint(part.name) == part.fingerprint:
                continue
            log.warning("loading %s into the gazetteer index %s (first use)",
                        part.description, self.index.path)
            self.index.replace_source(
                part.name, part.records(), kind="default", path=part.description,
                fingerprint=part.fingerprint, priority=1 if part.name == "curated" else 0,
            )

    # -- countries ---------------------------------------------------------------------
    @functools.lru_cache(maxsize=1024)  # noqa: B019 - one gazetteer per process
    def country_code(self, text: str | None) -> str | None:
        """Return the ISO alpha-2 code for a country name or code, or ``None``.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> gaz.country_code("Mali"), gaz.country_code("mli"), gaz.country_code("bf")
        ('ML', 'ML', 'BF')
        >>> gaz.country_code("Atlantis") is None
        True
        """
        if text is None or not str(text).strip():
            return None
        text = str(text).strip()
        countries = [
            c for c in self._candidates(text) if c.place.feature_code.startswith("PCL")
        ]
        if len(text) == 3 and text.isalpha():
            from geomap.sources.default import country_table

            by_iso3 = {c["iso3"]: iso for iso, c in country_table().items()}
            if text.upper() in by_iso3:
                return by_iso3[text.upper()]
        if len(text) == 2 and text.isalpha():
            code = text.upper()
            if self.index.conn.execute(
                "SELECT 1 FROM places WHERE cc=? AND fcode LIKE 'PCL%' LIMIT 1", (code,)
            ).fetchone():
                return code
        if countries:
            return max(countries, key=_Candidate.sort_key).place.country_code
        return None

    # -- lookups -----------------------------------------------------------------------
    def _candidates(self, name: str) -> list[_Candidate]:
        qkey = name_key(name)
        rows = self.index.candidates(qkey.replace(" ", ""))
        best: dict[str, _Candidate] = {}
        for row in rows:
            cand = _Candidate(row, qkey)
            seen = best.get(cand.place.id)
            if seen is None or (cand.priority, cand.quality) > (seen.priority, seen.quality):
                best[cand.place.id] = cand
        return list(best.values())

    def candidates(self, name: str, *, country: str | None = None) -> list[Place]:
        """Return every place the name may mean, most important first.

        Parameters
        ----------
        name : str
            The place name as written (matched on its compact key).
        country : str, optional
            Keep only places in this country (ISO code or name).
        """
        cands = self._candidates(name)
        if country:
            code = self.country_code(country)
            cands = [c for c in cands if c.place.country_code == code]
        cands.sort(key=_Candidate.sort_key, reverse=True)
        return [c.place for c in cands]

    def lookup(
        self, name: str, *, country: str | None = None, prefer: Sequence[str] = ()
    ) -> Match:
        """Find the place a name most likely means.

        Parameters
        ----------
        name : str
            The place name as written.
        country : str, optional
            A country hint: ISO alpha-2 or alpha-3 code, or a country name. Only places
            in that country are then accepted.
        prefer : sequence of str
            ISO alpha-2 codes of the countries the surrounding data is about: a soft
            prior, used when there is no ``country``. Candidates in those countries rank
            first; others are still accepted.

        Returns
        -------
        Match
            Unresolved (``place`` is ``None``) with the reason in ``rule`` when nothing fits.

        Raises
        ------
        GazetteerError
            If ``country`` is not a known country.
        """
        hint = None
        if country is not None and str(country).strip():
            hint = self.country_code(country)
            if hint is None:
                raise GazetteerError(
                    f"unknown country {country!r}: give an ISO 3166 code (ML, MLI) or a name"
                )
        prior = () if hint else tuple(prefer)
        cache_key = (name_key(name), hint, prior)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._lookup(name, hint, prior)
        match = self._cache[cache_key]
        return match if match.query == name else _with_query(match, name)

    def lookup_many(
        self,
        names: Sequence[str],
        *,
        countries: Sequence[str | None] | None = None,
        prefer: Sequence[str] = (),
    ) -> list[Match]:
        """Look up many names; each distinct (name, country) pair is resolved once."""
        hints: Iterable[str | None] = countries if countries is not None else [None] * len(names)
        return [
            self.lookup(n, country=c, prefer=prefer) for n, c in zip(names, hints, strict=True)
        ]

    def _lookup(self, name: str, hint: str | None, prior: tuple[str, ...] = ()) -> Match:
        if not name_key(name):
            return Match(name, None, "unresolved", 0.0, None, "empty place name")
        cands = self._candidates(name)
        if not cands:
            return Match(name, None, "unresolved", 0.0, None,
                         f"no gazetteer entry is named {name!r}")
        pool = cands
        if hint is not None:
            pool = [c for c in cands if c.place.country_code == hint]
            if not pool:
                elsewhere = sorted({c.place.country_code for c in cands})
                return Match(
                    name, None, "unresolved", 0.0, None,
                    f"no place named {name!r} in {hint} (found in {', '.join(elsewhere)})",
                    tuple(c.place for c in sorted(cands, key=_Candidate.sort_key,
                                                  reverse=True)[:_MAX_ALTERNATIVES]),
                )
        pool.sort(key=lambda c: (c.place.country_code in prior, *c.sort_key()), reverse=True)
        best = pool[0]
        method = ("exact", "alias", "compact")[2 - best.quality]
        rule = _rule(pool, hint, len(cands))
        if prior and best.place.country_code in prior and pool[1:2] and (
            pool[1].place.country_code not in prior
        ):
            rule = f"the data are about {', '.join(prior)}"
        others = [c for c in cands if c is not best]
        others.sort(key=_Candidate.sort_key, reverse=True)
        return Match(
            name, best.place, method, 1.0 if best.quality else 0.95,
            feature_precision(best.place.feature_class, best.place.feature_code), rule,
            tuple(c.place for c in others[:_MAX_ALTERNATIVES]),
        )


def _with_query(match: Match, query: str) -> Match:
    return Match(query, match.place, match.method, match.score, match.precision, match.rule,
                 match.alternatives)


def _rule(pool: list[_Candidate], hint: str | None, total: int) -> str:
    prefix = f"country hint {hint}; " if hint and total > len(pool) else ""
    if len(pool) == 1:
        return prefix + ("only candidate" if total == 1 else "only candidate in the country")
    best, second = pool[0], pool[1]
    if best.rank != second.rank:
        return prefix + (
            f"importance: {_CLASS_LABELS[best.rank]} over {_CLASS_LABELS[second.rank]}"
        )
    if best.place.population != second.place.population:
        return prefix + (
            f"population {best.place.population:,} over {second.place.population:,}"
        )
    return prefix + "preferred name over alternate name"


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer over the default index (opened once)."""
    return Gazetteer()


def name_variants(name: str) -> tuple[str, str]:
    """Return the (spaced, compact) keys the index uses for ``name``."""
    return name_key(name), compact_key(name)
