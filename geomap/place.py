"""Value objects that travel through geomap: a :class:`Place`, the :class:`Match` that chose
it, and the :class:`Hints` (country, admin1-3) a name is looked up with."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Place", "Match", "Hints", "PRECISION_LABELS", "feature_precision"]

#: ACLED's geo_precision codes as popups and notes word them (the map payload sends them).
PRECISION_LABELS = {
    1: "the town itself",
    2: "near or part of a place",
    3: "an area (commune, region or country)",
}


# features too wide to stand for a point: oceans, seas, gulfs, continents, world regions
_WIDE_FEATURES = frozenset({"OCN", "SEA", "GULF", "CONT", "RGN"})


def feature_precision(feature_class: str | None, feature_code: str | None) -> int:
    """Return ACLED's geo_precision for a gazetteer feature.

    Populated places (GeoNames class ``P``) are precision 1; administrative areas,
    countries (class ``A``), oceans, seas, gulfs, continents and world regions precision
    3; every other feature (a hill, a wadi, a well, a strait) precision 2: the event
    happened near it.

    Examples
    --------
    >>> feature_precision("P", "PPLA"), feature_precision("A", "PCLI")
    (1, 3)
    >>> feature_precision("T", "HLL"), feature_precision("H", "SEA")
    (2, 3)
    """
    if feature_class == "P":
        return 1
    if feature_class == "A" or feature_code in _WIDE_FEATURES:
        return 3
    return 2


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    Parameters
    ----------
    id : str
        Stable identifier with its namespace, e.g. ``"geonames:2460596"``.
    name : str
        Preferred name.
    country_code : str
        ISO 3166-1 alpha-2 code as the source gives it (may be empty for undersea features).
    lat, lon : float
        WGS84 coordinates in degrees.
    feature_class, feature_code : str
        GeoNames feature class (``P`` populated place, ``A`` administrative, ...) and code
        (``PPLC`` capital, ``PPLA`` admin-1 seat, ``PCLI`` country, ...).
    population : int
        0 when unknown.
    admin1, admin2 : str
        Administrative names (or codes when the names are unknown).
    source : str
        The gazetteer source the entry comes from.
    """

    id: str
    name: str
    country_code: str
    lat: float
    lon: float
    feature_class: str = "P"
    feature_code: str = "PPL"
    population: int = 0
    admin1: str = ""
    admin2: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise ValueError(f"latitude of {self.name!r} must be within [-90, 90], got {self.lat}")
        if not (math.isfinite(self.lon) and -180.0 <= self.lon <= 180.0):
            raise ValueError(
                f"longitude of {self.name!r} must be within [-180, 180], got {self.lon}"
            )

    @property
    def precision(self) -> int:
        """ACLED geo_precision of this feature (see :func:`feature_precision`)."""
        return feature_precision(self.feature_class, self.feature_code)

    def __repr__(self) -> str:
        return (
            f"Place({self.name!r}, {self.country_code}, ({self.lat:.5f}, {self.lon:.5f}), "
            f"{self.feature_code}, pop={self.population}, id={self.id!r})"
        )


@dataclass(frozen=True, slots=True)
class Match:
    """The answer of a gazetteer lookup.

    Parameters
    ----------
    query : str
        The name as asked.
    place : Place or None
        The chosen place, ``None`` when unresolved.
    method : str
        How the name matched: ``exact`` (the place's preferred name), ``alias`` (an
        alternate name), ``compact`` (same letters, other separators), ``variant`` (a
        spelling variant), ``fuzzy``, ``area`` (the name is in no gazetteer; the point is
        the centre of its admin-3 area, see :mod:`geomap.gazetteer.coherence`), or ``unresolved``.
    score : float
        1.0 for exact and alias matches, lower for looser ones, 0.5 for ``area``, 0 when
        unresolved.
    precision : int or None
        ACLED geo_precision (1–3) of the result.
    rule : str
        The rule that picked this place among the candidates, or the reason it is
        unresolved.
    alternatives : tuple of Place
        The other candidates, best first.
    """

    query: str
    place: Place | None
    method: str
    score: float
    precision: int | None
    rule: str
    alternatives: tuple[Place, ...] = field(default=())

    @classmethod
    def unresolved(cls, query: str, reason: str, alternatives: tuple[Place, ...] = ()) -> Match:
        """A match without a place: ``reason`` says why, ``alternatives`` are suggestions.

        Examples
        --------
        >>> m = Match.unresolved("Atlantis", "no place named 'Atlantis'")
        >>> m.resolved, m.method, m.rule
        (False, 'unresolved', "no place named 'Atlantis'")
        """
        return cls(query, None, "unresolved", 0.0, None, reason, tuple(alternatives))

    @property
    def resolved(self) -> bool:
        """Whether a place was found."""
        return self.place is not None

    def to_dict(self) -> dict[str, object]:
        """Return a flat, JSON-ready dictionary (the CLI's ``--json`` record)."""
        p = self.place
        return {
            "query": self.query,
            "name": p.name if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country_code": p.country_code if p else None,
            "feature_code": p.feature_code if p else None,
            "population": p.population if p else None,
            "geo_precision": self.precision,
            "method": self.method,
            "score": round(self.score, 3),
            "rule": self.rule,
            "source": p.source if p else None,
            "id": p.id if p else None,
            "reason": None if p else self.rule,
            "alternatives": [
                {"name": a.name, "country_code": a.country_code, "lat": a.lat, "lon": a.lon,
                 "population": a.population, "id": a.id}
                for a in self.alternatives
            ],
        }


def _hint_text(value: Any) -> str | None:
    """A hint as given (stripped), or ``None`` for empty and missing values (NaN, None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class Hints:
    """Where a name is said to be: a country and administrative areas, as a row gives them.

    Empty strings and missing values (``None``, NaN) mean "no hint"; text is stripped.
    ``country`` is an ISO code or a country name (the gazetteer resolves it); ``admin1``
    to ``admin3`` are ACLED's region, cercle/province and commune names.

    Examples
    --------
    >>> Hints(country=" ML ", admin1="", admin3=float("nan"))
    Hints(country='ML')
    >>> Hints(admin3="Soumpi").has_admin, Hints(country="ML").has_admin
    (True, False)
    """

    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None

    def __post_init__(self) -> None:
        for name in ("country", "admin1", "admin2", "admin3"):
            object.__setattr__(self, name, _hint_text(getattr(self, name)))

    @property
    def admins(self) -> tuple[str | None, str | None, str | None]:
        """``(admin1, admin2, admin3)``."""
        return (self.admin1, self.admin2, self.admin3)

    @property
    def has_admin(self) -> bool:
        """Whether any administrative area is given."""
        return any(self.admins)

    def __repr__(self) -> str:
        given = ", ".join(f"{k}={getattr(self, k)!r}" for k in ("country", "admin1", "admin2",
                                                                 "admin3") if getattr(self, k))
        return f"Hints({given})"
