"""Filtering: keep the incidents within a date range, countries and event types, areas,
actors, a number of fatalities, a bounding box and a distance to the nearest border.

Names (areas, actors) are compared on their gazetteer key
(:func:`~geomap.gazetteer.normalize.name_key`: case, accents and separators do not
count), once per distinct value of a column. :data:`CRITERIA` lists the criteria beyond
the dates, each with the function that gives the rows it keeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.errors import FilterError
from geomap.gazetteer.normalize import name_key
from geomap.incidents.dates import DAY_PRECISION, period_bounds
from geomap.incidents.schema import ACTOR_COLUMNS, COORDINATE_COLUMNS, DATE_COLUMN

__all__ = ["filter_incidents", "event_periods", "BBox", "CRITERIA", "AREA_COLUMNS",
           "ACTOR_FILTER_COLUMNS", "country_mask", "type_mask", "area_mask", "actor_mask",
           "fatalities_mask", "bbox_mask", "border_mask"]

_DATE_START, _DATE_END = "date_start", "date_end"
_TIME_PRECISION, _COUNTRY_CODE, _EVENT_TYPE = "time_precision", "country_code", "event_type"


def event_periods(incidents: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first and last day of the period each incident's date stands for.

    ``date_start`` and ``date_end`` as :func:`~geomap.incidents.validate.validate_records`
    computes them; for a table without them, the same rule
    (:func:`~geomap.incidents.dates.period_bounds`) applied to ``event_date`` and
    ``time_precision`` (a day where it is missing): a week-precision date stands for
    ``[date - 3, date + 3]``, a month or a year for the whole calendar month or year.

    Examples
    --------
    >>> t = pd.DataFrame({"event_date": pd.to_datetime(["2024-08-14"]), "time_precision": [2]})
    >>> [f"{day:%Y-%m-%d}" for day in (*event_periods(t)[0], *event_periods(t)[1])]
    ['2024-08-11', '2024-08-17']
    """
    if _DATE_START in incidents.columns and _DATE_END in incidents.columns:
        return incidents[_DATE_START], incidents[_DATE_END]
    days = incidents[DATE_COLUMN]
    codes = incidents[_TIME_PRECISION] if _TIME_PRECISION in incidents.columns else \
        pd.Series(DAY_PRECISION, index=incidents.index)
    starts, ends = period_bounds(days, pd.to_numeric(codes, errors="coerce"))
    return (pd.Series(starts, index=incidents.index), pd.Series(ends, index=incidents.index))


def filter_incidents(
    incidents: gpd.GeoDataFrame,
    *,
    start: object = None,
    end: object = None,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    admin1: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    actors: Sequence[str] | None = None,
    min_fatalities: int | None = None,
    bbox: BBox | Sequence[float] | None = None,
    within_km_of_border: float | None = None,
) -> gpd.GeoDataFrame:
    """Keep the incidents within a date range, countries, event types and :data:`CRITERIA`.

    Both bounds are inclusive days. An event stands for the period its date and
    ``time_precision`` give (:func:`event_periods`: the day; for a week, the seven days
    ``[date - 3, date + 3]``; the whole month; the whole year) and is kept when that
    period overlaps the range: "December 2023" is in ``start=2023-12-15`` and in
    ``end=2023-12-01``; an ACLED event coded 14 August 2024 with precision 2 is in
    ``start=2024-08-16, end=2024-08-20``.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`~geomap.incidents.load.load_incidents` returns them.
    start, end : date-like, optional
        First and last day.
    countries : sequence of str, optional
        ISO alpha-2 codes (``country_code``), in any case.
    event_types : sequence of str, optional
        ACLED event types, compared without regard to case.
    admin1, areas, actors, min_fatalities, bbox, within_km_of_border : optional
        The other :data:`CRITERIA` (each function says what it keeps); all given hold.

    Examples
    --------
    >>> t = pd.DataFrame({"event_date": pd.to_datetime(["2023-12-01", "2024-01-05"]),
    ...                   "time_precision": [3, 1],
    ...                   "country_code": ["ML", "DZ"], "event_type": ["Battles", "Riots"]})
    >>> filter_incidents(t, start="2023-12-15", end="2023-12-15")["country_code"].tolist()
    ['ML']
    >>> filter_incidents(t, countries=["dz"], event_types=["riots"])["event_type"].tolist()
    ['Riots']
    """
    keep = pd.Series(True, index=incidents.index)
    if start is not None or end is not None:
        first, last = event_periods(incidents)
        if start is not None:
            keep &= last >= pd.Timestamp(start)
        if end is not None:
            keep &= first <= pd.Timestamp(end)
    criteria = {"countries": countries, "event_types": event_types, "admin1": admin1,
                "areas": areas, "actors": actors, "min_fatalities": min_fatalities,
                "bbox": bbox, "within_km_of_border": within_km_of_border}
    for criterion, value in criteria.items():
        if value is not None and not (isinstance(value, list | tuple | set) and not value):
            keep &= CRITERIA[criterion](incidents, value)
    return incidents[keep]


