"""The options several commands share, declared once.

``-o/--output`` and ``--offline`` come as factories (each command words its own help); the
filter options of ``map`` and ``export`` arrive in the command as one
:class:`geomap.pipeline.Filters` (``filters``); the hint-column options of ``geocode
--input`` arrive as one :class:`HintColumns` (``hint_columns``). Only click is imported
here: ``geomap --help`` stays fast.
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
    "filter_options",
    "hint_column_options",
    "iso_day",
    "offline_option",
    "output_option",
    "split_list",
]

OFFLINE_HELP = "Inline every asset: the page needs no network."


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


def default_output(input_path: str | Path, suffix: str) -> Path:
    """``output/<input stem><suffix>``, the file a command writes when ``-o`` is not given."""
    from geomap.resources import output_dir

    return output_dir() / f"{Path(input_path).stem}{suffix}"


def _apply(func: Callable, options: list[Callable]) -> Callable:
    for option in reversed(options):
        func = option(func)
    return func


FILTER_FLAGS = ("start", "end", "countries", "event_types")


def filter_options(func: Callable) -> Callable:
    """Add ``--from``, ``--to``, ``--country``, ``--type``; pass them on as ``filters``.

    Country names are resolved to ISO codes here (:meth:`geomap.pipeline.Filters.resolved`),
    so that an unknown name is a bad ``--country`` value, not an error of the command.
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
    ])


def _filters(start: dt.date | None, end: dt.date | None, countries: list[str],
             event_types: list[str]):
    from geomap.errors import PlaceNotFound
    from geomap.pipeline import Filters

    if start and end and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    try:
        return Filters(start, end, tuple(countries), tuple(event_types)).resolved()
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
