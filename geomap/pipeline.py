"""The whole flow in three calls: load + filter, then map or export.

These are the functions the CLI runs and a Python user calls; each takes the incidents as
a file path or as a table already in memory (a pandas DataFrame or GeoDataFrame of
incident records), and returns plain data and a :class:`Report` that accounts for every
input row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.atomic import check_outputs, commit_together, is_device
from geomap.errors import FilterError, PlaceNotFound
from geomap.incidents import IncidentLoad, Source, filter_incidents, load_incidents
from geomap.incidents.filter_values import CHOICES, require_matches
from geomap.incidents.filters import BBox
from geomap.incidents.rejects import STRICT, rejected_phrases
from geomap.incidents.validate import merge_phrases
from geomap.safe_csv import write_csv

__all__ = ["Filters", "Report", "Prepared", "prepare", "make_map", "map_page", "export",
           "import_advice", "involved_countries", "write_unresolved", "COMPANIONS",
           "companion_path", "check_output", "write_rejected"]

FRAME_TITLE = "incidents"  # map title of a table in memory, which has no file name

#: The files written next to an output, ``<stem>.<kind>.csv``: kind -> what they hold.
COMPANIONS = {"unresolved": "the unresolved rows", "rejected": "the rejected rows"}


@dataclass(frozen=True)
class Filters:
    """What to keep; every criterion given must hold.

    An inclusive day range; ISO country codes; event types; ``admin1`` names, or
    ``areas`` (names of admin-1, admin-2 or admin-3 areas); ``actors``, texts found in
    actor1, actor2 or their associated actors; ``min_fatalities``; a ``bbox`` (a
    :class:`~geomap.incidents.filters.BBox`, or west, south, east, north); the greatest
    distance (km) to the nearest international land border. Names match on the
    gazetteer's keys: case and accents do not count. :func:`prepare` refuses a country,
    type, area or actor that matches nothing in the data, with the data's values.

    Raises
    ------
    FilterError
        For a bounding box out of range, or a negative number of fatalities or km.
    """

    start: object = None
    end: object = None
    countries: Sequence[str] = ()
    event_types: Sequence[str] = ()
    admin1: Sequence[str] = ()
    areas: Sequence[str] = ()
    actors: Sequence[str] = ()
    min_fatalities: int | None = None
    bbox: BBox | Sequence[float] | None = None
    within_km_of_border: float | None = None

    def __post_init__(self) -> None:
        if self.bbox is not None and not isinstance(self.bbox, BBox):
            object.__setattr__(self, "bbox", BBox(*self.bbox))
        for name in ("min_fatalities", "within_km_of_border"):
            value = getattr(self, name)
            if value is not None and not value >= 0:
                raise FilterError(f"{name} must be a number >= 0, got {value!r}")

    def criteria(self, *, border: bool = True) -> dict[str, object]:
        """The keyword arguments of :func:`~geomap.incidents.filters.filter_incidents`
        (without the border distance unless ``border``)."""
        kwargs = {f.name: getattr(self, f.name) for f in fields(self)}
        return kwargs if border else {**kwargs, "within_km_of_border": None}

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
    #: Advice to import GeoNames (:func:`geomap.gazetteer.advice.import_hint`), or "".
    hint: str = ""
    #: Rows kept apart that share an event id with another row (date, place or fatalities
    #: differ); they are among the mapped, filtered out and unresolved rows.
    conflicts: int = 0
    #: NUL bytes the exporter removed from text cells (:func:`geomap.safe_csv.strip_nul`).
    nul_stripped: int = 0
    #: Rows set aside for a value validation refuses (``on_bad_rows="skip"``), and the
    #: file that lists them: rows read = mapped + filtered out + unresolved + merged +
    #: rejected.
    rejected: int = 0
    rejected_file: str = ""
    #: The page :func:`make_map` wrote, as a :class:`geomap.map.document.Map` (shown
    #: inline in Jupyter), or ``None`` for an export.
    map: object = field(default=None, repr=False, compare=False)

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> Report("a.csv", 12, 9, 2, 1, 0, "out.html").summary()
        'a.csv: 12 rows read, 9 mapped, 2 filtered out, 1 unresolved -> out.html'
        >>> Report("a.csv", 3, 3, 0, 0, 0, at_area=1).summary().split(", ")[1]
        "3 mapped (1 at their commune's centre"
        >>> Report("a.csv", 1, 1, 0, 0, 0, nul_stripped=2).summary().split(", ")[-1]
        '2 NUL bytes stripped'
        >>> Report("a.csv", 3, 1, 0, 0, 0, "o.html", rejected=2,
        ...        rejected_file="o.rejected.csv").summary().split("; ")[-1]
        '2 rejected -> o.rejected.csv'
        """
        mapped = f"{self.mapped} mapped"
        if self.at_area:
            mapped += f" ({self.at_area} at their commune's centre, precision 3)"
        parts = [f"{self.rows_read} rows read", mapped,
                 f"{self.filtered_out} filtered out", f"{self.unresolved} unresolved"]
        parts += merge_phrases(self.merged, self.conflicts)
        if self.nul_stripped:
            parts.append(f"{self.nul_stripped} NUL bytes stripped")
        line = f"{self.path}: " + ", ".join(parts)
        if self.output:
            line += f" -> {self.output}"
        if self.unresolved_file:
            line += f" (unresolved rows: {self.unresolved_file})"
        return "; ".join([line, *rejected_phrases(self.rejected, self.rejected_file)])


