"""The ``geomap`` command: a thin shell over :mod:`geomap.pipeline` and friends.

One module per command family (:mod:`~geomap.cli.geocode`, :mod:`~geomap.cli.maps` for
``map``/``export``/``demo``, :mod:`~geomap.cli.gazetteer`, :mod:`~geomap.cli.check`,
:mod:`~geomap.cli.extract`), the shared options in :mod:`~geomap.cli.options`, what the
commands print in :mod:`~geomap.cli.format`. Data goes to stdout, the summary and errors
to stderr. Errors are handled once, here on the group: any :class:`GeomapError` ends the
command with one line and exit status 2, never a traceback; so does any other OS error
(worded by :func:`geomap.atomic.write_error`, as the writers word theirs). Heavy libraries
are imported inside the commands so that ``geomap --help`` starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from geomap.cli.check import check
from geomap.cli.extract import extract_command
from geomap.cli.gazetteer import gazetteer
from geomap.cli.geocode import geocode
from geomap.cli.maps import demo, export_command, map_command
from geomap.errors import GeomapError

__all__ = ["EXIT_ERROR", "GeomapGroup", "cli", "main"]

EXIT_ERROR = 2


class GeomapGroup(click.Group):
    """A click group that turns a :class:`GeomapError` into one line on stderr.

    Every subcommand (and sub-group) runs inside :meth:`invoke` of the top group, so the
    error is handled once for all of them: ``geomap: error: <message>``, exit status 2. An
    :class:`OSError` that is not a GeomapError (one raised outside geomap's writers) gets
    the same one line, worded by :func:`geomap.atomic.write_error`.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a GeomapError or an OSError becomes one line and exit
        status 2."""
        try:
            return super().invoke(ctx)
        except GeomapError as err:
            click.echo(f"geomap: error: {err}", err=True)
            ctx.exit(EXIT_ERROR)
        except OSError as err:  # not translated where it was raised: worded the same way
            from geomap.atomic import write_error

            click.echo(f"geomap: error: {write_error(err)}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=GeomapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geomap")
def cli() -> None:
    """Put incidents on a map: gazetteer, borders, standalone HTML maps, GIS exports."""


cli.add_command(geocode)
cli.add_command(map_command)
cli.add_command(export_command)
cli.add_command(demo)
cli.add_command(gazetteer)
cli.add_command(check)
cli.add_command(extract_command)


def main() -> None:
    """Entry point of the ``geomap`` console script."""
    cli()


if __name__ == "__main__":
    main()
