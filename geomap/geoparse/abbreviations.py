"""Written abbreviations of administrative areas: press style ("Va.", "B.C.") and postal
codes ("WA", "BC").

Press-style forms come from ``layers/gazetteer/area_abbreviations.csv``; postal codes
are the ISO 3166-2 subdivision codes of the countries that write them in everyday use.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict

from geomap.errors import GeomapError
from geomap.place import Place
from geomap.resources import layer_path

__all__ = ["ABBREVIATIONS", "POSTAL_CODE_COUNTRIES", "area_abbreviations"]

log = logging.getLogger(__name__)

ABBREVIATIONS = "gazetteer/area_abbreviations.csv"
#: Countries whose ISO 3166-2 subdivision codes are the postal abbreviations written in
#: everyday use ("Seattle, WA", "Nelson, BC", "Perth, WA").
POSTAL_CODE_COUNTRIES = ("US", "CA", "AU")


def area_abbreviations(by_iso: dict[str, Place]) -> dict[str, tuple[Place, ...]]:
    """Abbreviations, spaces removed ("W.Va."), -> the areas they stand for.

    Parameters
    ----------
    by_iso : dict
        ISO 3166-2 code -> area (see :func:`geomap.geoparse.areas.admin_areas`).

    Returns
    -------
    dict
        The postal codes of :data:`POSTAL_CODE_COUNTRIES` first, then the shipped table.

    Examples
    --------
    >>> va = Place("iso3166-2:US-VA", "Virginia", "US", 37.5, -78.8, "A", "ADM1")
    >>> area_abbreviations({"US-VA": va})["Va."] == area_abbreviations({"US-VA": va})["VA"]
    True
    """
    out: dict[str, list[Place]] = defaultdict(list)
    for iso, place in sorted(by_iso.items()):
        country, _, code = iso.partition("-")
        if country in POSTAL_CODE_COUNTRIES and code.isalpha():
            out[code].append(place)
    try:
        path = layer_path(ABBREVIATIONS)
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (GeomapError, OSError) as err:
        log.warning("no abbreviations table (%s)", err)
        rows = []
    for row in rows:
        if row["iso_3166_2"] in by_iso:
            out[row["abbreviation"].replace(" ", "")].append(by_iso[row["iso_3166_2"]])
    return {key: tuple(places) for key, places in out.items()}