@dataclass(frozen=True)
class Prepared:
    """Loaded, placed, filtered incidents with their border distances."""

    load: IncidentLoad
    incidents: gpd.GeoDataFrame
    #: Advice to import GeoNames (:func:`geomap.gazetteer.advice.import_hint`), or "".
    hint: str = ""

    def report(self, output: str = "", unresolved_file: str = "",
               rejected_file: str = "") -> Report:
        """Account for every row of the input."""
        n = len(self.load.incidents)
        at_area = int((self.incidents["geocode_method"] == "area").sum()) \
            if "geocode_method" in self.incidents else 0
        return Report(self.load.path, self.load.rows_read, len(self.incidents),
                      n - len(self.incidents), len(self.load.unresolved), self.load.merged,
                      output, unresolved_file, at_area=at_area, hint=self.hint,
                      conflicts=self.load.conflicts, rejected=len(self.load.rejected),
                      rejected_file=rejected_file)


def prepare(source: Source, filters: Filters | None = None, *, gazetteer=None,
            on_bad_rows: str = STRICT) -> Prepared:
    """Load, place and filter the incidents of ``source``, then add border distances.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        An incident file, or a table of incident records (the columns a file would have).
    filters : Filters, optional
        What to keep (country names become codes: :meth:`Filters.resolved`).
    gazetteer : Gazetteer, optional
        For rows without coordinates; default the bundled one.
    on_bad_rows : {"strict", "skip"}
        At a value validation refuses: stop (a :class:`~geomap.errors.RowError`), or set
        the row aside (``load.rejected``) and go on
        (:func:`~geomap.incidents.load.load_incidents`).

    Raises
    ------
    FilterError
        When a country, type, area or actor of ``filters`` matches nothing in the data
        (:func:`~geomap.incidents.filter_values.require_matches`).

    Examples
    --------
    >>> from geomap.resources import layer_path
    >>> p = prepare(layer_path("incidents/algeria_mali.csv"), Filters(start="2025-01-01"))
    >>> len(p.incidents), p.report().rows_read
    (3, 11)
    """
    from geomap.borders.distance import distance_to_border

    filters = (filters or Filters()).resolved(gazetteer)
    load = load_incidents(source, gazetteer=gazetteer, on_bad_rows=on_bad_rows)
    require_matches(load.incidents, **{name: getattr(filters, name) for name in CHOICES})
    kept = filter_incidents(load.incidents, **filters.criteria(border=False)).copy()
    if len(kept):
        dist = distance_to_border(kept["longitude"].to_numpy(), kept["latitude"].to_numpy())
        kept["border_distance_km"] = dist["border_distance_km"].to_numpy()
        kept["border_pair"] = dist["border_pair"].to_numpy()
    else:
        kept["border_distance_km"] = pd.Series(dtype=float)
        kept["border_pair"] = pd.Series(dtype=object)
    if filters.within_km_of_border is not None:  # measured on the rows kept so far only
        kept = filter_incidents(kept, within_km_of_border=filters.within_km_of_border)
    return Prepared(load, kept, import_advice(load, gazetteer))


