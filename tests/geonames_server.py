"""A stand-in for download.geonames.org on 127.0.0.1, for the ``gazetteer download`` tests.

Imported by tests/gazetteer/test_download.py and tests/cli/test_gazetteer.py
(``from geonames_server import ...``). It serves fixture dumps, HTTP errors, bodies shorter
than their Content-Length and slow answers from a ``ThreadingHTTPServer`` on port 0 in a
thread: no test touches the network.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

__all__ = ["FIXTURE_LINES", "FakeGeoNames", "Reply", "closed_port", "downloaded", "dump_zip"]

POLL_S = 0.02  # how soon the server notices it is shut down

# Three places in GeoNames' 19-column "geoname" format, none of them in the embedded default.
FIXTURE_LINES = [
    "99200001\tTinfixtura\tTinfixtura\tTin Fixtura,Tinfiksura\t19.61\t2.71\tP\tPPL\tML\t\t10"
    "\t\t\t\t150\t\t510\tAfrica/Bamako\t2024-03-01",
    "99200002\tOued Fixtura\tOued Fixtura\t\t19.58\t2.69\tH\tWAD\tML\t\t10"
    "\t\t\t\t0\t\t505\tAfrica/Bamako\t2023-11-20",
    "99200003\tFixtura Nord\tFixtura Nord\t\t19.70\t2.72\tP\tPPL\tML\t\t10"
    "\t\t\t\t40\t\t515\tAfrica/Bamako\t2022-05-02",
]


def dump_zip(code: str, lines: list[str] = FIXTURE_LINES, *, table: str | None = None,
             compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The bytes of a GeoNames country zip: ``<code>.txt`` (or ``table``) plus a readme."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("readme.txt", "GeoNames fixture (CC BY 4.0)\n")
        archive.writestr(table or f"{code}.txt", "".join(f"{line}\n" for line in lines))
    return buffer.getvalue()


@dataclass(frozen=True)
class Reply:
    """What the server answers for one path.

    ``length`` is the Content-Length sent (default: the body's own; more than the body to
    cut the body short); ``no_length`` sends none. ``delay_s`` waits before answering.
    """

    status: int
    body: bytes = b""
    length: int | None = None
    no_length: bool = False
    delay_s: float = 0.0


class FakeGeoNames:
    """``with FakeGeoNames() as server:`` serve ``server.routes`` (path -> Reply); other
    paths are 404. ``server.template`` is the URL template to pass, ``server.requests`` the
    paths asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply] = {}
        self.requests: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": POLL_S}, daemon=True)

    @property
    def template(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/export/dump/{{code}}.zip"

    def serve(self, code: str, reply: Reply) -> None:
        """Answer ``reply`` for the dump of ``code``."""
        self.routes[f"/export/dump/{code}.zip"] = reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                server.requests.append(self.path)
                reply = server.routes.get(self.path, Reply(404, b"Not Found"))
                time.sleep(reply.delay_s)
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/zip")
                if not reply.no_length:
                    length = len(reply.body) if reply.length is None else reply.length
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                try:
                    self.wfile.write(reply.body)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeGeoNames:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def downloaded(home: Path) -> list[str]:
    """The files in ``<home>/downloads``: what a download left (none after a failure)."""
    folder = home / "downloads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
