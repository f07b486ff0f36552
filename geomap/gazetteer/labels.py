"""Administrative labels: what the gazetteer's admin codes say about a hinted area.

A GeoNames place carries the codes of its first- and second-level areas (``ML.07``);
the index names them (``admin_names``). A hint names an area as a table writes it
("Mopti", "Cercle de Douentza"). :class:`AdminLabels` compares the two
(:func:`~geomap.gazetteer.area.same_area`): points for a matching label
(:data:`~geomap.gazetteer.ranking.ADMIN_MATCH_POINTS`), and the one candidate of a name
that the codes put in the hinted first-level area (:meth:`AdminLabels.sole_in_region`).

Inside a region-wide hint a label alone is weak evidence (GeoNames' codes lag behind
redrawn regions, and a common village name recurs in every region); a label that only one
of a name's namesakes in the country carries is strong. Measured on ACLED Mali
2017-2020 with ``ML.txt`` (dev data), geocoded with the country and admin-1 only: of the
names whose candidates tie, 52 have exactly one candidate labelled in the hinted region,
47 of them within 25 km of ACLED's point.
"""

from __future__ import annotations

import functools

from geomap.gazetteer.area import ADMIN_CODE, Area, same_area
from geomap.gazetteer.doubt import name_fits
from geomap.gazetteer.index import Index
from geomap.gazetteer.ranking import ADMIN_MATCH_POINTS, Candidate
from geomap.place import Hints, Place

__all__ = ["AdminLabels"]


class AdminLabels:
    """Administrative labels of places, read from an index and compared with hints.

    Parameters
    ----------
    index : Index
        Where the codes are named.

    Examples
    --------
    >>> from geomap.gazetteer.lookup import default_gazetteer
    >>> labels = AdminLabels(default_gazetteer().index)
    >>> town = Place("x:1", "Douentza", "ML", 15.0, -2.95, admin1="Mopti", admin2="Douentza")
    >>> labels.score(town, Hints("ML", "Mopti", "Douenza")), labels.score(town, Hints("ML", "Gao"))
    (3, 0)
    """

    def __init__(self, index: Index) -> None:
        self.index = index

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one per gazetteer, few codes
    def label(self, code: str) -> str | None:
        """The name of an admin code (``ML.07`` -> "Mopti"), or the label itself when a
        curated source wrote a name instead of a code; ``None`` when unknown."""
        if not code:
            return None
        label = self.index.admin_name(code)
        if label is None and not ADMIN_CODE.match(code):
            label = code  # curated places give the name itself
        return label

    def score(self, place: Place, hints: Hints) -> int:
        """The :data:`~geomap.gazetteer.ranking.ADMIN_MATCH_POINTS` the place's labels
        earn against the hints."""
        return sum(points for level, points in ADMIN_MATCH_POINTS.items()
                   if getattr(hints, level)
                   and same_area(self.label(getattr(place, level)), getattr(hints, level)))

    def sole_in_region(self, cands: list[Candidate], hints: Hints, area: Area | None
                       ) -> Candidate | None:
        """The one candidate whose admin-1 label names the hinted admin-1 area.

        Only inside a region-wide area (an admin-1 hint: ``area`` not
        :attr:`~geomap.gazetteer.area.Area.tight`), when exactly one of ``cands`` (a name's
        candidates in the hinted country) has that label, and not for a feature found only
        under an alternate name (:func:`~geomap.gazetteer.doubt.name_fits`). Such a
        candidate breaks a tie, and stands although it lies outside the region's radius
        (a Saharan region spans more than its seat's circle).
        """
        if area is None or area.tight or not hints.admin1:
            return None
        inside = [c for c in cands if same_area(self.label(c.place.admin1), hints.admin1)]
        if len({c.place.id for c in inside}) != 1 or not name_fits(inside[0], None, None):
            return None
        return inside[0]
