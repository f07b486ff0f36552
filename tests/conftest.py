"""Shared pytest fixtures. Each section belongs to one area; add yours in a section of its own."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from support import BrowserPage, FakeBorders, make_borders, make_incidents

# --doctest-modules would also import every conftest.py as a module named "conftest", and a
# second one (tests/<area>/conftest.py) then clashes with the first. They hold no doctests.
collect_ignore_glob = ["conftest.py", "*/conftest.py"]

# =============================================================================================
# Browser fixtures (render / browser tests)
#
# Pages are opened in the Debian Chromium at /usr/bin/chromium through Playwright; Playwright's
# own browser downloads are never used. Tests never touch the network: every request leaving
# the page is routed here.
#
# * Leaflet CDN links are answered with the same files installed locally
#   (``geomap.map.assets.local_asset_files``: node_modules of the clone or the packaged assets),
#   so a CDN page runs the real libraries and a JS error anywhere is a test failure.
# * Tile requests get a blank PNG (the basemap is not under test, and a failed tile load
#   would show up as a console error that hides real ones).
# * Anything else is aborted and recorded in ``BrowserPage.blocked`` so a test can assert a
#   page asked for nothing unexpected.
#
# Without /usr/bin/chromium (or without the local web assets) browser tests are skipped with
# a reason, except under CI=true, where they fail: CI must run them.
# =============================================================================================

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)
_TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com", "arcgisonline.com")


def _unavailable(reason: str) -> None:
    """Skip the browser tests, or fail them under CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """A headless Debian Chromium shared by the session's browser tests."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the python package playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def local_assets() -> dict[str, Path]:
    """CDN URL -> local file for Leaflet; skip when it is not installed."""
    from geomap.map.assets import ASSETS, local_asset_files

    files = local_asset_files()
    if len(files) < len(ASSETS):
        _unavailable("Leaflet web assets are not installed locally (npm install --no-package-lock)")
    return files


@pytest.fixture
def browser_page(chromium_browser: Any, local_assets: dict[str, Path]) -> Iterator[BrowserPage]:
    """A fresh page whose network is routed as described at the top of this section."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    result = BrowserPage(page)

    def route(route: Any) -> None:
        url = route.request.url
        scheme = urlsplit(url).scheme
        if scheme in ("file", "data", "blob", "about"):
            route.continue_()
            return
        result.requests.append(url)
        if url in local_assets:
            path = local_assets[url]
            kind = "text/css" if path.suffix == ".css" else "application/javascript"
            route.fulfill(status=200, body=path.read_bytes(), content_type=kind)
        elif any(host in (urlsplit(url).hostname or "") for host in _TILE_HOSTS):
            route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
        else:
            result.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    def console(message: Any) -> None:
        if message.type == "error":
            result.console_errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda err: result.page_errors.append(str(err)))

    def dialog(d: Any) -> None:
        result.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    yield result
    context.close()



@pytest.fixture
def incidents() -> Any:
    """The 11 sample events (Algeria, Mali, New York; two share Bamako's point)."""
    return make_incidents()


@pytest.fixture
def borders() -> FakeBorders:
    """Fake border layers for Mali and Algeria."""
    return make_borders()


# ======================================================================= end browser fixtures


# =============================================================================================
# Gazetteer fixtures
# =============================================================================================
@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A GEOMAP_HOME of its own holding a copy of the session's default index (and of its
    fuzzy-name structure), so that a command may import into it without touching other
    tests."""
    import shutil

    from geomap.gazetteer.fuzzy import fuzzy_files
    from geomap.gazetteer.lookup import default_gazetteer

    source = default_gazetteer().index
    home = tmp_path / "home"
    home.mkdir()
    source.copy_to(home / source.path.name)
    for array in fuzzy_files(source):  # replaced by a rebuild, never written in place
        try:
            os.link(array, home / array.name)
        except OSError:  # another file system
            shutil.copyfile(array, home / array.name)
    monkeypatch.setenv("GEOMAP_HOME", str(home))
    default_gazetteer.cache_clear()
    yield home
    default_gazetteer.cache_clear()
# ===================================================================== end gazetteer fixtures
