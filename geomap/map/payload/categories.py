"""Colouring events by any categorical column: its most frequent values, then "other".

``--color-by admin1`` gives one legend group per frequent admin-1 name (most frequent
first, at most as many as the palette has colours) and one "other" group for the rest and
for missing values. The palette is data (``geomap/map/palette.json``, with its source).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from geomap.errors import RenderError
from geomap.map.payload.cells import column_or_missing, factorize_text

__all__ = ["OTHER_LABEL", "category_groups", "palette"]

#: The legend label of every value outside the top categories (and of missing values).
OTHER_LABEL = "Other / unknown"
_OTHER_KEY = "other"
_KEY_UNSAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def palette() -> tuple[tuple[str, ...], str]:
    """The category colours and the colour of "other", from ``palette.json``.

    Examples
    --------
    >>> colors, other = palette()
    >>> len(colors) >= 8, other
    (True, '#7A7A7A')
    """
    text = resources.files("geomap.map").joinpath("palette.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return tuple(data["colors"]), data["other"]


def _key(k: int, label: str) -> str:
    """A stable, attribute-safe group key: the rank and a slug of the label."""
    slug = _KEY_UNSAFE.sub("-", label.casefold()).strip("-")[:40]
    return f"c{k}-{slug}" if slug else f"c{k}"


def category_groups(
    frame: pd.DataFrame, column: str, top: int | None = None
) -> tuple[list[int], list[dict[str, Any]]]:
    """Each row's group and the groups of ``column``'s ``top`` most frequent values.

    Parameters
    ----------
    frame : pandas.DataFrame
        The drawn events.
    column : str
        Any column; values are compared as stripped text.
    top : int, optional
        How many values get their own colour (default and at most: the palette's size).

    Returns
    -------
    (list of int, list of dict)
        The group index of each row, and the groups (``key``, ``label``, ``color``), most
        frequent first, "other" last.

    Examples
    --------
    >>> frame = pd.DataFrame({"admin1": ["Gao", "Mopti", "Gao", None, "Mopti", "Kidal"]})
    >>> codes, groups = category_groups(frame, "admin1", top=2)
    >>> codes, [g["label"] for g in groups]
    ([0, 1, 0, 2, 1, 2], ['Gao', 'Mopti', 'Other / unknown'])
    """
    if column not in frame.columns:
        raise RenderError(f"cannot colour by {column!r}: no such column; the columns are "
                          f"{', '.join(map(str, frame.columns))}")
    colors, other = palette()
    top = len(colors) if top is None else max(0, min(int(top), len(colors)))
    codes, values = factorize_text(column_or_missing(frame, column))
    counts = np.bincount(codes[codes >= 0], minlength=len(values))
    ranked = sorted(range(len(values)), key=lambda v: (-counts[v], str(values[v])))[:top]
    labels = [str(values[v]) for v in ranked]
    remap = np.full(len(values) + 1, len(labels), dtype=np.int64)  # last slot: missing (-1)
    remap[ranked] = np.arange(len(labels))
    codes = remap[codes]
    groups = [{"key": _key(k, label), "label": label, "color": colors[k]}
              for k, label in enumerate(labels)]
    groups.append({"key": _OTHER_KEY, "label": OTHER_LABEL, "color": other})
    return codes.tolist(), groups
