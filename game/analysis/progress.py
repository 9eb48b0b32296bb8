"""A progress bar for long offline runs, on stderr: frames done, frames per second, time left.

On a terminal it redraws one line (at most ``REDRAW_S`` apart); when stderr is not a
terminal (a log, a pipe, a test) it prints a plain line every ``PLAIN_EVERY_S`` seconds
and at the end, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_S = 0.1
PLAIN_EVERY_S = 5.0
BAR_WIDTH = 24


def _clock_text(seconds: float) -> str:
    s = max(int(round(seconds)), 0)
    return f"{s // 60}:{s % 60:02d}"


def progress_text(done: int, total: int, elapsed_s: float, *, bar: bool) -> str:
    """One progress line: "[#####-----] 120/300 frames  45.0 frames/s  0:04 left"."""
    rate = done / elapsed_s if elapsed_s > 0 else 0.0
    count = f"{done}/{total} frames" if total > 0 else f"{done} frames"
    left = f"  {_clock_text((total - done) / rate)} left" if total > done and rate > 0 else ""
    head = ""
    if bar and total > 0:
        filled = min(BAR_WIDTH, int(BAR_WIDTH * done / total))
        head = "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "] "
    return f"{head}{count}  {rate:.1f} frames/s{left}"


class ProgressBar:
    """Callable ``(done, total)`` progress reporter (game.analysis.track.Progress)."""

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._t0 = clock()
        self._last = self._t0
        self._done = 0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        now = self.clock()
        if now - self._last >= (REDRAW_S if self.tty else PLAIN_EVERY_S):
            self._last = now
            self._write(now)

    def close(self) -> None:
        """Write the final state and end the line (nothing if no frame was ever reported)."""
        if self._done == 0:
            return
        self._write(self.clock())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def _write(self, now: float) -> None:
        text = f"{self.label}: {progress_text(self._done, self._total, now - self._t0, bar=self.tty)}"
        self.stream.write(f"\r{text}\x1b[K" if self.tty else f"{text}\n")
        self.stream.flush()
