"""``geomap gazetteer import | download | info | remove``: the sources of the local index."""

from __future__ import annotations

import click

from geomap.cli.format import import_line, removed_line, sources_table
from geomap.cli.options import quiet_option

__all__ = ["gazetteer", "gazetteer_download", "gazetteer_import", "gazetteer_info",
           "gazetteer_remove"]


@click.group()
def gazetteer() -> None:
    """Manage the local gazetteer index: import or download GeoNames dumps, import CSV files,
    list, remove."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", help="Source name (default: the file name). Only with one FILE.")
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
@quiet_option("No progress bars and no summary lines (errors and warnings are still "
              "printed).")
def gazetteer_import(files: tuple[str, ...], name: str | None, no_progress: bool,
                     quiet: bool) -> None:
    """Import GeoNames dumps (ML.txt, allCountries.zip, ...) or CSV gazetteers.

    Importing a file again replaces its earlier import. The fuzzy-name structure is
    rebuilt once, after the last file.
    """
    from geomap.gazetteer.importer import import_file

    if name and len(files) > 1:
        raise click.BadParameter("give --name with a single FILE", param_hint="--name")
    for i, path in enumerate(files):
        info = import_file(path, name=name, progress=not (no_progress or quiet),
                           refresh=i == len(files) - 1)
        if not quiet:
            click.echo(import_line(info), err=True)


@gazetteer.command("download")
@click.argument("countries", nargs=-1, required=True, metavar="CC [CC ...]")
@click.option("--url-template", metavar="URL",
              help="Where the dumps are, with {code} for the country code (a mirror). "
                   "Default: $GEOMAP_GEONAMES_URL, else "
                   "https://download.geonames.org/export/dump/{code}.zip.")
@quiet_option("No progress bars and no summary lines (errors and warnings are still "
              "printed).")
def gazetteer_download(countries: tuple[str, ...], url_template: str | None,
                       quiet: bool) -> None:
    """Download GeoNames country dumps (CC BY 4.0) and import them: ML BF NE, mli, Niger.

    Each dump is checked, kept under geomap's home directory (downloads/CC.zip) and
    imported as `geomap gazetteer import CC.zip` would; downloading again replaces it.
    GeoNames data is licensed CC BY 4.0: credit "Places: GeoNames (CC BY 4.0)".

    Offline? Download https://download.geonames.org/export/dump/CC.zip elsewhere and run
    `geomap gazetteer import CC.zip`.
    """
    from geomap.gazetteer.download import download_countries

    for info in download_countries(countries, url_template=url_template, progress=not quiet):
        if not quiet:
            click.echo(import_line(info), err=True)


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
