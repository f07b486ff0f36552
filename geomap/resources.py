"""Where the data that geomap ships lives, in a clone and in an installed wheel.

The repository keeps shipped data under ``layers/``; a built wheel carries the same
files as package data under ``geomap/_layers``. :func:`layer_path` finds either.
"""

from __future__ import annotations

import os
from pathlib import Path

from geomap.errors import GeomapError

__all__ = ["layer_path", "home_dir", "output_dir"]

_PACKAGED = Path(__file__).resolve().parent / "_layers"
_CLONE = Path(__file__).resolve().parent.parent / "layers"


def layer_path(relative: str) -> Path:
    """Return the path of a shipped layer file.

    Parameters
    ----------
    relative : str
        Path below ``layers/``, e.g. ``"borders/ne_10m_countries.gpkg"``.

    Returns
    -------
    pathlib.Path
        The file inside the installed package, or inside the clone.

    Raises
    ------
    GeomapError
        If neither location holds the file.
    """
    for base in (_PACKAGED, _CLONE):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise GeomapError(
        f"shipped layer {relative!r} is missing from {_PACKAGED} and {_CLONE}; "
        "reinstall geomap"
    )


def home_dir() -> Path:
    """Return geomap's data directory (``$GEOMAP_HOME`` or the user data directory).

    The directory is created when missing.
    """
    env = os.environ.get("GEOMAP_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("geomap", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def output_dir() -> Path:
    """Return the default folder for generated maps and exports: ``./output``."""
    return Path.cwd() / "output"
