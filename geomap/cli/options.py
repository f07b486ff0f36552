"""The options several commands share, declared once.

``-o/--output`` and ``--offline`` come as factories (each command words its own help); the
filter options of ``map`` and ``export`` arrive in the command as one
:class:`geomap.pipeline.Filters` (``filters``); the hint-column options of ``geocode
--input`` arrive as one :class:`HintColumns` (``hint_columns``); ``-q/--quiet``
(:func:`quiet_option`) runs the command without progress bars and passes ``quiet`` on, so
that it prints no summary; ``--raw-csv`` (:func:`raw_csv_option`) turns off the formula
neutralising of the CSV files a command writes; ``--on-bad-rows`` (:func:`on_bad_rows_option`)
says whether a bad row stops the command or is set aside (:func:`exit_for_rejected`). Only
click is imported here: ``geomap --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

__all__ = [
    "HintColumns",
    "default_output",
    "bbox_value",
    "exit_for_rejected",
    "filter_options",
    "on_bad_rows_option",
    "hint_column_options",
    "iso_day",
    "offline_option",
    "output_option",
    "quiet_option",
    "raw_csv_option",
    "split_list",
    "tile_choice",
    "tiles_option",
]

OFFLINE_HELP = ("No online tile layer at all (every page inlines its assets and draws its "
                "own vector basemap; by default OpenStreetMap is offered, switched off).")
TILES_HELP = ("Online tiles drawn over the vector basemap, shown on opening: an xyzservices "
              "provider name (OpenStreetMap.Mapnik, OpenTopoMap, Esri.WorldTopoMap, ...), or "
              "'none' to leave them out. Default: OpenStreetMap offered in the layer control, "
              "switched off, so the page asks no server for anything.")
QUIET_HELP = ("No progress bars, no summary or hint lines on stderr (errors and warnings "
              "are still printed).")


def iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: a ``YYYY-MM-DD`` flag value as a date (bad values: BadParameter)."""
    if value is None:
        return None
    from geomap.incidents.dates import parse_iso_day

    try:
        return parse_iso_day(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def split_list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    """Click callback: repeated and comma-separated values as one list.

    Examples
    --------
    >>> split_list(None, None, ("ML, DZ", "NE", " "))
    ['ML', 'DZ', 'NE']
    """
    return [part.strip() for v in value for part in v.split(",") if part.strip()]


def output_option(help_text: str, *, required: bool = False,
                  callback: Callable | None = None) -> Callable:
    """The ``-o/--output`` file option, with the command's own help text (and check)."""
    return click.option("-o", "--output", required=required, type=click.Path(dir_okay=False),
                        callback=callback, help=help_text)


def offline_option(help_text: str = OFFLINE_HELP) -> Callable:
    """The ``--offline`` flag: inline every asset of the map page."""
    return click.option("--offline", is_flag=True, help=help_text)


def _tile_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: a known xyzservices provider name (or ``none``), else BadParameter
    listing the closest names."""
    if value is None:
        return None
    from geomap.errors import RenderError
    from geomap.map.tiles import tile_provider

    try:
        tile_provider(value)
    except RenderError as err:
        raise click.BadParameter(str(err)) from None
    return value


def tiles_option(help_text: str = TILES_HELP) -> Callable:
    """The ``--tiles NAME`` option of a map: checked before any work is done."""
    return click.option("--tiles", metavar="NAME", callback=_tile_name, help=help_text)


def tile_choice(tiles: str | None, offline: bool) -> str | None:
    """The ``tiles`` argument of :func:`geomap.pipeline.make_map` for ``--tiles`` and
    ``--offline``; both naming a provider is a :class:`click.BadParameter`.

    Examples
    --------
    >>> tile_choice(None, False), tile_choice(None, True), tile_choice("OpenTopoMap", False)
    ('default', None, 'OpenTopoMap')
    """
    if offline and tiles is not None and tiles.strip().lower() != "none":
        raise click.BadParameter("--offline draws no tile layer; leave --tiles out, or drop "
                                 "--offline", param_hint="--tiles")
    if offline:
        return None
    return "default" if tiles is None else tiles


def quiet_option(help_text: str = QUIET_HELP) -> Callable:
    """The ``-q/--quiet`` flag: the command runs with no progress bar anywhere
    (:func:`geomap.gazetteer.progress.progress_bars`); it gets ``quiet`` to skip its
    summary lines."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from geomap.gazetteer.progress import progress_bars

            with progress_bars(not kwargs["quiet"]):
                return func(*args, **kwargs)

        return click.option("-q", "--quiet", is_flag=True, help=help_text)(wrapper)

    return decorate


RAW_CSV_HELP = ("Write CSV cells as they are. By default a text cell starting with = + - @, "
                "a tab or a CR (not a plain number) gets a leading ' so that spreadsheets "
                "show it instead of running it as a formula.")


def raw_csv_option(help_text: str = RAW_CSV_HELP) -> Callable:
    """The ``--raw-csv`` flag: no formula neutralising in the CSV files the command writes
    (:mod:`geomap.safe_csv`); the command gets ``raw_csv``."""
    return click.option("--raw-csv", is_flag=True, help=help_text)


#: ``--on-bad-rows`` choices (:data:`geomap.incidents.rejects.ON_BAD_ROWS`, restated so
#: that ``--help`` loads no pandas; tests/cli/test_filter_options.py ties the two).
ON_BAD_ROWS = ("strict", "skip")
#: The exit status of a command that set rows aside (``--on-bad-rows skip``).
EXIT_REJECTED = 1
ON_BAD_ROWS_HELP = ("A row with a bad value (a date that does not parse, a coordinate or a "
                    "number out of range): strict stops at the first, with one line; skip "
                    "writes such rows to <output stem>.rejected.csv with the reason, goes on "
                    "with the others and exits with status 1.")


def on_bad_rows_option(help_text: str = ON_BAD_ROWS_HELP) -> Callable:
    """The ``--on-bad-rows strict|skip`` option; the command gets ``on_bad_rows``."""
    return click.option("--on-bad-rows", type=click.Choice(ON_BAD_ROWS), default=ON_BAD_ROWS[0],
                        show_default=True, help=help_text)


def exit_for_rejected(rejected: int) -> None:
    """End the command with :data:`EXIT_REJECTED` when it set rows aside."""
    if rejected:
        click.get_current_context().exit(EXIT_REJECTED)


def default_output(input_path: str | Path, suffix: str) -> Path:
    """``output/<input stem><suffix>``, the file a command writes when ``-o`` is not given."""
    from geomap.resources import output_dir

    return output_dir() / f"{Path(input_path).stem}{suffix}"


def _apply(func: Callable, options: list[Callable]) -> Callable:
    for option in reversed(options):
        func = option(func)
    return func


FILTER_FLAGS = ("start", "end", "countries", "event_types", "admin1", "areas", "actors",
                "min_fatalities", "bbox", "within_km_of_border")


def filter_options(func: Callable) -> Callable:
    """Add ``--from``, ``--to``, ``--country``, ``--type``, ``--admin1``, ``--area``,
    ``--actor``, ``--min-fatalities``, ``--bbox``, ``--within-km-of-border``; pass them on
    as ``filters``.

    Country names are resolved to ISO codes here (:meth:`geomap.pipeline.Filters.resolved`),
    so that an unknown name is a bad ``--country`` value, not an error of the command; a
    bounding box out of range is a bad ``--bbox``. A country, type, area or actor that the
    data does not hold is refused once the data is read
    (:func:`geomap.incidents.filter_values.require_matches`).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = {name: kwargs.pop(name) for name in FILTER_FLAGS}
        return func(*args, filters=_filters(**flags), **kwargs)

    return _apply(wrapper, [
        click.option("--from", "start", callback=iso_day, metavar="YYYY-MM-DD",
                     help="First day to keep (inclusive)."),
        click.option("--to", "end", callback=iso_day, metavar="YYYY-MM-DD",
                     help="Last day to keep (inclusive)."),
        click.option("--country", "countries", multiple=True, callback=split_list,
                     metavar="CC,...", help="Keep these countries (ISO codes or names)."),
        click.option("--type", "event_types", multiple=True, callback=split_list,
                     metavar="TYPE,...", help="Keep these event types (ACLED names)."),
        click.option("--admin1", multiple=True, callback=split_list, metavar="NAME,...",
                     help="Keep events whose admin1 is one of these (case and accents "
                          "aside)."),
        click.option("--area", "areas", multiple=True, callback=split_list,
                     metavar="NAME,...", help="Keep events whose admin1, admin2 or admin3 is "
                                              "one of these (case and accents aside)."),
        click.option("--actor", "actors", multiple=True, metavar="TEXT",
                     help="Keep events with TEXT in actor1, actor2, assoc_actor_1 or "
                          "assoc_actor_2 (case and accents aside; repeat for any of several)."),
        click.option("--min-fatalities", type=click.IntRange(min=0), metavar="N",
                     help="Keep events with at least N fatalities."),
        click.option("--bbox", callback=bbox_value, metavar="W,S,E,N",
                     help="Keep events in this box (degrees; W greater than E crosses the "
                          "antimeridian)."),
        click.option("--within-km-of-border", type=click.FloatRange(min=0), metavar="KM",
                     help="Keep events at most KM from the nearest international land "
                          "border."),
    ])


def bbox_value(ctx: click.Context, param: click.Parameter, value: str | None):
    """Click callback: ``W,S,E,N`` as a :class:`geomap.incidents.filters.BBox` (W and E in
    -180..180, S and N in -90..90, S below N; bad values: BadParameter)."""
    if value is None:
        return None
    from geomap.errors import FilterError
    from geomap.incidents.filters import BBox

    try:
        return BBox.parse(value)
    except FilterError as err:
        raise click.BadParameter(str(err)) from None


def _filters(start: dt.date | None, end: dt.date | None, countries: list[str],
             event_types: list[str], **more: Any):
    from geomap.errors import PlaceNotFound
    from geomap.pipeline import Filters

    if start and end and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    try:
        more = {name: tuple(v) if isinstance(v, list) else v for name, v in more.items()}
        return Filters(start, end, tuple(countries), tuple(event_types), **more).resolved()
    except PlaceNotFound as err:
        raise click.BadParameter(str(err), param_hint="--country") from None


@dataclass(frozen=True)
class HintColumns:
    """The input columns that hold each row's hints (country, admin-1, -2, -3), if any.

    Examples
    --------
    >>> HintColumns(country="country", admin3="commune").as_kwargs()["admin3_column"]
    'commune'
    """

    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None

    def as_kwargs(self) -> dict[str, str | None]:
        """The ``*_column`` keyword arguments of :func:`geomap.gazetteer.batch.geocode_file`."""
        return {"country_column": self.country, "admin1_column": self.admin1,
                "admin2_column": self.admin2, "admin3_column": self.admin3}


HINT_FLAGS = {"country_column": "country", "admin1_column": "admin1",
              "admin2_column": "admin2", "admin3_column": "admin3"}


def hint_column_options(func: Callable) -> Callable:
    """Add ``--country-column`` and ``--admin1/2/3-column``; pass them on as ``hint_columns``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        columns = HintColumns(**{field: kwargs.pop(flag) for flag, field in HINT_FLAGS.items()})
        return func(*args, hint_columns=columns, **kwargs)

    return _apply(wrapper, [
        click.option("--country-column", help="With --input: column of country hints."),
        click.option("--admin1-column", help="With --input: column of admin-1 names."),
        click.option("--admin2-column", help="With --input: column of admin-2 names."),
        click.option("--admin3-column", help="With --input: column of admin-3 names."),
    ])
