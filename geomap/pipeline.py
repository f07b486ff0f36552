"""The whole flow in three calls: load + filter, then map or export.

These are the functions the CLI runs and a Python user calls; each takes the incidents as
a file path or as a table already in memory (a pandas DataFrame or GeoDataFrame of
incident records), and returns plain data and a :class:`Report` that accounts for every
input row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.atomic import atomic_path
from geomap.errors import PlaceNotFound
from geomap.incidents import IncidentLoad, Source, filter_incidents, load_incidents

__all__ = ["Filters", "Report", "Prepared", "prepare", "make_map", "export",
           "involved_countries", "write_unresolved"]

FRAME_TITLE = "incidents"  # map title of a table in memory, which has no file name


@dataclass(frozen=True)
class Filters:
    """What to keep: inclusive day range, ISO country codes, event types."""

    start: object = None
    end: object = None
    countries: Sequence[str] = ()
    event_types: Sequence[str] = ()

    def resolved(self, gazetteer=None) -> Filters:
        """The same filters with country names (or ISO3 codes) as ISO alpha-2 codes.

        Raises
        ------
        PlaceNotFound
            Naming the first country the gazetteer does not know.

        Examples
        --------
        >>> Filters(countries=("Mali", "dz")).resolved().countries
        ('ML', 'DZ')
        """
        if not self.countries:
            return self
        if gazetteer is None:
            from geomap.gazetteer.lookup import default_gazetteer

            gazetteer = default_gazetteer()
        codes = []
        for name in self.countries:
            code = gazetteer.country_code(name)
            if code is None:
                raise PlaceNotFound(f"unknown country {name!r}; give ISO codes (ML, DZ) or names")
            codes.append(code)
        return replace(self, countries=tuple(codes))


@dataclass(frozen=True)
class Report:
    """Where every input row went."""

    path: str
    rows_read: int
    mapped: int
    filtered_out: int
    unresolved: int
    merged: int
    output: str = ""
    unresolved_file: str = ""
    at_area: int = 0

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> Report("a.csv", 12, 9, 2, 1, 0, "out.html").summary()
        'a.csv: 12 rows read, 9 mapped, 2 filtered out, 1 unresolved -> out.html'
        >>> Report("a.csv", 3, 3, 0, 0, 0, at_area=1).summary().split(", ")[1]
        "3 mapped (1 at their commune's centre"
        """
        mapped = f"{self.mapped} mapped"
        if self.at_area:
            mapped += f" ({self.at_area} at their commune's centre, precision 3)"
        parts = [f"{self.rows_read} rows read", mapped,
                 f"{self.filtered_out} filtered out", f"{self.unresolved} unresolved"]
        if self.merged:
            parts.append(f"{self.merged} merged into their event (one row per actor)")
        line = f"{self.path}: " + ", ".join(parts)
        if self.output:
            line += f" -> {self.output}"
        if self.unresolved_file:
            line += f" (unresolved rows: {self.unresolved_file})"
        return line


@dataclass(frozen=True)
class Prepared:
    """Loaded, placed, filtered incidents with their border distances."""

    load: IncidentLoad
    incidents: gpd.GeoDataFrame

    def report(self, output: str = "", unresolved_file: str = "") -> Report:
        """Account for every row of the input."""
        n = len(self.load.incidents)
        at_area = int((self.incidents["geocode_method"] == "area").sum()) \
            if "geocode_method" in self.incidents else 0
        return Report(self.load.path, self.load.rows_read, len(self.incidents),
                      n - len(self.incidents), len(self.load.unresolved), self.load.merged,
                      output, unresolved_file, at_area=at_area)


