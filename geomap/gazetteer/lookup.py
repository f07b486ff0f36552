"""The gazetteer: from a written place name to a :class:`~geomap.place.Match`.

Lookups go to the SQLite index (:mod:`geomap.gazetteer.index`), which holds the embedded default
(built on first use) and whatever the user imported. Candidates that share the name's
compact key are narrowed by the country hint, then ranked by feature importance
(country > capital > admin-1 seat > admin seat or city of 100,000+ > other populated
place > administrative area > other feature) and population.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from geomap.errors import GazetteerError
from geomap.gazetteer.features import AREA_SEAT_CODES, Importance, importance, importance_label
from geomap.gazetteer.index import Index
from geomap.gazetteer.normalize import compact_key, name_key, query_variants, skeleton_of_key
from geomap.geodesy import great_circle_km
from geomap.place import Hints, Match, Place
from geomap.resources import home_dir

__all__ = ["Gazetteer", "default_gazetteer"]

log = logging.getLogger(__name__)

INDEX_FILE = "gazetteer.sqlite"
_MAX_ALTERNATIVES = 5
class _Candidate:
    """A place the name may mean, with what the ranking needs to know about it."""

    __slots__ = ("place", "quality", "rank", "priority", "score", "method", "admin", "edits",
                 "primary")

    def __init__(self, row: tuple, qkey: str) -> None:
        (key, is_primary, ext_id, name, lat, lon, cc, admin1, admin2, fclass, fcode, pop,
         source, priority) = row
        self.place = Place(ext_id, name, cc, lat, lon, fclass, fcode, pop, admin1, admin2,
                           source)
        self.quality = 2 if (key == qkey and is_primary) else 1 if key == qkey else 0
        self.primary = bool(is_primary)
        self.rank = importance(fclass, fcode, pop)
        self.priority = priority
        self.method = ("compact", "alias", "exact")[self.quality]
        self.score = 1.0 if self.quality else 0.95
        self.admin = 0
        self.edits = 0

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
        self._cache: dict[tuple, Match] = {}
        self._fuzzy_index = None

    def ensure_default(self) -> None:
        """Load the parts of the embedded default that are missing or stale."""
        from geomap.gazetteer.sources.default import default_sources

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
        from geomap.gazetteer.sources.default import country_table

        table = country_table()  # ISO 3166 codes, whatever the index holds
        if len(text) == 2 and text.upper() in table:
            return text.upper()
        if len(text) == 3 and text.isalpha():
            by_iso3 = {c["iso3"]: iso for iso, c in table.items()}
            if text.upper() in by_iso3:
                return by_iso3[text.upper()]
        by_name = {name_key(c["name"]): iso for iso, c in table.items()}
        if name_key(text) in by_name:
            return by_name[name_key(text)]
        countries = [c for c in self._candidates(text) if c.place.feature_code.startswith("PCL")]
        if countries:
            return max(countries, key=_Candidate.sort_key).place.country_code
        return None

    # -- lookups -----------------------------------------------------------------------
    def _candidates(self, name: str) -> list[_Candidate]:
        qkey = name_key(name)
        return self._candidates_by_key(qkey.replace(" ", ""), qkey)

    def _candidates_by_key(self, ckey: str, qkey: str) -> list[_Candidate]:
        rows = self.index.candidates(ckey)
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
        self,
        name: str,
        hints: Hints | None = None,
        *,
        country: str | None = None,
        near: tuple[float, float, float] | None = None,
        prefer: Sequence[str] = (),
    ) -> Match:
        """Find the place a name most likely means.

        Exact and alternate names first (accents, case and separators do not matter),
        then the name without trailing codes or a nasal prefix, then spelling variants
        and one-edit typos (:mod:`geomap.gazetteer.fuzzy`).

        Parameters
        ----------
        name : str
            The place name as written.
        hints : Hints, optional
            Where the name is said to be. ``hints.country`` (ISO alpha-2 or alpha-3 code,
            or a country name): only places in that country are accepted.
            ``admin1``-``admin3`` (ACLED's area names): the finest one that resolves
            consistently becomes a point and a radius (300, 150, 75 km); candidates
            outside it are rejected unless the name is unique in the country; inside it,
            closer candidates rank first.
        country : str, optional
            Shorthand for ``hints=Hints(country=...)``; not both.
        near : (lat, lon, radius_km), optional
            Where other evidence says the place is (for instance the data's other places
            in the same commune); it replaces the area the admin hints give.
        prefer : sequence of str
            ISO alpha-2 codes of the countries the surrounding data is about: a soft
            prior, used when there is no country hint. Candidates in those countries rank
            first; others are still accepted.

        Returns
        -------
        Match
            Unresolved (``place`` is ``None``) with the reason in ``rule``, and
            suggestions in ``alternatives``, when nothing fits.

        Raises
        ------
        GazetteerError
            If the country hint is not a known country, or both ``hints`` and
            ``country`` are given.
        """
        if country is not None and hints is not None:
            raise GazetteerError("give the country in hints or as country=, not both")
        hints = Hints(country=country) if hints is None else hints
        hint = self._hint(hints.country)
        prior = () if hint else tuple(prefer)
        cache_key = (name, hint, hints.admins, near, prior)
        match = self._cache.get(cache_key)
        if match is None:
            match = self._lookup(name, hint, prior, hints, near)
            self._cache[cache_key] = match
        return match

    def forget_lookups(self) -> None:
        """Drop memoised answers (after the index changed: an import or a removal)."""
        self._cache.clear()

    def _hint(self, country: str | None) -> str | None:
        if country is None or not str(country).strip():
            return None
        hint = self.country_code(country)
        if hint is None:
            raise GazetteerError(
                f"unknown country {country!r}: give an ISO 3166 code (ML, MLI) or a name"
            )
        return hint

    def lookup_many(
        self,
        names: Sequence[str],
        hints: Sequence[Hints] | None = None,
        *,
        prefer: Sequence[str] = (),
        progress: bool = False,
    ) -> list[Match]:
        """Look up many names; each distinct (name, hints) pair is resolved once.

        Each name is looked up on its own; to let a dataset's certain places locate its
        doubtful ones, use :func:`geomap.gazetteer.batch.resolve_keys` with
        ``coherence=True``.

        Parameters
        ----------
        names : sequence of str
        hints : sequence of Hints, optional
            One per name (aligned with ``names``).
        prefer, progress
            As :meth:`lookup`; ``progress`` shows a bar over the distinct pairs (stderr).

        Raises
        ------
        GazetteerError
            If a country hint is not a known country.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> ms = gaz.lookup_many(["Gao", "Gao", "Kidal"], [Hints("BF"), Hints(), Hints()])
        >>> [m.place.country_code for m in ms]
        ['BF', 'ML', 'ML']
        """
        if hints is None:
            resolved = {n: self.lookup(n, prefer=prefer) for n in dict.fromkeys(names)}
            return [resolved[n] for n in names]
        keys = list(zip(names, hints, strict=True))
        found = self.lookup_keys(dict.fromkeys(keys), prefer=prefer, progress=progress)
        return [found[k] for k in keys]

    def lookup_keys(self, keys: Iterable[tuple[str, Hints]], *, prefer: Sequence[str] = (),
                    progress: bool = False) -> dict[tuple[str, Hints], Match]:
        """Look up each (name, hints) pair of ``keys`` (given once each) on its own."""
        from tqdm import tqdm

        keys = list(keys)
        bar = tqdm(keys, desc="geocoding", unit="name", disable=not progress, leave=False)
        return {(name, hints): self.lookup(name, hints, prefer=prefer) for name, hints in bar}

    # -- the search --------------------------------------------------------------------
    def _lookup(self, name: str, hint: str | None, prior: tuple[str, ...], hints: Hints,
                near: tuple[float, float, float] | None = None) -> Match:
        qkey = name_key(name)
        if not qkey:
            return Match.unresolved(name, "empty place name")
        area = self._area(hint, *hints.admins) if hints.has_admin else None
        if near is not None:
            area = _Area("the places around it in the data", *near)

        def accept(cands: list[_Candidate]) -> list[_Candidate]:
            return [c for c in _in_country(cands, hint) if area is None or area.holds(c.place)]

        found = self._candidates_by_key(qkey.replace(" ", ""), qkey)
        pool = accept(found)
        if not pool and area is not None and len(_in_country(found, hint)) == 1:
            # A name unique in the country may lie somewhat outside the radius (large
            # Saharan communes and cercles), not anywhere.
            wider = _Area(area.label, area.lat, area.lon, area.radius_km * UNIQUE_NAME_FACTOR)
            pool = [c for c in _in_country(found, hint) if wider.holds(c.place)]
        for variant in query_variants(name) if not pool else ():
            pool = accept(self._candidates(variant))
            for cand in pool:
                cand.method, cand.score = "variant", 0.9
            if pool:
                break
        near: list[_Candidate] = []
        if not pool:
            near = self._fuzzy(name)
            pool = [c for c in accept(near) if c.score >= FUZZY_THRESHOLD]
        if not pool:
            return self._unresolved(name, hint, area, found + near)
        for cand in pool:
            cand.admin = self._admin_score(cand.place, hints.admin1, hints.admin2)
        pool.sort(key=lambda c: _rank_key(c, prior, area), reverse=True)
        best = pool[0]
        if area is not None and _ambiguous(pool, prior, area):
            return self._unresolved(name, hint, area, pool, ambiguous=True)
        rule = _rule(pool, hint, prior, len(_unique(found + pool)))
        if area is not None and len(_in_country(found + near, hint)) > len(pool):
            rule += f"; within {area.radius_km:.0f} km of {area.label}"
        others = [c.place for c in _unique(pool[1:] + found) if c.place != best.place]
        return Match(name, best.place, best.method, round(best.score, 3), best.place.precision,
                     rule, tuple(others[:_MAX_ALTERNATIVES]))

    def _area(self, hint: str | None, *admins: str | None) -> _Area | None:
        """Where the administrative hints say the place is: a point and a radius.

        ``admins`` are the admin-1, admin-2 and admin-3 names (any may be ``None``). The
        finest level whose name resolves to a place that lies within the next coarser
        level's radius wins: a namesake of the commune in another region is ignored.
        """
        area = None
        for level, name in enumerate(admins, start=1):
            place = self._area_place(name, hint) if name else None
            if place is None or (area is not None and not area.holds(place)):
                continue
            area = _Area(f"admin-{level} area {name!r}", place.lat, place.lon,
                         ADMIN_RADII_KM[level - 1])
        return area

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per process
    def _area_place(self, name: str, hint: str | None) -> Place | None:
        """The place that stands for an administrative area: its seat or the area itself.

        Seats (admin seats, then towns) come first: measured on ACLED Mali, a seat is a
        better centre for the radius test than GeoNames' point of a large Saharan area.
        """
        cands = _in_country(self._candidates(name), hint)
        if not cands:
            cands = _in_country(self._candidates(_area_key(name)), hint)
        if not cands:
            return None
        return max(cands, key=lambda c: (c.place.feature_code in AREA_SEAT_CODES,
                                         *c.sort_key())).place

    def _fuzzy(self, name: str) -> list[_Candidate]:
        """Candidates within one edit of the name's compact key or skeleton (or a variant's)."""
        if self._fuzzy_index is None:
            from geomap.gazetteer.fuzzy import FuzzyIndex

            self._fuzzy_index = FuzzyIndex(self.index)
        out: dict[str, _Candidate] = {}
        qkey = compact_key(name)
        keys = [qkey, *(v.replace(" ", "") for v in query_variants(name))]
        for form, probe in [(k, skeleton_of_key(k)) for k in keys] + [(qkey, qkey)]:
            for skel, edits in self._fuzzy_index.neighbours(probe):
                for ckey in self._fuzzy_index.keys_of(skel):
                    score = _similarity(form, ckey, edits)
                    for cand in self._candidates_by_key(ckey, qkey):
                        cand.method = "variant" if edits == 0 else "fuzzy"
                        cand.score = score
                        cand.edits = edits
                        seen = out.get(cand.place.id)
                        if seen is None or (edits, -score) < (seen.edits, -seen.score):
                            out[cand.place.id] = cand
        return sorted(out.values(), key=lambda c: (c.score, *c.sort_key()), reverse=True)

    def _unresolved(self, name: str, hint: str | None, area: _Area | None,
                    near: list[_Candidate], *, ambiguous: bool = False) -> Match:
        if ambiguous:
            a, b = near[0].place, near[1].place
            reason = (f"ambiguous: {a.name} ({a.lat:.4f}, {a.lon:.4f}) and {b.name} "
                      f"({b.lat:.4f}, {b.lon:.4f}) both fit {name!r} and "
                      f"{area.label if area else 'the hints'} equally well")
            return Match.unresolved(name, reason, tuple(c.place for c in near[:_MAX_ALTERNATIVES]))
        near = sorted(_unique(near), key=lambda c: (c.score, *c.sort_key()), reverse=True)
        where = f" in {hint}" if hint else ""
        reason = f"no place named {name!r}{where}"
        local = _in_country(near, hint)
        if area is not None and local:
            nearest = min(local, key=lambda c: area.distance(c.place))
            reason += (f" within {area.radius_km:.0f} km of {area.label} (nearest candidate: "
                       f"{nearest.place.name}, {area.distance(nearest.place):.0f} km away)")
        elif near:
            guesses = ", ".join(f"{c.place.name} ({c.place.country_code})"
                                for c in near[:3])
            reason += f"; did you mean {guesses}?"
        return Match.unresolved(name, reason, tuple(c.place for c in near[:_MAX_ALTERNATIVES]))

    def _admin_score(self, place: Place, admin1: str | None, admin2: str | None) -> int:
        score = 0
        if admin2 and _same_area(self._admin_label(place.admin2), admin2):
            score += 2
        if admin1 and _same_area(self._admin_label(place.admin1), admin1):
            score += 1
        return score

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per process
    def _admin_label(self, code: str) -> str | None:
        if not code:
            return None
        label = self.index.admin_name(code)
        if label is None and not _ADMIN_CODE.match(code):
            label = code  # curated places give the name itself
        return label


FUZZY_THRESHOLD = 0.8
ADMIN_RADII_KM = (300.0, 150.0, 75.0)  # admin-1, admin-2, admin-3
AREA_STEP_KM = 50.0
AMBIGUITY_KM = 50.0
UNIQUE_NAME_FACTOR = 2.0


@dataclass(frozen=True, slots=True)
class _Area:
    """An administrative hint as a point and a radius."""

    label: str
    lat: float
    lon: float
    radius_km: float

    def distance(self, place: Place) -> float:
        return great_circle_km(self.lat, self.lon, place.lat, place.lon)

    def holds(self, place: Place) -> bool:
        return self.distance(place) <= self.radius_km


def _ambiguous(pool: list[_Candidate], prior: tuple[str, ...], area: _Area) -> bool:
    """Whether the two best candidates tie on every signal but importance, yet lie apart.

    Same country prior, spelling, settlement class, admin-code match and distance step
    from the hinted area, and more than :data:`AMBIGUITY_KM` apart: picking one would be a
    coin toss that puts the event in the wrong place half the time.
    """
    if len(pool) < 2:
        return False
    first, second = pool[0], pool[1]
    signals = slice(0, 7)  # _rank_key's fields before importance and population
    tie = _rank_key(first, prior, area)[signals] == _rank_key(second, prior, area)[signals]
    apart = great_circle_km(first.place.lat, first.place.lon, second.place.lat, second.place.lon)
    return tie and apart > AMBIGUITY_KM


def _rank_key(cand: _Candidate, prior: tuple[str, ...], area: _Area | None) -> tuple:
    """How candidates that passed the filters are ordered (highest first).

    Countries the data are about, then fewer spelling edits, then (for spelling variants
    and typos: an exact "Alger" still means Algiers) a match on the place's preferred name
    over one on an alternate name, then a closer spelling (the similarity
    score, to 2 decimals), then populated places (and countries, oceans, seas and
    gulfs) over administrative areas and other features (an admin hint must not make "Cercle de
    Goundam" beat the town Goundam), then an administrative-code match, then (with an
    admin hint) closeness to the area in 50 km steps, then importance and population.
    """
    place = cand.place
    closeness = -int(area.distance(place) // AREA_STEP_KM) if area is not None else 0
    settlement = place.feature_class == "P" or place.feature_code.startswith("PCL") \
        or (place.feature_class == "H" and cand.rank >= Importance.ADMIN1)  # an ocean, sea, gulf
    spelled = cand.primary and cand.method in ("variant", "fuzzy")
    return (place.country_code in prior, -cand.edits, spelled, round(cand.score, 2),
            settlement, cand.admin, closeness, *cand.sort_key())


_ADMIN_CODE = re.compile(r"^[A-Z]{2}\.")
_GENERIC_AREA_WORDS = {"region", "cercle", "de", "d", "du", "province", "prefecture",
                       "departement", "department", "commune", "wilaya", "district", "of"}


def _area_key(name: str) -> str:
    return "".join(t for t in name_key(name).split(" ") if t not in _GENERIC_AREA_WORDS)


def _same_area(label: str | None, hint: str) -> bool:
    """Tell whether an administrative label and a hint name the same area."""
    if not label:
        return False
    a, b = _area_key(label), _area_key(hint)
    return bool(a) and (a == b or fuzz.ratio(a, b) >= 85)


def _similarity(query: str, key: str, edits: int) -> float:
    """Score of a fuzzy candidate: at least 0.9 for a spelling variant, else the ratio."""
    ratio = fuzz.ratio(query, key) / 100
    return max(ratio, 0.9) if edits == 0 else min(ratio, 0.89)


def _in_country(cands: list[_Candidate], hint: str | None) -> list[_Candidate]:
    return [c for c in cands if hint is None or c.place.country_code == hint]


def _unique(cands: list[_Candidate]) -> list[_Candidate]:
    seen: dict[str, _Candidate] = {}
    for cand in cands:
        seen.setdefault(cand.place.id, cand)
    return list(seen.values())


def _rule(
    pool: list[_Candidate], hint: str | None, prior: tuple[str, ...], total: int
) -> str:
    best = pool[0]
    parts = []
    if best.method in ("variant", "fuzzy"):
        parts.append(f"{best.method} match, score {best.score:.2f}")
    if hint and total > len(pool):
        parts.append(f"country hint {hint}")
    if len(pool) == 1:
        parts.append("only candidate" if total == 1 else "only candidate left")
        return "; ".join(parts)
    second = pool[1]
    if prior and best.place.country_code in prior and second.place.country_code not in prior:
        parts.append(f"the data are about {', '.join(prior)}")
    elif best.admin != second.admin:
        parts.append("administrative area hint")
    elif best.edits != second.edits:
        parts.append("spelling variant over one-letter edit")
    elif best.rank != second.rank:
        parts.append(f"importance: {_class_label(best)} over {_class_label(second)}")
    elif best.place.population != second.place.population:
        parts.append(f"population {best.place.population:,} over {second.place.population:,}")
    else:
        parts.append("preferred name over alternate name")
    return "; ".join(parts)


def _class_label(cand: _Candidate) -> str:
    return importance_label(cand.place.feature_class, cand.place.feature_code, cand.rank)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer over the default index (opened once)."""
    return Gazetteer()
