"""Progress bars of the gazetteer's long steps (imports, downloads): on stderr, on a terminal.

One bar for every step, so they all look and behave alike: drawn by tqdm on stderr, only
when asked for and when stderr is a terminal (never in a pipe, a log or a test), redrawn
at most every :data:`BAR_INTERVAL_S` and fed in batches of :data:`BAR_BATCH` units.
"""

from __future__ import annotations

import sys
from types import TracebackType

__all__ = ["Progress", "BAR_BATCH", "BAR_INTERVAL_S"]

#: Units (bytes or rows) counted between two updates of a bar.
BAR_BATCH = 1 << 18
#: The fastest a bar redraws, in seconds.
BAR_INTERVAL_S = 0.3


class Progress:
    """A tqdm bar on stderr, shown only on a terminal and when asked for.

    Parameters
    ----------
    enabled : bool
        Whether the caller wants a bar (``--quiet`` and ``progress=False`` say no).
    desc : str
        The bar's label (a file name).
    total : int, optional
        The units expected, if known.
    unit : str
        ``"B"`` counts bytes (KiB, MiB); anything else counts items.

    Examples
    --------
    >>> with Progress(False, "ML.zip", 3, "B") as bar:
    ...     bar.add(3)
    >>> bar.pending
    0
    """

    def __init__(self, enabled: bool, desc: str, total: int | None, unit: str) -> None:
        from tqdm import tqdm

        show = enabled and sys.stderr.isatty()
        self.bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True,
                        unit_divisor=1024 if unit == "B" else 1000, file=sys.stderr,
                        disable=not show, leave=False, mininterval=BAR_INTERVAL_S)
        self.pending = 0

    def add(self, amount: int) -> None:
        """Count ``amount`` more units, updating the bar in batches."""
        self.pending += amount
        if self.pending >= BAR_BATCH:
            self.bar.update(self.pending)
            self.pending = 0

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