def import_advice(load: IncidentLoad, gazetteer=None) -> str:
    """The advice to import GeoNames when the gazetteer left too many of the names it was
    asked about unresolved (:func:`geomap.gazetteer.advice.import_hint`), or ""."""
    from geomap.gazetteer.advice import import_hint
    from geomap.gazetteer.lookup import default_gazetteer
    from geomap.incidents.locate import GIVEN_METHOD, NO_NAME_REASON

    incidents, unresolved = load.incidents, load.unresolved
    if "geocode_method" not in incidents or unresolved.empty:
        return ""
    placed = incidents[incidents["geocode_method"] != GIVEN_METHOD]
    failed = unresolved[unresolved["reason"] != NO_NAME_REASON]
    hint = import_hint(gazetteer or default_gazetteer(),
                       pd.concat([placed["location"], failed["location"]]),
                       pd.concat([placed["country"], failed["country"]]),
                       np.arange(len(placed) + len(failed)) < len(placed))
    return str(hint) if hint else ""


def companion_path(output: str | Path, kind: str) -> Path:
    """The companion file of ``output`` holding :data:`COMPANIONS` ``kind``.

    Examples
    --------
    >>> companion_path("out/map.html", "unresolved").as_posix()
    'out/map.unresolved.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.{kind}.csv")


def check_output(source: Source, output: str | Path) -> tuple[Path, ...]:
    """Refuse an ``output`` that is the ``source`` file (also through a link), or whose
    companion would land on it (:func:`geomap.atomic.check_outputs`); return the companion
    paths (none for a device such as ``/dev/null``: nothing is written next to it)."""
    output = Path(output)
    companions = {} if is_device(output) else {
        companion_path(output, kind): f"{what} of {output}" for kind, what in COMPANIONS.items()}
    check_outputs([source], {output: "the output", **companions})
    return tuple(companions)


def write_unresolved(prepared: Prepared, output: Path, *, raw_csv: bool = False) -> str:
    """Write the unresolved rows next to ``output`` (``<stem>.unresolved.csv``), if any
    (never next to a device such as ``/dev/null``); cells a spreadsheet would run as
    formulas are neutralised unless ``raw_csv``."""
    if prepared.load.unresolved.empty or is_device(output):
        return ""
    target = companion_path(output, "unresolved")
    write_csv(prepared.load.unresolved, target, raw=raw_csv)
    return str(target)


def write_rejected(prepared: Prepared, output: Path, *, raw_csv: bool = False) -> str:
    """Write the rejected rows (``on_bad_rows="skip"``) next to ``output``
    (``<stem>.rejected.csv``: file, row, column, reason and the row's cells), if any, as
    :func:`write_unresolved` writes the unresolved ones."""
    if prepared.load.rejected.empty or is_device(output):
        return ""
    target = companion_path(output, "rejected")
    write_csv(prepared.load.rejected, target, raw=raw_csv)
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


def map_page(incidents: gpd.GeoDataFrame, *, title: str | None = None,
             tiles: str | None = "default", offline: bool = False, style=None):
    """Return the standalone page of ``incidents`` as a :class:`geomap.map.document.Map`.

    The page carries the world's countries as its vector basemap and the border layers of
    the countries the incidents involve (:func:`involved_countries`); ``tiles``,
    ``offline`` and ``style`` (a :class:`geomap.map.page.MarkerStyle`: sizes by
    fatalities, colours by any column) are those of :class:`geomap.map.page.MapOptions`.
    """
    from geomap.borders.layers import basemap_layers, border_layers
    from geomap.map.document import Map, render_page
    from geomap.map.page import MapOptions, MarkerStyle, build_map

    options = MapOptions(title=title, tiles=tiles, offline=offline,
                         style=style if style is not None else MarkerStyle())
    codes = involved_countries(incidents)
    layers = border_layers(codes) if codes else None
    fmap = build_map(incidents, options, borders=layers, basemap=basemap_layers()["countries"])
    return Map(render_page(fmap), title or "")


def make_map(
    source: Source,
    output: str | Path | None,
    filters: Filters | None = None,
    *,
    title: str | None = None,
    tiles: str | None = "default",
    offline: bool = False,
    style=None,
    gazetteer=None,
    raw_csv: bool = False,
    on_bad_rows: str = STRICT,
) -> Report:
    """Render the incidents of ``source`` to a standalone HTML map at ``output``.

    ``source`` is a file or a table of incident records (see :func:`prepare`); the title
    defaults to the file's name. Every page inlines Leaflet, geomap's code and a vector
    basemap of the world's countries, and draws the border layers of the countries
    involved (:func:`map_page`). ``tiles``: an online tile layer over that basemap
    (:class:`geomap.map.page.MapOptions`: by default OpenStreetMap, offered switched off;
    an xyzservices provider name shows it; ``None`` or ``"none"`` leaves it out);
    ``offline`` means no tile layer. ``style``: a :class:`geomap.map.page.MarkerStyle`
    (``MarkerStyle(size_by="fatalities", color_by="admin1")``). The web assets, the
    tile name and the output path
    (:func:`check_output`) are checked before any work is done; the map and its
    companions are written together (:func:`geomap.atomic.commit_together`). With
    ``output=None`` nothing is written: the report's ``map`` holds the page
    (:class:`geomap.map.document.Map`, shown inline in Jupyter). ``raw_csv``: see
    :func:`write_unresolved`; ``on_bad_rows``: see :func:`prepare` and
    :func:`write_rejected`.
    """
    from geomap.map.assets import check_offline_assets
    from geomap.map.page import MapOptions, MarkerStyle

    title = title or _title_of(source)
    style = style if style is not None else MarkerStyle()
    MapOptions(title=title, tiles=tiles, offline=offline, style=style)  # bad options fail first
    check_offline_assets()  # fail fast, in one line, before loading anything
    companions = check_output(source, output) if output is not None else ()
    prepared = prepare(source, filters, gazetteer=gazetteer, on_bad_rows=on_bad_rows)
    page = map_page(prepared.incidents, title=title, tiles=tiles, offline=offline, style=style)
    if output is None:
        return replace(prepared.report(), map=page)
    output = Path(output)
    with commit_together([output, *companions], stale=companions):
        page.save(output)
        unresolved = write_unresolved(prepared, output, raw_csv=raw_csv)
        rejected = write_rejected(prepared, output, raw_csv=raw_csv)
    return replace(prepared.report(str(output), unresolved, rejected), map=page)


def export(
    source: Source, output: str | Path, filters: Filters | None = None, *, gazetteer=None,
    raw_csv: bool = False, on_bad_rows: str = STRICT,
) -> Report:
    """Export the incidents of ``source`` (a file or a table) to ``output``.

    The format follows the suffix of ``output`` (:data:`geomap.export.FORMATS`); every
    input column is written. CSV cells a spreadsheet would run as formulas (in the export
    and in ``<stem>.unresolved.csv``) are neutralised unless ``raw_csv``; the report counts
    the NUL bytes dropped from text cells. The output path is checked first and the
    export is written together with its companions, as in :func:`make_map`
    (``<stem>.rejected.csv`` too, with ``on_bad_rows="skip"``: :func:`prepare`).
    """
    from geomap.export import export_incidents

    output = Path(output)
    companions = check_output(source, output)
    prepared = prepare(source, filters, gazetteer=gazetteer, on_bad_rows=on_bad_rows)
    with commit_together([output, *companions], stale=companions):
        done = export_incidents(prepared.incidents, output, raw_csv=raw_csv)
        unresolved = write_unresolved(prepared, output, raw_csv=raw_csv)
        rejected = write_rejected(prepared, output, raw_csv=raw_csv)
    report = prepared.report(str(output), unresolved, rejected)
    return replace(report, nul_stripped=done.nul_stripped)
