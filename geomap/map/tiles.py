"""The optional online tile layer of a map page, named after an xyzservices provider.

Every page draws its own vector basemap (inlined, no network); online tiles are a layer
drawn over it. :data:`DEFAULT_TILES` is offered in the layer control but left off, so a
default page asks no server for anything; a provider named explicitly is shown on opening.
Where its tiles fail to load (no network), the vector basemap below shows through.

Examples
--------
>>> tile_provider("OpenTopoMap").name
'OpenTopoMap'
>>> tile_provider("none") is None
True
"""

from __future__ import annotations

import difflib

import xyzservices
import xyzservices.providers as _providers

from geomap.errors import RenderError

__all__ = ["DEFAULT_TILES", "NO_TILES", "close_tile_names", "tile_names", "tile_provider"]

#: The provider offered (switched off) in the layer control of a default page.
DEFAULT_TILES = "OpenStreetMap.Mapnik"
#: The value of ``--tiles`` (and ``MapOptions.tiles``) that leaves online tiles out.
NO_TILES = "none"
#: Short names accepted besides xyzservices' own (folium's habit).
_ALIASES = {"openstreetmap": DEFAULT_TILES, "osm": DEFAULT_TILES}
#: How many close names an error message offers.
_CLOSE_NAMES = 5
_CLOSE_CUTOFF = 0.5


def tile_names() -> list[str]:
    """Return every xyzservices provider name (``"OpenStreetMap.Mapnik"``, ...)."""
    return list(_providers.flatten())


def close_tile_names(name: str) -> list[str]:
    """Return the provider names closest to ``name``, best first (at most five).

    Examples
    --------
    >>> close_tile_names("OpenStreetMap.Mapnk")[0]
    'OpenStreetMap.Mapnik'
    """
    names = tile_names()
    by_key = {n.lower(): n for n in names}
    found = difflib.get_close_matches(name.lower(), list(by_key), n=_CLOSE_NAMES,
                                      cutoff=_CLOSE_CUTOFF)
    if not found:  # a prefix such as "CartoDB" still deserves suggestions
        found = [k for k in by_key if k.startswith(name.lower())][:_CLOSE_NAMES]
    return [by_key[k] for k in found]


def tile_provider(name: str | None) -> xyzservices.TileProvider | None:
    """Return the xyzservices provider called ``name``, or ``None`` for no tiles.

    Parameters
    ----------
    name : str or None
        A provider name as xyzservices spells it (case, dots and spaces do not count:
        ``"CartoDB Positron"`` works), ``"OpenStreetMap"``, or ``None``/``"none"``.

    Raises
    ------
    RenderError
        For an unknown name (listing the closest names) or a provider that needs an API
        key.
    """
    if name is None or name.strip().lower() == NO_TILES:
        return None
    query = _ALIASES.get(name.strip().lower(), name)
    try:
        provider = _providers.query_name(query)
    except ValueError:
        close = close_tile_names(name)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise RenderError(f"unknown tile provider {name!r}{hint} (any xyzservices provider "
                          f"name, or {NO_TILES!r})") from None
    if provider.requires_token():
        raise RenderError(f"tile provider {provider.name!r} needs an API key; choose one "
                          f"that does not, such as {DEFAULT_TILES!r}")
    return provider
