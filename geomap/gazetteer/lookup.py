"""The gazetteer: from a written place name to a :class:`~geomap.place.Match`.

Lookups go to the SQLite index (:mod:`geomap.gazetteer.index`), which holds the embedded default
(built on first use) and whatever the user imported. Candidates that share the name's
compact key are narrowed by the country hint and the hinted area
(:mod:`geomap.gazetteer.area`), then ranked (:mod:`geomap.gazetteer.ranking`): by feature
importance (country > capital > admin-1 seat > admin seat or city of 100,000+ > other
populated place > administrative area > other feature) and population, once the evidence
about the query (country prior, spelling, area) is weighed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.gazetteer.area import (
    ADMIN_RADII_KM,
    UNIQUE_NAME_FACTOR,
    Area,
    area_key,
)
from geomap.gazetteer.doubt import ambiguous, match_precision, name_fits, typo_fits
from geomap.gazetteer.features import AREA_SEAT_CODES
from geomap.gazetteer.index import Index
from geomap.gazetteer.labels import AdminLabels
from geomap.gazetteer.normalize import compact_key, name_key, query_variants, skeleton_of_key
from geomap.gazetteer.ranking import (
    MATCH_SCORE_DECIMALS,
    VARIANT_SCORE,
    Candidate,
    alternatives,
    ambiguity_reason,
    by_score,
    in_country,
    not_found_reason,
    rank_key,
    rule_text,
    similarity,
    unique,
)
from geomap.gazetteer.records import largest_population
from geomap.place import Hints, Match, Place
from geomap.resources import home_dir

__all__ = ["Gazetteer", "default_gazetteer", "INDEX_FILE", "NEAR_LABEL"]


#: The index file's name in geomap's home directory.
INDEX_FILE = "gazetteer.sqlite"
#: How a rule names the area given by ``near=`` (the data's other places in a commune).
NEAR_LABEL = "the places around it in the data"


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
    >>> m = gaz.lookup("Kidall")
    >>> m.place.name, m.method, m.rule
    ('Kidal', 'variant', 'variant match, score 0.91; only candidate')
    """

    def __init__(self, path: str | Path | None = None, *, ensure_default: bool = True) -> None:
        self.index = Index(Path(path) if path else home_dir() / INDEX_FILE)
        if ensure_default:
            self.ensure_default()
        self.labels = AdminLabels(self.index)
        self._cache: dict[tuple, Match] = {}
        self._fuzzy_index = None

    def ensure_default(self, *, progress: bool = True) -> None:
        """Load the parts of the embedded default that are missing or stale, and build the
        fuzzy-name structure in the same step (:func:`geomap.gazetteer.build.build_index`;
        ``progress``: bars on a terminal)."""
        from geomap.gazetteer.build import build_index

        build_index(self.index, progress=progress)

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
        from geomap.gazetteer.sources.default import iso_country_code

        text = str(text).strip()
        code = iso_country_code(text)  # ISO 3166 codes, whatever the index holds
        if code is not None:
            return code
        countries = [c for c in self._candidates(text) if c.place.feature_code.startswith("PCL")]
        if countries:
            return max(countries, key=lambda c: c.standing).place.country_code
        return None

    # -- lookups -----------------------------------------------------------------------
    def _candidates(self, name: str) -> list[Candidate]:
        qkey = name_key(name)
        return self._candidates_by_key(qkey.replace(" ", ""), qkey)

    def _candidates_by_key(self, ckey: str, qkey: str) -> list[Candidate]:
        """One candidate per place bearing a name of compact key ``ckey``: the name of the
        source of highest priority, then the best matching one (each place with the
        largest population its sources give, :func:`largest_population`)."""
        best: dict[str, Candidate] = {}
        for record in largest_population(self.index.candidates(ckey)):
            cand = Candidate(record, qkey)
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

        Examples
        --------
        >>> [p.country_code for p in default_gazetteer().candidates("Gao")]
        ['ML', 'BF']
        """
        cands = self._candidates(name)
        if country:
            code = self.country_code(country)
            cands = [c for c in cands if c.place.country_code == code]
        cands.sort(key=lambda c: c.standing, reverse=True)
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
        cache_key = (name, hint, hints.admins, near, tuple(prefer))
        match = self._cache.get(cache_key)
        if match is None:
            match = self._lookup(name, hint, prior, hints, near, tuple(prefer))
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
        """Look up each (name, hints) pair of ``keys`` (given once each) on its own.

        Examples
        --------
        >>> found = default_gazetteer().lookup_keys([("Gao", Hints("BF"))])
        >>> found[("Gao", Hints("BF"))].rule
        'country hint BF; only candidate left'
        """
        from geomap.gazetteer.progress import Progress

        keys = list(keys)
        with Progress(progress, "geocoding", len(keys), " names", batch=1) as bar:
            return {(name, hints): self.lookup(name, hints, prefer=prefer)
                    for name, hints in bar.track(keys)}

    # -- the search --------------------------------------------------------------------
    def _lookup(self, name: str, hint: str | None, prior: tuple[str, ...], hints: Hints,
                near: tuple[float, float, float] | None = None,
                prefer: tuple[str, ...] = ()) -> Match:
        qkey = name_key(name)
        if not qkey:
            return Match.unresolved(name, "empty place name")
        area = self._area(hint, *hints.admins) if hints.has_admin else None
        if near is not None:
            area = Area(NEAR_LABEL, *near)
        found = self._candidates_by_key(qkey.replace(" ", ""), qkey)
        pool, loose = self._pool(name, found, hint, area)
        sole = None if near else self.labels.sole_in_region(in_country(found, hint), hints, area)
        if not pool and sole is not None:
            pool = [sole]
        if not pool:
            return self._unresolved(name, hint, area, found + loose, prefer)
        for cand in pool:
            cand.admin = self.labels.score(cand.place, hints)
        pool.sort(key=lambda c: rank_key(c, prior, area), reverse=True)
        best = pool[0]
        by_label = sole is not None and sole.place == best.place
        if ambiguous(pool, prior, area) and not by_label:
            return Match.unresolved(name, ambiguity_reason(name, pool, area), alternatives(pool))
        rule = rule_text(pool, hint, prior, len(unique(found + pool)))
        if by_label:
            rule += f"; the only one whose admin-1 code is {hints.admin1!r}"
        if area is not None and len(in_country(found + loose, hint)) > len(pool):
            rule += f"; within {area.radius_km:.0f} km of {area.label}"
        others = [c for c in unique(pool[1:] + found) if c.place != best.place]
        return Match(name, best.place, best.method, round(best.score, MATCH_SCORE_DECIMALS),
                     match_precision(best.method, best.place), rule, alternatives(others))

    def _pool(self, name: str, found: list[Candidate], hint: str | None, area: Area | None
              ) -> tuple[list[Candidate], list[Candidate]]:
        """The candidates that fit the hints, and the looser (fuzzy) ones looked at.

        The name's own key first, then its variants (:func:`query_variants`), then
        spellings within one edit (:meth:`_fuzzy`) that :func:`typo_fits` accepts.
        """
        def accept(cands: list[Candidate]) -> list[Candidate]:
            return [c for c in in_country(cands, hint)
                    if (area is None or area.holds(c.place)) and name_fits(c, area, hint)]

        pool = accept(found)
        local = in_country(found, hint)
        if not pool and area is not None and len(local) == 1 \
                and area.tight:
            # A name unique in the country may lie somewhat outside the radius, not anywhere.
            wider = area.widened(UNIQUE_NAME_FACTOR)
            pool = [c for c in local if wider.holds(c.place)]
        for variant in query_variants(name) if not pool else ():
            spelled = self._candidates(variant)
            for cand in spelled:
                cand.method, cand.score = "variant", VARIANT_SCORE
            pool = accept(spelled)
            if pool:
                break
        loose: list[Candidate] = []
        if not pool:
            loose = self._fuzzy(name)
            pool = [c for c in accept(loose) if typo_fits(c, area)]
        return pool, loose

    def _area(self, hint: str | None, *admins: str | None) -> Area | None:
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
            area = Area(f"admin-{level} area {name!r}", place.lat, place.lon,
                        ADMIN_RADII_KM[level - 1])
        return area

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per process
    def _area_place(self, name: str, hint: str | None) -> Place | None:
        """The place that stands for an administrative area: its seat or the area itself.

        Seats (admin seats, then towns) come first: measured on ACLED Mali, a seat is a
        better centre for the radius test than GeoNames' point of a large Saharan area.
        """
        cands = in_country(self._candidates(name), hint)
        if not cands:
            cands = in_country(self._candidates(area_key(name)), hint)
        if not cands:
            return None
        return max(cands, key=lambda c: (c.place.feature_code in AREA_SEAT_CODES,
                                         *c.standing)).place

    def _fuzzy(self, name: str) -> list[Candidate]:
        """Candidates within one edit of the name's compact key or skeleton (or a variant's)."""
        if self._fuzzy_index is None or self._fuzzy_index.stale():  # opened, built with the index
            from geomap.gazetteer.fuzzy import FuzzyIndex

            self._fuzzy_index = FuzzyIndex(self.index)
        out: dict[str, Candidate] = {}
        qkey = compact_key(name)
        keys = [qkey, *(v.replace(" ", "") for v in query_variants(name))]
        for form, probe in [(k, skeleton_of_key(k)) for k in keys] + [(qkey, qkey)]:
            for skel, edits in self._fuzzy_index.neighbours(probe):
                for ckey in self._fuzzy_index.keys_of(skel):
                    score = similarity(form, ckey, edits)
                    for cand in self._candidates_by_key(ckey, qkey):
                        cand.method = "variant" if edits == 0 else "fuzzy"
                        cand.score = score
                        cand.edits = edits
                        seen = out.get(cand.place.id)
                        if seen is None or (edits, -score) < (seen.edits, -seen.score):
                            out[cand.place.id] = cand
        return sorted(out.values(), key=by_score, reverse=True)

    def _unresolved(self, name: str, hint: str | None, area: Area | None,
                    rejected: list[Candidate], prefer: tuple[str, ...] = ()) -> Match:
        """No candidate fits: the reason, with suggestions from the hinted country first,
        then from the countries the data are about, then the best spellings elsewhere."""
        def order(cand: Candidate) -> tuple:
            code = cand.place.country_code
            return (code == hint, code in prefer, *by_score(cand))

        rejected = sorted(unique(rejected), key=order, reverse=True)
        return Match.unresolved(name, not_found_reason(name, hint, area, rejected),
                                alternatives(rejected))


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer over the default index (opened once).

    Examples
    --------
    >>> default_gazetteer() is default_gazetteer()
    True
    """
    return Gazetteer()