# -- areas, actors, fatalities, bounding box, border distance ----------------------------
#: The administrative columns: ``admin1`` matches the first, ``areas`` any of them.
AREA_COLUMNS: tuple[str, ...] = ("admin1", "admin2", "admin3")
#: The columns ``actors`` searches: ACLED's two actors and their associated actors.
ACTOR_FILTER_COLUMNS: tuple[str, ...] = (*ACTOR_COLUMNS, "assoc_actor_1", "assoc_actor_2")
#: Inclusive ranges of a bounding box's longitudes and latitudes, in degrees.
LONGITUDE_RANGE: tuple[float, float] = (-180.0, 180.0)
LATITUDE_RANGE: tuple[float, float] = (-90.0, 90.0)
_FATALITIES, _BORDER_KM = "fatalities", "border_distance_km"
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS
_BBOX_FORM = "give W,S,E,N: four numbers in degrees"


@dataclass(frozen=True)
class BBox:
    """A bounding box in degrees (WGS84): west, south, east, north, edges included.

    West and east lie in [-180, 180], south and north in [-90, 90], south below north. A
    box whose west is greater than its east crosses the antimeridian: ``BBox(170, -20,
    -170, -10)`` holds the longitudes from 170 to 180 and from -180 to -170.

    Raises
    ------
    FilterError
        Naming the edge out of range, or south not below north, or west equal to east.

    Examples
    --------
    >>> BBox.parse("-12, 10, 5, 25")
    BBox(west=-12.0, south=10.0, east=5.0, north=25.0)
    >>> BBox(170, -20, -170, -10).contains(np.array([179.5, -175.0, 0.0]),
    ...                                    np.array([-15.0, -15.0, -15.0])).tolist()
    [True, True, False]
    >>> BBox(0, 10, 5, 5)
    Traceback (most recent call last):
    ...
    geomap.errors.FilterError: bbox: south 10 is not below north 5
    """

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        for edge, (lo, hi) in (("west", LONGITUDE_RANGE), ("south", LATITUDE_RANGE),
                               ("east", LONGITUDE_RANGE), ("north", LATITUDE_RANGE)):
            value = float(getattr(self, edge))
            if not (math.isfinite(value) and lo <= value <= hi):
                raise FilterError(f"bbox: {edge} {value:g} is outside [{lo:g}, {hi:g}]")
            object.__setattr__(self, edge, value)
        if self.south >= self.north:
            raise FilterError(f"bbox: south {self.south:g} is not below north {self.north:g}")
        if self.west == self.east:
            raise FilterError(f"bbox: west and east are both {self.west:g}; the box has no "
                              "width (a west greater than east crosses the antimeridian)")

    @classmethod
    def parse(cls, text: str) -> BBox:
        """A box from ``"W,S,E,N"`` (the ``--bbox`` flag's form)."""
        parts = [part.strip() for part in str(text).split(",")]
        if len(parts) != 4:
            raise FilterError(f"bbox {text!r}: {_BBOX_FORM}")
        try:
            return cls(*(float(part) for part in parts))
        except ValueError as err:
            if isinstance(err, FilterError):
                raise
            raise FilterError(f"bbox {text!r}: not a number; {_BBOX_FORM}") from None

    @property
    def crosses_antimeridian(self) -> bool:
        """Whether the box spans the 180th meridian (its west is greater than its east)."""
        return self.west > self.east

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Which points (arrays of degrees) lie in the box, edges included."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        east_of_west, west_of_east = lon >= self.west, lon <= self.east
        across = (east_of_west | west_of_east) if self.crosses_antimeridian \
            else (east_of_west & west_of_east)
        return across & (lat >= self.south) & (lat <= self.north)


def _as_list(values: str | Sequence[str]) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def _per_distinct(values: pd.Series, rule: Callable[[str], bool]) -> pd.Series:
    """``rule`` applied once to each distinct value (as text) of a column."""
    codes, uniques = pd.factorize(values.fillna("").astype(str), use_na_sentinel=False)
    verdicts = np.array([bool(rule(u)) for u in uniques], dtype=bool)
    return pd.Series(verdicts[codes], index=values.index)


