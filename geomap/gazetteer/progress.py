"""Progress bars of geomap's long steps (index build, imports, downloads, batch geocoding).

One bar for every step, so they all look and behave alike: drawn by tqdm on stderr, only
when asked for and when stderr is a terminal (never in a pipe, a log or a test), and only
once a step has run for :data:`BAR_DELAY_S` (a quick step draws nothing); redrawn at most
every :data:`BAR_INTERVAL_S` and fed in batches.

``--quiet`` silences them all for the whole command: the command runs inside
:func:`progress_bars` ``(False)``, which also turns the notes of the long steps
(:func:`note`: "building the gazetteer index ...") from warnings into info messages, so
that only errors and warnings reach stderr.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TypeVar

__all__ = ["Progress", "BAR_BATCH", "BAR_DELAY_S", "BAR_INTERVAL_S", "SCALED_FROM",
           "bars_allowed", "note", "on_terminal", "progress_bars"]

#: Units (bytes) counted between two updates of a bar, unless the bar says otherwise.
BAR_BATCH = 1 << 18
#: The fastest a bar redraws, in seconds.
BAR_INTERVAL_S = 0.3
#: How long a step runs before its bar appears, in seconds.
BAR_DELAY_S = 1.0
#: Counts of this many items or more are shown scaled (906k forms; but 12/959 names).
SCALED_FROM = 10_000

T = TypeVar("T")
_allowed = [True]  # the process-wide switch of progress_bars(); a list: no `global`


@contextmanager
def progress_bars(enabled: bool) -> Iterator[None]:
    """Allow (or, ``False``: forbid) progress bars and notes while the block runs.

    Examples
    --------
    >>> with progress_bars(False):
    ...     bars_allowed()
    False
    >>> bars_allowed()
    True
    """
    before = _allowed[0]
    _allowed[0] = enabled
    try:
        yield
    finally:
        _allowed[0] = before


def bars_allowed() -> bool:
    """Tell whether progress bars and notes are allowed (not inside ``progress_bars(False)``)."""
    return _allowed[0]


def on_terminal() -> bool:
    """Tell whether stderr is a terminal (where bars are drawn)."""
    return sys.stderr.isatty()


def note(logger: logging.Logger, message: str, *args: object) -> None:
    """Log what a long step is doing: a warning (shown without any logging set up), or an
    info message when :func:`progress_bars` forbids notes (``--quiet``)."""
    logger.log(logging.WARNING if bars_allowed() else logging.INFO, message, *args)


class Progress:
    """A tqdm bar on stderr, shown only on a terminal and when asked for.

    Parameters
    ----------
    enabled : bool
        Whether the caller wants a bar (``progress=False`` says no; so does ``--quiet``,
        through :func:`progress_bars`).
    desc : str
        The bar's label (a file name, a step).
    total : int, optional
        The units expected, if known.
    unit : str
        ``"B"`` counts bytes (KiB, MiB); anything else counts items (``" places"``).
    batch : int
        Units counted between two updates of the bar (:data:`BAR_BATCH` by default).

    Examples
    --------
    >>> with Progress(False, "ML.zip", 3, "B") as bar:
    ...     bar.add(3)
    >>> bar.pending, bar.shown
    (0, False)
    """

    def __init__(self, enabled: bool, desc: str, total: int | None, unit: str, *,
                 batch: int = BAR_BATCH) -> None:
        from tqdm import tqdm

        #: Whether the bar is drawn at all (asked for, allowed, and stderr is a terminal).
        self.shown = enabled and bars_allowed() and on_terminal()
        scaled = unit == "B" or total is None or total >= SCALED_FROM  # 12.3k, not 12300
        self.bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=scaled,
                        unit_divisor=1024 if unit == "B" else 1000, file=sys.stderr,
                        disable=not self.shown, leave=False, mininterval=BAR_INTERVAL_S,
                        delay=BAR_DELAY_S)
        self.batch = batch
        self.pending = 0

    def add(self, amount: int) -> None:
        """Count ``amount`` more units, updating the bar in batches."""
        self.pending += amount
        if self.pending >= self.batch:
            self.bar.update(self.pending)
            self.pending = 0

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, counting each one."""
        for item in items:
            self.add(1)
            yield item

    def close(self) -> None:
        """Flush and remove the bar."""
        self.bar.update(self.pending)
        self.pending = 0
        self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
