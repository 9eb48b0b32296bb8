"""scipy.signal, loaded when the first rep is scored rather than when the game starts.

``import scipy.signal`` also loads scipy.stats, scipy.interpolate, scipy.optimize and
scipy.sparse: 1.5 s on an idle 2-core machine and up to 5 s on a busy one, which was most of
the time from start to the first frame (docs/performance-notes.md, "Start-up"). The scoring
filters and peak finders need it only once a rep has been played, so they call
:func:`scipy_signal` (an import inside a function, allowed for this heavy dependency by
tests/test_architecture.py), and the app calls :func:`warm_up` after its first frame so the
module is usually loaded, in a background thread, before the first rep is scored.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

MODULE = "scipy.signal"
_started: list[threading.Thread] = []


def scipy_signal() -> ModuleType:
    """The ``scipy.signal`` module (imported on the first call; later calls cost about a
    microsecond). Always through the import statement, never ``sys.modules``: while the
    warm-up thread is importing it, the half-made module is already in ``sys.modules``, and the
    import statement is what waits for it to be complete."""
    import scipy.signal  # heavy: see the module docstring

    return scipy.signal


def warm_up() -> threading.Thread | None:
    """Start importing scipy.signal in a background thread; None when it is already loaded or
    loading. The thread is not a daemon: a run that ends at once waits for the import to finish
    instead of tearing down an interpreter in the middle of it."""
    if MODULE in sys.modules or _started:
        return None
    thread = threading.Thread(target=scipy_signal, name="warm-up-scipy-signal")
    _started.append(thread)
    thread.start()
    return thread
