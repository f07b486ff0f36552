"""CSV files -> a table of strings; a file that cannot be read is named with its row and column.

The rules, for every command that reads a CSV file (:func:`geomap.incidents.read.read_records`):

* **Encoding**: UTF-8, with or without a byte-order mark, or UTF-16 with its byte-order mark
  (Excel's "Unicode text"). Anything else (Latin-1, Windows-1252) is refused at the first
  value that is not UTF-8, naming its row and column: geomap never guesses an encoding.
* **Delimiter**: the one of :data:`DELIMITERS` (comma, semicolon, tab, vertical bar) that the
  header line holds most often outside quotes; a header with none of them is one column.
* **Quotes**: ``"`` around a value that holds the delimiter, a line break or a quote, a
  quote inside written ``""``. A quote that is never closed, or a row with more values than
  the header has columns, is refused with its row number; a shorter row is padded with
  empty values. Values may be of any length.

Rows are numbered as :class:`~geomap.errors.RowError` numbers them: the header is row 0,
the first record row 1 (a value over several lines is one row); blank lines are skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from pathlib import Path

import pandas as pd

from geomap.errors import InputFileError, RowError

__all__ = ["DELIMITERS", "read_csv_table", "sniff_delimiter"]

#: The delimiters geomap recognises, in the order that breaks a tie.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_HEAD_BYTES = 1 << 16  # enough of the file to hold its header line
_QUOTED = re.compile(r'"[^"]*"')
_TOO_MANY = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
_SAVE_AS = "save the file as UTF-8 (or UTF-16 with a byte-order mark)"
_Failure = InputFileError | RowError


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV file, from its header line.

    The one of :data:`DELIMITERS` that occurs most often outside quoted names (a tie goes
    to the earlier one); a comma when there is none (a one-column file).

    Examples
    --------
    >>> sniff_delimiter("event_date;location;notes, more"), sniff_delimiter("location")
    (';', ',')
    >>> sniff_delimiter('"date, time"\\tplace'), sniff_delimiter("reference")
    ('\\t', ',')
    """
    outside = _QUOTED.sub("", header)
    return max(DELIMITERS, key=outside.count) if any(d in outside for d in DELIMITERS) else ","


def read_csv_table(path: Path, label: str) -> pd.DataFrame:
    """Read a CSV file into a table of strings (empty values ``""``), the header's names.

    Raises
    ------
    InputFileError
        When the file is empty, its header holds NUL bytes (UTF-16 without its byte-order
        mark), or a row has more values than the header has columns.
    RowError
        When a value is not UTF-8 (or UTF-16) text, or a quoted value never ends.
    """
    encoding, head = _encoding(path)
    text = head.decode(encoding, errors="replace")
    if not text.strip():
        # the C parser would fail first, with a message that hides the cause
        raise InputFileError(f"{label}: the file is empty")
    header = next(line for line in text.splitlines() if line.strip())
    if "\x00" in header:
        raise InputFileError(f"{label}: row 0: the header holds NUL bytes (UTF-16 text without "
                             f"a byte-order mark?); {_SAVE_AS}")
    delimiter = sniff_delimiter(header)
    try:
        return pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False,
                           encoding=encoding, engine="c")
    except UnicodeError as err:
        raise _not_text(path, label, encoding, delimiter) from err
    except pd.errors.EmptyDataError as err:
        raise InputFileError(f"{label}: the file is empty") from err
    except pd.errors.ParserError as err:
        raise _unreadable(path, label, encoding, delimiter, err) from err


def _encoding(path: Path) -> tuple[str, bytes]:
    """The file's encoding (from its byte-order mark; UTF-8 without one) and its head."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, head
    return "utf-8-sig", head


def _records(text: str, delimiter: str):
    """The records of ``text`` with the physical line each ends on; blank lines skipped."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize // 2)  # values may be of any length
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        with contextlib.suppress(csv.Error):
            for record in reader:
                if record:
                    yield record, reader.line_num
    finally:
        csv.field_size_limit(limit)


def _column(header: list[str], position: int) -> str:
    return header[position] if position < len(header) else f"value {position + 1}"


def _not_text(path: Path, label: str, encoding: str, delimiter: str) -> _Failure:
    """The first value that is not ``encoding`` text, as a RowError (row and column)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        start, bad = err.start, f"byte 0x{data[err.start]:02x}"
    else:  # pandas met an error the whole file does not have: name the file only
        return InputFileError(f"{label}: not {encoding.split('-sig')[0].upper()} text; "
                              f"{_SAVE_AS}")
    text = data.decode(encoding, errors="replace")
    line = data[:start].decode(encoding, errors="replace").count("\n") + 1
    header: list[str] = []
    for number, (record, last_line) in enumerate(_records(text, delimiter)):
        header = header or record
        if last_line >= line:
            hit = next((i for i, value in enumerate(record) if "\ufffd" in value),
                       len(record) - 1)
            return RowError(label, number, _column(header, hit),
                            f"not UTF-8 text ({bad}); {_SAVE_AS}")
    return InputFileError(f"{label}: line {line}: not UTF-8 text ({bad}); {_SAVE_AS}")


def _unreadable(path: Path, label: str, encoding: str, delimiter: str,
                err: pd.errors.ParserError) -> _Failure:
    """A parser error as one line naming the row (and the column of an open quote)."""
    message = str(err)
    too_many = _TOO_MANY.search(message)
    if too_many:
        columns, line, values = (int(g) for g in too_many.groups())
        return InputFileError(
            f"{label}: row {line - 1}: {values} values where the header has {columns} "
            f"columns; quote a value that holds the delimiter {delimiter!r} "
            f'(write "a{delimiter} b")'
        )
    open_quote = _OPEN_QUOTE.search(message)
    if open_quote:
        row = int(open_quote.group(1))
        text = path.read_text(encoding=encoding, errors="replace")
        records = [record for record, _ in _records(text, delimiter)]
        header = records[0] if records else []
        column = _column(header, len(records[row]) - 1) if row < len(records) else "?"
        return RowError(label, row, column, 'a quoted value never ends: its opening " has no '
                        'closing "; close it (a quote inside a quoted value is written "")')
    return InputFileError(f"{label}: not a readable CSV file ({message.splitlines()[-1]})")

