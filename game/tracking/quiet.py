"""Silence what native libraries write straight to file descriptor 2.

TensorFlow Lite and MediaPipe print start-up lines ("Created TensorFlow Lite XNNPACK delegate",
"Feedback manager requires a model with a single signature", absl's "All log messages before
absl::InitializeLog()") when a graph is built and runs its first picture, before any log level
applies; FFmpeg complains about a broken file. The terminal should show the game's progress and
its one-line messages only, so those moments run inside :func:`quiet_native_stderr`.

The descriptor is process-wide: the tracker thread and its parts helper may both start a graph
at once, so the redirection is counted under a lock; the first caller in redirects, the last one
out restores (nested or overlapping uses never leave descriptor 2 pointing at /dev/null).
Anything the game itself writes to stderr in that moment is lost too, so the windows are kept
to the building of a graph and its first picture.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STARTUP_LIMIT_S = 3.0
"""Longest silence of a graph's start-up (building and the first picture take about 0.5 s)."""
_LOCK = threading.Lock()
_state = {"depth": 0, "saved": -1}


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """File descriptor 2 goes to /dev/null inside the block (shared by overlapping blocks)."""
    with _LOCK:
        if _state["depth"] == 0:
            sys.stderr.flush()
            devnull = os.open(os.devnull, os.O_WRONLY)
            _state["saved"] = os.dup(2)
            os.dup2(devnull, 2)
            os.close(devnull)
        _state["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                os.dup2(_state["saved"], 2)
                os.close(_state["saved"])
                _state["saved"] = -1


class StartupQuiet:
    """A silence that begins when made and ends at the first :meth:`end`, from any thread.

    A MediaPipe graph starts its calculators on threads of its own, so its start-up lines may
    come after the graph's constructor returns and before the first picture is processed; a
    source that builds its graph in one place and runs the first picture in another (another
    thread, or after waiting for the camera) keeps one silence over both. It ends by itself
    after ``limit_s`` (a camera that never delivers a picture must not hide the game's own
    one-line messages)."""

    def __init__(self, limit_s: float = STARTUP_LIMIT_S) -> None:
        self._lock = threading.Lock()
        self._quiet: contextlib.AbstractContextManager[None] | None = quiet_native_stderr()
        self._quiet.__enter__()
        self._timer = threading.Timer(limit_s, self.end)
        self._timer.daemon = True
        self._timer.start()

    def end(self) -> None:
        """End the silence (later calls do nothing)."""
        with self._lock:
            quiet, self._quiet = self._quiet, None
        if quiet is not None:
            self._timer.cancel()
            quiet.__exit__(None, None, None)
