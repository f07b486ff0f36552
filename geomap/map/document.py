"""A finished map page as a Python object: shown inline in Jupyter, saved as one file.

:class:`Map` holds the standalone HTML page :func:`geomap.map.page.build_map` made
(Leaflet, geomap's runtime, the data and the vector basemap inlined). In a notebook its
``_repr_html_`` shows that same page in an ``<iframe srcdoc>``, the way folium's
``Figure`` does: the whole page, HTML-escaped into the attribute, so nothing of it runs in
the notebook's own document. :meth:`Map.save` writes the same page atomically.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.atomic import write_text_atomic
from geomap.errors import RenderError

__all__ = ["NOTEBOOK_HEIGHT", "Map", "render_page"]

#: Height of the inline notebook view, as a share of its width (folium's is 60 %).
NOTEBOOK_HEIGHT = "60%"
_IFRAME = (
    '<div style="width:100%;"><div style="position:relative;width:100%;height:0;'
    'padding-bottom:{height};"><iframe srcdoc="{page}" title="{title}" '
    'style="position:absolute;width:100%;height:100%;left:0;top:0;border:none !important;" '
    'allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe></div></div>'
)


def render_page(fmap: Any, what: str = "the map") -> str:
    """Return the standalone HTML of a folium map from :func:`~geomap.map.page.build_map`.

    Raises
    ------
    RenderError
        When folium or Jinja fail (their errors never reach users).
    """
    try:
        return fmap.get_root().render()
    except Exception as err:  # folium/jinja internals never reach users
        raise RenderError(f"cannot render {what}: {err}") from err


@dataclass(frozen=True, repr=False)
class Map:
    """A standalone incident map page.

    Returned by :func:`geomap.explore` and as ``.map`` of the report of
    :func:`geomap.make_map`. In Jupyter it displays inline; :meth:`save` writes it.

    Parameters
    ----------
    html : str
        The whole page (``<!DOCTYPE html>...``): it needs no network to open.
    title : str
        The page's title ("" without one).

    Examples
    --------
    >>> page = Map("<!DOCTYPE html><title>a & b</title>", "a & b")
    >>> 'srcdoc="&lt;!DOCTYPE html&gt;&lt;title&gt;a &amp; b' in page._repr_html_()
    True
    >>> page
    <geomap.Map 'a & b', 35 characters>
    """

    html: str
    title: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.html, str):
            raise RenderError(f"html must be a string, got {type(self.html).__name__}")

    def __repr__(self) -> str:
        return f"<geomap.Map {self.title!r}, {len(self.html):,} characters>"

    def _repr_html_(self) -> str:
        """The page in an ``<iframe srcdoc>``, escaped: how Jupyter shows the map."""
        return _IFRAME.format(height=NOTEBOOK_HEIGHT, page=html.escape(self.html, quote=True),
                              title=html.escape(self.title or "geomap", quote=True))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (its folder created when missing), atomically.

        Returns
        -------
        pathlib.Path
            The written file.
        """
        return write_text_atomic(path, self.html)
