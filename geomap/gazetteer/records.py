"""What the gazetteer index takes in and gives back, as named records.

A source reader yields :class:`PlaceRecord` s; :class:`~geomap.gazetteer.index.Index`
answers with :class:`NameRecord` (a name that matched, with its place),
:class:`FeatureCount` (what kinds of feature bear a name), :class:`SettlementName` (a
name of a populated place near a point) and :class:`SourceInfo` (a loaded source). No
query result travels as a bare tuple read by position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from geomap.gazetteer.normalize import is_code, name_key
from geomap.place import Place

__all__ = ["PlaceRecord", "SourceInfo", "NameRecord", "FeatureCount", "SettlementName",
           "largest_population"]


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place as a source reader yields it, before it enters the index.

    Examples
    --------
    >>> PlaceRecord("mine:1", "Tin Zaouatine", 19.95, 2.97, "ML").feature_code
    'PPL'
    """

    ext_id: str
    name: str
    lat: float
    lon: float
    country_code: str
    feature_class: str = "P"
    feature_code: str = "PPL"
    population: int = 0
    admin1: str = ""
    admin2: str = ""
    alternate_names: tuple[str, ...] = ()

    def name_keys(self) -> list[tuple[str, bool]]:
        """The keys the place is found under: ``(name key, is the preferred name)``.

        One per distinct key, the preferred name's first; alternate names that are
        airport or similar codes (:func:`~geomap.gazetteer.normalize.is_code`) are left out.

        Examples
        --------
        >>> PlaceRecord("x:1", "Gao", 16.27, -0.04, "ML",
        ...             alternate_names=("GAQ", "Gao", "Gâo-Gao")).name_keys()
        [('gao', True), ('gao gao', False)]
        """
        keys: dict[str, bool] = {}
        for i, raw in enumerate((self.name, *self.alternate_names)):
            if i and is_code(raw):
                continue
            key = name_key(raw)
            if key and key not in keys:
                keys[key] = i == 0
        return list(keys.items())


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source held by the index, as ``geomap gazetteer info`` lists it."""

    name: str
    kind: str
    path: str
    count: int
    imported_at: str
    modified: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class NameRecord:
    """One indexed name of a place, as a lookup of its compact key finds it.

    Parameters
    ----------
    key : str
        The name's :func:`~geomap.gazetteer.normalize.name_key` (separators kept).
    is_primary : bool
        Whether it is the place's preferred name (else an alternate name).
    place : Place
        The place that bears the name.
    priority : int
        The priority of the place's source (the higher wins for one place held twice).

    Examples
    --------
    >>> rec = NameRecord("gao", True, Place("x:1", "Gao", "ML", 16.27, -0.04), 0)
    >>> rec.place.name, rec.is_primary
    ('Gao', True)
    """

    key: str
    is_primary: bool
    place: Place
    priority: int


class FeatureCount(NamedTuple):
    """A kind of feature that bears a name: its class, code and largest population.

    A tuple, so ``for fclass, fcode, population in index.feature_classes(key)`` works too.

    Examples
    --------
    >>> FeatureCount("P", "PPLA", 90_000).feature_code
    'PPLA'
    """

    feature_class: str
    feature_code: str
    population: int


class SettlementName(NamedTuple):
    """One name of a populated place: its compact key and the place.

    Examples
    --------
    >>> SettlementName("gao", Place("x:1", "Gao", "ML", 16.27, -0.04)).place.name
    'Gao'
    """

    ckey: str
    place: Place


def largest_population(records: list[NameRecord]) -> list[NameRecord]:
    """The records with each place's largest population among its sources.

    A place several sources hold (the same GeoNames id in the embedded default and in a
    country dump) keeps the largest population any of them gives: a dump that leaves a
    town's population empty must not turn the town into a village, so that importing
    more data never makes an answer worse.

    Examples
    --------
    >>> town = Place("geonames:1", "Fana", "ML", 12.78, -6.96, "P", "PPL", 56809)
    >>> dump = NameRecord("fana", True, replace(town, population=0), 2)
    >>> [r.place.population for r in largest_population([NameRecord("fana", True, town, 0),
    ...                                                   dump])]
    [56809, 56809]
    """
    population: dict[str, int] = {}
    for record in records:
        place = record.place
        population[place.id] = max(population.get(place.id, 0), place.population)
    return [record if record.place.population >= population[record.place.id]
            else replace(record, place=replace(record.place,
                                               population=population[record.place.id]))
            for record in records]
