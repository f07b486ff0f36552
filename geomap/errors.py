"""The one exception root of geomap and its children.

Every error a user can cause derives from :class:`GeomapError`; children also inherit
the builtin they resemble so callers may catch either. Messages name the input (file,
row, column) and what would be valid.
"""

from __future__ import annotations

__all__ = [
    "GeomapError",
    "InputFileError",
    "RowError",
    "PlaceNotFound",
    "GazetteerError",
    "DamagedIndexError",
    "DiskFullError",
    "BorderError",
    "RenderError",
    "ExportError",
    "OutputError",
    "WriteError",
    "FilterError",
]


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputFileError(GeomapError, OSError):
    """An input file is missing, unreadable or not in a format geomap reads."""

    @classmethod
    def missing(cls, path: object, label: object = None) -> InputFileError:
        """The error for an input path that is not a file: missing, or a folder.

        Examples
        --------
        >>> str(InputFileError.missing("/nonexistent/x.csv"))
        '/nonexistent/x.csv: no such file'
        >>> str(InputFileError.missing("/"))
        '/: is a folder; give a file'
        """
        import os

        what = "is a folder; give a file" if os.path.isdir(str(path)) else "no such file"
        return cls(f"{label if label is not None else path}: {what}")


class RowError(GeomapError, ValueError):
    """One row of an input file holds a value geomap cannot use.

    Parameters
    ----------
    path : str
        The file the row comes from.
    row : int
        The 1-based data row number (the header is row 0 for CSV files).
    column : str
        The column holding the bad value.
    message : str
        What is wrong and what would be valid.
    """

    def __init__(self, path: str, row: int, column: str, message: str) -> None:
        self.path = path
        self.row = row
        self.column = column
        self.message = message
        super().__init__(f"{path}: row {row}, column {column!r}: {message}")


class PlaceNotFound(GeomapError, LookupError):
    """A place name has no match in the gazetteer."""


class GazetteerError(GeomapError):
    """The gazetteer index or one of its sources cannot be used."""


class DamagedIndexError(GazetteerError):
    """The gazetteer index file is damaged: found in use (rebuilt on the next run) or in a
    read-only folder (where it cannot be rebuilt)."""


class DiskFullError(GazetteerError, OSError):
    """The disk filled up while geomap wrote its gazetteer index (which is left as it was)."""


class BorderError(GeomapError):
    """Border layers cannot be built (unknown country code, missing data)."""


class RenderError(GeomapError):
    """The map cannot be rendered (for instance offline assets are missing)."""


class ExportError(GeomapError):
    """An export cannot be written (unknown format, unwritable path)."""


class OutputError(GeomapError, ValueError):
    """An output path would overwrite an input of the same run (or another of its outputs)."""


class FilterError(GeomapError, ValueError):
    """A filter value is not valid (a bounding box out of range), or matches nothing in
    the data (the message lists the data's values and the closest one)."""


class WriteError(GeomapError, OSError):
    """An output cannot be written: a read-only folder, a full disk, a file size limit, a
    parent path that is a file (:func:`geomap.atomic.write_error` words the OS error)."""