def area_mask(incidents: pd.DataFrame, names: str | Sequence[str],
              columns: Sequence[str] = AREA_COLUMNS) -> pd.Series:
    """Rows whose area in any of ``columns`` is one of ``names`` (by name key).

    Examples
    --------
    >>> t = pd.DataFrame({"admin1": ["Ménaka", "Kidal"], "admin2": ["Ménaka", "Tessalit"]})
    >>> area_mask(t, ["menaka"]).tolist(), area_mask(t, "TESSALIT", ["admin1"]).tolist()
    ([True, False], [False, False])
    """
    wanted = {name_key(n) for n in _as_list(names)} - {""}
    keep = pd.Series(False, index=incidents.index)
    for column in columns:
        if column in incidents.columns:
            keep |= _per_distinct(incidents[column], lambda v: name_key(v) in wanted)
    return keep


def actor_mask(incidents: pd.DataFrame, texts: str | Sequence[str]) -> pd.Series:
    """Rows where one of ``texts`` is part of an actor (:data:`ACTOR_FILTER_COLUMNS`),
    by name key: case, accents and punctuation do not count.

    Examples
    --------
    >>> t = pd.DataFrame({"actor1": ["JNIM: Group for Support of Islam", "Protesters (Mali)"],
    ...                   "assoc_actor_1": ["", "Students (Mali)"]})
    >>> actor_mask(t, ["jnim"]).tolist(), actor_mask(t, "students mali").tolist()
    ([True, False], [False, True])
    """
    needles = [key for key in map(name_key, _as_list(texts)) if key]
    keep = pd.Series(False, index=incidents.index)
    for column in ACTOR_FILTER_COLUMNS:
        if column in incidents.columns:
            keep |= _per_distinct(incidents[column],
                                  lambda v: any(n in name_key(v) for n in needles))
    return keep


def fatalities_mask(incidents: pd.DataFrame, minimum: float) -> pd.Series:
    """Rows with at least ``minimum`` fatalities (an empty count counts as 0)."""
    if _FATALITIES not in incidents.columns:
        return pd.Series(minimum <= 0, index=incidents.index)
    return pd.to_numeric(incidents[_FATALITIES], errors="coerce").fillna(0) >= minimum


def bbox_mask(incidents: pd.DataFrame, bbox: BBox | Sequence[float]) -> pd.Series:
    """Rows whose point lies in ``bbox`` (a :class:`BBox`, or west, south, east, north)."""
    box = bbox if isinstance(bbox, BBox) else BBox(*bbox)
    inside = box.contains(incidents[_LONGITUDE].to_numpy(dtype=float),
                          incidents[_LATITUDE].to_numpy(dtype=float))
    return pd.Series(inside, index=incidents.index)


def border_mask(incidents: pd.DataFrame, km: float) -> pd.Series:
    """Rows at most ``km`` (geodesic) from the nearest international land border.

    The ``border_distance_km`` column when the table has it (as
    :func:`geomap.pipeline.prepare` adds it), else measured here
    (:func:`geomap.borders.distance.distance_to_border`).
    """
    if _BORDER_KM in incidents.columns:
        distances = pd.to_numeric(incidents[_BORDER_KM], errors="coerce")
    else:
        from geomap.borders.distance import distance_to_border

        measured = distance_to_border(incidents[_LONGITUDE].to_numpy(dtype=float),
                                      incidents[_LATITUDE].to_numpy(dtype=float))
        distances = pd.Series(measured[_BORDER_KM].to_numpy(), index=incidents.index)
    return distances.le(km).fillna(False).astype(bool)


def country_mask(incidents: pd.DataFrame, codes: Sequence[str]) -> pd.Series:
    """Rows whose ``country_code`` is one of ``codes`` (ISO alpha-2, any case)."""
    return incidents[_COUNTRY_CODE].isin({c.upper() for c in _as_list(codes)})


def type_mask(incidents: pd.DataFrame, event_types: Sequence[str]) -> pd.Series:
    """Rows whose ``event_type`` is one of ``event_types``, without regard to case."""
    wanted = {t.strip().casefold() for t in _as_list(event_types)}
    return incidents[_EVENT_TYPE].str.casefold().isin(wanted)


#: The criteria of :func:`filter_incidents` beyond the dates: keyword -> the function that
#: gives the rows it keeps. ``admin1`` matches the admin-1 column only, ``areas`` any of
#: admin-1 to admin-3.
CRITERIA: dict[str, Callable[[pd.DataFrame, Any], pd.Series]] = {
    "countries": country_mask,
    "event_types": type_mask,
    "admin1": lambda t, names: area_mask(t, names, AREA_COLUMNS[:1]),
    "areas": area_mask,
    "actors": actor_mask,
    "min_fatalities": fatalities_mask,
    "bbox": bbox_mask,
    "within_km_of_border": border_mask,
}
