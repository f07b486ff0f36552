"""``geomap gazetteer import | info | remove``: the sources of the local gazetteer index."""

from __future__ import annotations

import click

from geomap.cli.format import import_line, removed_line, sources_table

__all__ = ["gazetteer", "gazetteer_import", "gazetteer_info", "gazetteer_remove"]


@click.group()
def gazetteer() -> None:
    """Manage the local gazetteer index: import GeoNames dumps or CSV files, list, remove."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", help="Source name (default: the file name). Only with one FILE.")
@click.option("--no-progress", is_flag=True, help="Do not show a progress bar.")
def gazetteer_import(files: tuple[str, ...], name: str | None, no_progress: bool) -> None:
    """Import GeoNames dumps (ML.txt, allCountries.zip, ...) or CSV gazetteers.

    Importing a file again replaces its earlier import.
    """
    from geomap.gazetteer.importer import import_file

    if name and len(files) > 1:
        raise click.BadParameter("give --name with a single FILE", param_hint="--name")
    for path in files:
        click.echo(import_line(import_file(path, name=name, progress=not no_progress)), err=True)


@gazetteer.command("info")
def gazetteer_info() -> None:
    """List the sources of the index: kind, places, import and modification dates."""
    from geomap.gazetteer.importer import list_sources
    from geomap.gazetteer.lookup import default_gazetteer

    for line in sources_table(list_sources()):
        click.echo(line)
    click.echo(f"index: {default_gazetteer().index.path}", err=True)


@gazetteer.command("remove")
@click.argument("source")
def gazetteer_remove(source: str) -> None:
    """Remove the imported SOURCE (as `geomap gazetteer info` names it) from the index."""
    from geomap.gazetteer.importer import remove_source

    click.echo(removed_line(remove_source(source)), err=True)
