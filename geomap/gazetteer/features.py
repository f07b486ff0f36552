"""What a gazetteer feature is worth: its importance class, as rules in tables.

GeoNames describes a feature by its class (``P`` populated place, ``A`` administrative
area, ``H`` water, ``T`` terrain, ...) and code (``PPLC`` capital, ``PPLA`` admin-1 seat,
``PCLI`` country, ``OCN`` ocean, ...). Candidates of a name are ranked by
:class:`Importance` first, then population (:mod:`geomap.gazetteer.lookup`); geoparsing
uses the same classes for its priors (:mod:`geomap.geoparse`). The ACLED precision of a
feature is :func:`geomap.place.feature_precision`.
"""

from __future__ import annotations

import enum

__all__ = ["Importance", "importance", "importance_label", "CITY_POPULATION",
           "WATER_IMPORTANCE", "SEAT_CODES", "AREA_SEAT_CODES"]


class Importance(enum.IntEnum):
    """Importance classes of a feature, highest first (they compare as integers).

    Examples
    --------
    >>> Importance.COUNTRY > Importance.CAPITAL > Importance.PLACE
    True
    >>> Importance(4).label
    'admin-1 seat'
    """

    CONTINENT = 7
    COUNTRY = 6
    CAPITAL = 5
    ADMIN1 = 4
    CITY = 3
    PLACE = 2
    AREA = 1
    OTHER = 0

    @property
    def label(self) -> str:
        """How a rule text names the class."""
        return _LABELS[self]


_LABELS = {
    Importance.CONTINENT: "continent",
    Importance.COUNTRY: "country",
    Importance.CAPITAL: "capital",
    Importance.ADMIN1: "admin-1 seat",
    Importance.CITY: "admin seat or city",
    Importance.PLACE: "populated place",
    Importance.AREA: "administrative area",
    Importance.OTHER: "other feature",
}

#: A populated place of at least this many people counts as a city.
CITY_POPULATION = 100_000
#: Seats of second- to fourth-level areas (and seats of government): a city's class.
SEAT_CODES = frozenset({"PPLA2", "PPLA3", "PPLA4", "PPLG"})
#: Named water (layers/gazetteer/marine.csv): an ocean weighs as a country, a sea or gulf
#: as a first-level area, a bay, strait, channel, lake or river as a town.
WATER_IMPORTANCE = {
    "OCN": Importance.COUNTRY, "SEA": Importance.ADMIN1, "GULF": Importance.ADMIN1,
    **{code: Importance.PLACE for code in ("BAY", "STRT", "CHN", "SD", "FJD", "INLT", "LGN",
                                           "STM", "LK")},
}
#: Codes of the features that stand for an administrative area: the area itself or its seat.
AREA_SEAT_CODES = frozenset({"ADM1", "ADM2", "ADM3", "PPLA", "PPLA2", "PPLA3"})
_WATER_LABELS = {"OCN": "ocean", "SEA": "sea or gulf", "GULF": "sea or gulf"}
_OTHER_WATER_LABEL = "bay or strait"


def importance(feature_class: str, feature_code: str, population: int) -> Importance:
    """Return the importance class of a feature.

    Examples
    --------
    >>> importance("P", "PPLC", 0), importance("P", "PPL", 250_000), importance("P", "PPL", 900)
    (<Importance.CAPITAL: 5>, <Importance.CITY: 3>, <Importance.PLACE: 2>)
    >>> [int(importance("H", code, 0)) for code in ("OCN", "SEA", "HLL")]
    [6, 4, 0]
    """
    if feature_class == "A":
        return Importance.COUNTRY if feature_code.startswith("PCL") else Importance.AREA
    if feature_class == "H" and feature_code in WATER_IMPORTANCE:
        return WATER_IMPORTANCE[feature_code]
    if feature_class != "P":
        return Importance.OTHER
    if feature_code == "PPLC":
        return Importance.CAPITAL
    if feature_code == "PPLA":
        return Importance.ADMIN1
    if feature_code in SEAT_CODES or population >= CITY_POPULATION:
        return Importance.CITY
    return Importance.PLACE


def importance_label(feature_class: str, feature_code: str, rank: int) -> str:
    """How a rule text names a feature's class: water by its kind, the rest by class.

    Examples
    --------
    >>> importance_label("H", "SEA", 4), importance_label("P", "PPLA", 4)
    ('sea or gulf', 'admin-1 seat')
    """
    if feature_class == "H":
        return _WATER_LABELS.get(feature_code, _OTHER_WATER_LABEL)
    return Importance(rank).label
