"""Packing the page's data: JSON safe inside ``<script>``, and deflate + base64.

:func:`pack` turns a record into JSON, compresses it with raw deflate and encodes it as
base64: a string of ``A-Za-z0-9+/=`` that is inert anywhere in HTML. The page inflates it
with the browser's ``DecompressionStream``. :func:`to_escaped_json` is for the few values
written into the page's script as JSON literals.
"""

from __future__ import annotations

import base64
import json
import os
import re
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["pack", "to_escaped_json", "unpack"]

_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
#: zlib's compression level: 6 is its default balance of size and speed.
ZLEVEL = 6
#: Compress in pieces of this many bytes, in parallel.
ZCHUNK = 4 << 20
#: Negative window bits: raw deflate (no zlib header), 2^15-byte window.
RAW_DEFLATE_WBITS = -15


def to_escaped_json(obj: Any) -> str:
    r"""Serialise ``obj`` as JSON that is safe inside an HTML ``<script>`` element.

    Like folium's ``_to_escaped_json``: ``<``, ``>`` and ``&`` become ``\u003c``,
    ``\u003e`` and ``\u0026`` so no ``</script>`` or ``<!--`` can appear, and U+2028 /
    U+2029 are escaped for old JavaScript parsers. Besides, a ``{`` that opens a Jinja
    tag (``{{``, ``{%``, ``{#``) becomes ``\u007b``, so the text is inert should it ever
    pass through a template engine. NaN and infinities are refused.

    Examples
    --------
    >>> to_escaped_json({"notes": "</script><b>&"})
    '{"notes":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    >>> to_escaped_json(["{{ x }}"])
    '["\\u007b{ x }}"]'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", text)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_parts(obj: Any) -> Iterator[str]:
    """The compact JSON of ``obj`` in pieces whose concatenation is ``_dumps(obj)``: a
    dict with string keys member by member (recursively), anything else whole."""
    if not (isinstance(obj, dict) and obj and all(isinstance(k, str) for k in obj)):
        yield _dumps(obj)
        return
    yield "{"
    for k, (key, value) in enumerate(obj.items()):
        yield ("," if k else "") + _dumps(key) + ":"
        yield from _json_parts(value)
    yield "}"


def pack(obj: Any) -> str:
    """Return ``obj`` as base64 of raw-deflated UTF-8 JSON (what the page inflates).

    Examples
    --------
    >>> unpack(pack({"notes": "</script>"}))
    {'notes': '</script>'}
    """
    data = bytearray()
    for part in _json_parts(obj):  # one member at a time: never the whole text as a str
        data += part.encode("utf-8")
    data = memoryview(data)
    # views into the one buffer, not copies of it
    pieces = [data[k:k + ZCHUNK] for k in range(0, len(data), ZCHUNK)] or [memoryview(b"")]
    last = len(pieces) - 1

    def deflate(k: int) -> bytes:
        # Like pigz: each piece is compressed on its own; all but the last end with a
        # sync flush (byte-aligned, not final), so the concatenation is one valid stream.
        compressor = zlib.compressobj(ZLEVEL, zlib.DEFLATED, RAW_DEFLATE_WBITS)
        head = compressor.compress(pieces[k])
        return head + compressor.flush(zlib.Z_FINISH if k == last else zlib.Z_SYNC_FLUSH)

    workers = min(len(pieces), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:  # zlib releases the GIL
            raw = b"".join(pool.map(deflate, range(len(pieces))))
    else:
        raw = b"".join(deflate(k) for k in range(len(pieces)))
    pieces.clear()  # the views, then the buffer they show, are freed before base64
    del data
    return base64.b64encode(raw).decode("ascii")


def unpack(text: str) -> Any:
    """Inverse of :func:`pack` (for tests and tools).

    Examples
    --------
    >>> unpack(pack([1, "two", None]))
    [1, 'two', None]
    """
    raw = zlib.decompress(base64.b64decode(text), RAW_DEFLATE_WBITS)
    return json.loads(raw.decode("utf-8"))
