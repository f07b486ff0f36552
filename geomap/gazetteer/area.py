"""The hinted area: where administrative hints (admin1-3) say a place is, as a circle.

A lookup turns the finest consistent admin hint into an :class:`Area` (the point of the
area's seat or of the area itself, and a radius per level, :data:`ADMIN_RADII_KM`), and
compares a candidate's administrative labels with the hints by :func:`same_area`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from geomap.gazetteer.normalize import name_key
from geomap.geodesy import great_circle_km
from geomap.place import Place

__all__ = ["Area", "ADMIN_RADII_KM", "TIGHT_RADIUS_KM", "UNIQUE_NAME_FACTOR", "SAME_AREA_RATIO",
           "GENERIC_AREA_WORDS", "ADMIN_CODE", "area_key", "same_area"]

#: Radius of the area an admin-1, admin-2 and admin-3 hint stands for.
ADMIN_RADII_KM = (300.0, 150.0, 75.0)
#: An area of at most this radius is tight (an admin-2 or admin-3 hint, the data's
#: commune): where in it a place lies, and a loose spelling, say something. A wider one
#: (a region, whose point is its seat) only says which part of the country.
TIGHT_RADIUS_KM = 150.0
#: A name unique in its country may lie this many radii from the hinted area's point
#: (large Saharan communes and cercles), not anywhere.
UNIQUE_NAME_FACTOR = 2.0
#: Two area names (without their generic words) with at least this rapidfuzz ratio
#: (0-100) name the same area: "Tombouctou" and "Tombuctu", "Douentza" and "Douenza".
SAME_AREA_RATIO = 85
#: Words that say what kind of area a name is, not which one ("Cercle de Goundam").
GENERIC_AREA_WORDS = frozenset({
    "region", "cercle", "de", "d", "du", "province", "prefecture", "departement",
    "department", "commune", "wilaya", "district", "of",
})
#: An administrative code as GeoNames writes it (``ML.10``), not a name.
ADMIN_CODE = re.compile(r"^[A-Z]{2}\.")


@dataclass(frozen=True, slots=True)
class Area:
    """An administrative hint (or other evidence) as a point and a radius.

    Examples
    --------
    >>> koro = Area("admin-2 area 'Koro'", 14.07, -3.08, 150.0)
    >>> town = Place("x:1", "Daga", "ML", 14.12, -3.00)
    >>> koro.holds(town), round(koro.distance(town), 1)
    (True, 10.3)
    >>> koro.widened(2.0).radius_km, koro.tight, koro.widened(2.0).tight
    (300.0, True, False)
    """

    label: str
    lat: float
    lon: float
    radius_km: float

    def distance(self, place: Place) -> float:
        """Great-circle distance from the area's point to the place, in km."""
        return great_circle_km(self.lat, self.lon, place.lat, place.lon)

    def holds(self, place: Place) -> bool:
        """Whether the place lies within the radius."""
        return self.distance(place) <= self.radius_km

    @property
    def tight(self) -> bool:
        """Whether the radius is at most :data:`TIGHT_RADIUS_KM`."""
        return self.radius_km <= TIGHT_RADIUS_KM

    def widened(self, factor: float) -> Area:
        """The same area with its radius multiplied by ``factor``."""
        return Area(self.label, self.lat, self.lon, self.radius_km * factor)


def area_key(name: str) -> str:
    """The compact key of an area name without its generic words.

    Examples
    --------
    >>> area_key("Cercle de Goundam"), area_key("Région de Tombouctou")
    ('goundam', 'tombouctou')
    """
    return "".join(t for t in name_key(name).split(" ") if t not in GENERIC_AREA_WORDS)


def same_area(label: str | None, hint: str) -> bool:
    """Tell whether an administrative label and a hint name the same area.

    Examples
    --------
    >>> same_area("Cercle de Douentza", "Douenza"), same_area("Mopti Region", "Kidal")
    (True, False)
    >>> same_area(None, "Mopti")
    False
    """
    if not label:
        return False
    a, b = area_key(label), area_key(hint)
    return bool(a) and (a == b or fuzz.ratio(a, b) >= SAME_AREA_RATIO)
