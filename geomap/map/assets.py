"""The web assets of a map page: Leaflet and geomap's own runtime.

Leaflet is never committed to the repository. A clone gets
them from npm (``npm install --no-package-lock`` fills ``node_modules``); a built wheel
carries the same files as package data under ``geomap/_assets`` (see ``pyproject.toml``).
Every page inlines them (:attr:`AssetMode.INLINE`; CSS images become data URIs), so every
page opens with no network. :attr:`AssetMode.CDN` (links to jsDelivr) is kept for tools
that want a small page, and :func:`local_asset_files` for serving such links locally.

geomap's own page runtime is package data too (``geomap/map/templates/``): the CSS
``geomap.css`` and one JavaScript file per concern, listed in :data:`RUNTIME_SCRIPTS` in
the order :func:`runtime_script` joins them into the page's one runtime ``<script>``.
"""

from __future__ import annotations

import base64
import enum
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geomap.errors import RenderError

__all__ = [
    "ASSETS",
    "RUNTIME_SCRIPTS",
    "RUNTIME_STYLE",
    "Asset",
    "AssetMode",
    "asset_dirs",
    "asset_file",
    "check_offline_assets",
    "local_asset_files",
    "page_assets",
    "runtime_script",
    "runtime_text",
    "script_safe",
]


class AssetMode(enum.Enum):
    """Where the page gets Leaflet from."""

    CDN = "cdn"
    INLINE = "inline"


@dataclass(frozen=True)
class Asset:
    """One third-party file the page needs, as published on npm."""

    package: str
    version: str
    path: str

    @property
    def url(self) -> str:
        """The file on the jsDelivr CDN (a mirror of npm)."""
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.path}"

    @property
    def kind(self) -> str:
        """``"js"`` or ``"css"``."""
        return "css" if self.path.endswith(".css") else "js"

    @property
    def name(self) -> str:
        """``package/path``, unique per asset."""
        return f"{self.package}/{self.path}"


#: The files every page needs, CSS first, in load order.
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet", "1.9.4", "dist/leaflet.css"),
    Asset("leaflet", "1.9.4", "dist/leaflet.js"),
)
# Clustering is geomap's own (templates/cluster.js): Leaflet.markercluster clusters every zoom level
# up front, which takes seconds for 100k events.
_PACKAGED = Path(__file__).resolve().parents[1] / "_assets"
_CLONE = Path(__file__).resolve().parents[2] / "node_modules"
_TEMPLATES = "templates"

#: The page runtime's JavaScript files, in the order they run. Each is one function called
#: with ``(ns, global)``: ``ns`` the runtime's internal namespace, through which the files
#: share their functions, ``global`` the window. A file may use what the files before it
#: put in ``ns``: data (unpacking, events, labels, DOM helpers), popup, markers, controls
#: (title, legend, layer control, border layers), timeline (the date range: histogram,
#: play, ISO date boxes), brush (its draggable range), cluster, spider (adds the
#: fan-out to cluster's ``Clusterer``), start (the public ``geomapInit``, ``window.geomap``,
#: ``geomap:ready``).
RUNTIME_SCRIPTS: tuple[str, ...] = (
    "data.js", "popup.js", "markers.js", "controls.js", "labels.js", "timeline.js", "brush.js",
    "cluster.js", "spider.js", "start.js",
)
#: The page runtime's style sheet.
RUNTIME_STYLE = "geomap.css"
# The runtime's namespace lives in this wrapper's scope: nothing but what start.js puts on
# window (geomapInit, window.geomap) is global.
_RUNTIME_HEAD = '(function (global) {\n  "use strict";\n  var ns = {};\n'
_RUNTIME_TAIL = "})(window);\n"
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def asset_dirs() -> tuple[Path, ...]:
    """Return the folders searched for offline assets, in order.

    ``$GEOMAP_ASSETS`` alone when it is set (a folder laid out like ``node_modules``);
    otherwise the ``geomap/_assets`` package data of a built wheel, then ``node_modules``
    of a clone.
    """
    env = os.environ.get("GEOMAP_ASSETS")
    if env:
        return (Path(env),)
    return (_PACKAGED, _CLONE)