def prepare(source: Source, filters: Filters | None = None, *, gazetteer=None) -> Prepared:
    """Load, place and filter the incidents of ``source``, then add border distances.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        An incident file, or a table of incident records (the columns a file would have).
    filters : Filters, optional
        What to keep (country codes: see :meth:`Filters.resolved` for names).
    gazetteer : Gazetteer, optional
        For rows without coordinates; default the bundled one.

    Examples
    --------
    >>> from geomap.resources import layer_path
    >>> p = prepare(layer_path("incidents/algeria_mali.csv"), Filters(start="2025-01-01"))
    >>> len(p.incidents), p.report().rows_read
    (3, 11)
    """
    from geomap.borders.distance import distance_to_border

    filters = filters or Filters()
    load = load_incidents(source, gazetteer=gazetteer)
    kept = filter_incidents(
        load.incidents, start=filters.start, end=filters.end,
        countries=list(filters.countries) or None,
        event_types=list(filters.event_types) or None,
    ).copy()
    if len(kept):
        dist = distance_to_border(kept["longitude"].to_numpy(), kept["latitude"].to_numpy())
        kept["border_distance_km"] = dist["border_distance_km"].to_numpy()
        kept["border_pair"] = dist["border_pair"].to_numpy()
    else:
        kept["border_distance_km"] = pd.Series(dtype=float)
        kept["border_pair"] = pd.Series(dtype=object)
    return Prepared(load, kept)


def write_unresolved(prepared: Prepared, output: Path) -> str:
    """Write the unresolved rows next to ``output`` (``<stem>.unresolved.csv``), if any."""
    if prepared.load.unresolved.empty:
        return ""
    target = output.with_name(f"{output.stem}.unresolved.csv")
    with atomic_path(target) as tmp:
        prepared.load.unresolved.to_csv(tmp, index=False)
    return str(target)


def involved_countries(incidents: gpd.GeoDataFrame) -> list[str]:
    """Countries the incidents name or fall in, most frequent first."""
    from geomap.borders.layers import country_of_points

    codes = list(incidents.get("country_code", pd.Series(dtype=object)).dropna())
    if len(incidents):
        codes += [c for c in country_of_points(incidents["longitude"].to_numpy(),
                                               incidents["latitude"].to_numpy()) if c]
    counts = pd.Series([c for c in codes if c], dtype=object).value_counts()
    return list(counts.index)


def _title_of(source: Source) -> str:
    if isinstance(source, pd.DataFrame):
        return FRAME_TITLE
    return Path(source).stem.replace("_", " ")


def make_map(
    source: Source,
    output: str | Path,
    filters: Filters | None = None,
    *,
    title: str | None = None,
    offline: bool = False,
    gazetteer=None,
) -> Report:
    """Render the incidents of ``source`` to a standalone HTML map at ``output``.

    ``source`` is a file or a table of incident records (see :func:`prepare`); the title
    defaults to the file's name. The border layers of the countries involved are drawn;
    an ``offline`` map also gets the world's countries as its vector basemap (in place of
    tiles). Offline assets are checked before any work is done.
    """
    from geomap.borders.layers import basemap_layers, border_layers
    from geomap.map.assets import check_offline_assets
    from geomap.map.page import MapOptions, build_map, save_map

    options = MapOptions(title=title or _title_of(source), offline=offline)
    if offline:
        check_offline_assets()  # fail fast, in one line, before loading anything
    prepared = prepare(source, filters, gazetteer=gazetteer)
    output = Path(output)
    codes = involved_countries(prepared.incidents)
    layers = border_layers(codes) if codes else None
    basemap = basemap_layers()["countries"] if offline else None
    fmap = build_map(prepared.incidents, options, borders=layers, basemap=basemap)
    save_map(fmap, output)
    return prepared.report(str(output), write_unresolved(prepared, output))


def export(
    source: Source, output: str | Path, filters: Filters | None = None, *, gazetteer=None
) -> Report:
    """Export the incidents of ``source`` (a file or a table) to ``output``.

    The format follows the suffix of ``output`` (:data:`geomap.export.FORMATS`).
    """
    from geomap.export import export_incidents

    prepared = prepare(source, filters, gazetteer=gazetteer)
    output = Path(output)
    export_incidents(prepared.incidents, output)
    return prepared.report(str(output), write_unresolved(prepared, output))
