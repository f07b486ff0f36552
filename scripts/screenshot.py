"""Render a geomap HTML file in headless Chromium and write a PNG screenshot.

The README screenshot, in one command (renders the bundled example with
``geomap demo --offline`` to ``output/algeria_mali_offline.html``, opens it with every
network request refused, and shoots it)::

    python scripts/screenshot.py --demo docs/screenshot.png

Any other map, to look at it by eye::

    python scripts/screenshot.py output/map.html output/map.png --popup MLI1

The page gets no network: Leaflet CDN links are answered with the locally installed
copies (``geomap.map.assets.local_asset_files``), tile requests with a blank tile, and
everything else is refused (listed on stderr). With ``--offline`` (implied by ``--demo``)
every request is refused: an offline map must need none. Uses Debian's
/usr/bin/chromium, never a Playwright browser download.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)

__all__ = ["main", "screenshot"]


def _router(assets: dict[str, Path], refused: list[str], *, tiles: bool = True) -> Any:
    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("file", "data", "blob", "about"):
            route.continue_()
        elif url in assets:
            path = assets[url]
            kind = "text/css" if path.suffix == ".css" else "application/javascript"
            route.fulfill(status=200, body=path.read_bytes(), content_type=kind)
        elif tiles and url.split("?")[0].endswith((".png", ".jpg", ".jpeg", ".webp")):
            route.fulfill(status=200, body=BLANK_TILE, content_type="image/png")
        else:
            refused.append(url)
            route.abort()

    return route


def screenshot(
    html: Path,
    png: Path,
    *,
    width: int = 1280,
    height: int = 800,
    popup: str | None = None,
    wait_ms: int = 500,
    offline: bool = False,
) -> list[str]:
    """Write a PNG of ``html`` and return the page's errors (console, exceptions, refusals).

    Parameters
    ----------
    html : pathlib.Path
        The map file.
    png : pathlib.Path
        The screenshot to write.
    width, height : int
        Viewport size in CSS pixels.
    popup : str, optional
        An ``event_id_cnty`` whose popup is opened before the screenshot.
    wait_ms : int
        Extra time for animations to settle.
    offline : bool
        Refuse every request that is not ``file:``/``data:``/``blob:`` (no CDN stand-ins,
        no tiles); each one is reported as a problem.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from geomap.map.assets import local_asset_files

    problems: list[str] = []
    refused: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", _router({} if offline else local_asset_files(), refused,
                                      tiles=not offline))
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: problems.append(str(err)))
        page.goto(html.resolve().as_uri())
        try:
            page.wait_for_function(
                "() => window.geomap && window.geomap.timings && window.geomap.timings.ready",
                timeout=15000,
            )
        except PlaywrightTimeout:
            browser.close()
            return [*problems, "the map did not finish drawing within 15 s"]
        if popup is not None:
            _open_popup(page, popup)
        page.wait_for_timeout(wait_ms)
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png))
        browser.close()
    return problems + [f"refused request: {url}" for url in refused]


def _open_popup(page: Any, event_id: str) -> None:
    """Centre the event, click its cluster until the event is drawn, open its popup."""
    found = page.evaluate(
        """(id) => {
            const g = window.geomap;
            const ids = g.events.text.event_id_cnty;
            const layer = g.markers.find(
                (m) => g.state.shown[m.geomapIndex] && ids(m.geomapIndex) === id);
            if (!layer) { return false; }
            g.map.setView(layer.getLatLng(), Math.max(g.map.getZoom(), 6), {animate: false});
            window.__geomapShot = layer;
            return true;
        }""",
        event_id,
    )
    if not found:
        raise SystemExit(f"no visible event with event_id_cnty {event_id!r}")
    for _ in range(20):  # click its cluster as a user would: zoom in, or fan it out
        page.wait_for_timeout(400)
        drawn = page.evaluate(
            """() => {
                const g = window.geomap, layer = window.__geomapShot;
                const parent = g.visibleParent(layer);
                if (parent === layer) { return true; }
                if (parent) { parent.fire("click"); }
                return false;
            }"""
        )
        if drawn:
            break
    page.evaluate("() => window.__geomapShot.openPopup()")
    page.wait_for_timeout(300)


DEMO_HTML = Path("output/algeria_mali_offline.html")


def render_demo(html: Path = DEMO_HTML) -> Path:
    """Run ``geomap demo --offline -o html`` (the bundled example) and return ``html``."""
    from geomap.cli import cli

    cli.main(["demo", "--offline", "-o", str(html)], standalone_mode=False)
    return html


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+", metavar="[HTML] PNG",
                        help="the map HTML file (not with --demo) and the PNG to write")
    parser.add_argument("--demo", action="store_true",
                        help=f"render the bundled example offline to {DEMO_HTML} first")
    parser.add_argument("--offline", action="store_true",
                        help="refuse every network request (implied by --demo)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--popup", metavar="EVENT_ID", help="open this event's popup first")
    args = parser.parse_args(argv)
    if len(args.paths) != (1 if args.demo else 2):
        parser.error("give HTML and PNG, or --demo and PNG")
    html = render_demo() if args.demo else args.paths[0]
    args.png = args.paths[-1]
    problems = screenshot(
        html, args.png, width=args.width, height=args.height, popup=args.popup,
        offline=args.offline or args.demo,
    )
    for problem in problems:
        print(f"page: {problem}", file=sys.stderr)
    print(args.png)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