def asset_file(asset: Asset) -> Path:
    """Return the local copy of ``asset``.

    Raises
    ------
    RenderError
        In one line, naming the file, where it was looked for and how to install it.
    """
    for base in asset_dirs():
        candidate = base / asset.package / asset.path
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in asset_dirs())
    raise RenderError(
        f"the map needs {asset.package}@{asset.version}/{asset.path} but it is not in "
        f"{searched}; run `npm install --no-package-lock` in the geomap clone, or install "
        "geomap from a wheel"
    )


def check_offline_assets() -> None:
    """Raise :class:`RenderError` (one line) unless every file is installed locally.

    Cheap (it only looks the files up): for a command that wants to fail before any work
    is done. :func:`page_assets` looks them up itself when it inlines them.
    """
    for asset in ASSETS:
        asset_file(asset)


def local_asset_files() -> dict[str, Path]:
    """Map each CDN URL the page may link to the same file installed locally.

    Used to serve a CDN page without network (browser tests, screenshots, benchmarks).
    Files that are not installed are left out.
    """
    found: dict[str, Path] = {}
    for asset in ASSETS:
        try:
            found[asset.url] = asset_file(asset)
        except RenderError:
            continue
    return found


def script_safe(text: str, what: str) -> str:
    """Return ``text`` ready to sit inside ``<script>``/``<style>``; refuse what would end it."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise RenderError(f"{what} contains a closing </script> or </style> tag")
    return text


def _inline_css(text: str, folder: Path) -> str:
    """Replace relative ``url(...)`` references of a CSS file by data URIs."""

    def data_uri(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (folder / ref).resolve()
        if not target.is_file():
            return "url(data:,)"
        mime = "image/svg+xml" if target.suffix == ".svg" else f"image/{target.suffix[1:]}"
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{payload})"

    return _CSS_URL.sub(data_uri, text)


def page_assets(mode: AssetMode) -> list[tuple[str, str]]:
    """Return ``(name, html)`` pairs that bring Leaflet into ``<head>``.

    Parameters
    ----------
    mode : AssetMode
        CDN links, or the files inlined as ``<style>``/``<script>`` elements.

    Raises
    ------
    RenderError
        In inline mode, when a file is not installed (see :func:`asset_file`).
    """
    if mode is AssetMode.CDN:
        return [
            (a.name, f'<link rel="stylesheet" href="{a.url}"/>' if a.kind == "css"
             else f'<script src="{a.url}"></script>')
            for a in ASSETS
        ]
    files = [(a, asset_file(a)) for a in ASSETS]  # the one look-up: each file, once
    out = []
    for asset, path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise RenderError(f"cannot read the web asset {path}: {err}") from err
        if asset.kind == "css":
            out.append((asset.name, "<style>" + script_safe(_inline_css(text, path.parent),
                                                            asset.name) + "</style>"))
        else:
            out.append((asset.name, "<script>" + script_safe(text, asset.name) + "</script>"))
    return out


def runtime_text(name: str) -> str:
    """Return one file of geomap's own page runtime, refused if it would end its element.

    ``name`` is a script of :data:`RUNTIME_SCRIPTS` or :data:`RUNTIME_STYLE`; a file holding
    ``</script>`` or ``</style>`` raises :class:`RenderError`.
    """
    path = resources.files("geomap.map").joinpath(_TEMPLATES).joinpath(name)
    return script_safe(path.read_text(encoding="utf-8"), name)


def runtime_script() -> str:
    """Return the page runtime as one script: every file of :data:`RUNTIME_SCRIPTS`, in order.

    The files run inside one wrapper function that holds their shared namespace, so the
    runtime adds only ``geomapInit`` and ``window.geomap`` to the page's globals.

    Examples
    --------
    >>> script = runtime_script()
    >>> script.startswith("(function (global) {"), script.count("function geomapInit(")
    (True, 1)
    """
    parts = [runtime_text(name) for name in RUNTIME_SCRIPTS]
    return script_safe(_RUNTIME_HEAD + "\n".join(parts) + _RUNTIME_TAIL, "the page runtime")
