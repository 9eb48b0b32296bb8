"""Import MediaPipe's legacy solutions (pose, hands, face_mesh) without its package ``__init__``.

``import mediapipe`` runs ``mediapipe/__init__.py``, which imports every solution, the drawing
helpers and the whole ``mediapipe.tasks`` API. The drawing helpers
(``solutions/drawing_utils.py``) import ``matplotlib.pyplot``; MirrorPlay draws with pygame and
never calls them. Measured on mediapipe 0.10.21: ``from mediapipe.python.solutions import pose``
costs about 57 MB of resident memory and 1.2-1.5 s, of which matplotlib is about 36 MB and the
tasks API about 5 MB; the way below costs about 18 MB and 0.1-0.6 s, and the pose, hands and
face models are the same files run the same way (docs/performance-notes.md, "Memory").

How: the two package modules whose ``__init__`` only gathers imports (``mediapipe`` and
``mediapipe.python.solutions``) are put in ``sys.modules`` made from their real import specs
but not executed; ``mediapipe.python`` (the C++ bindings) and the solution modules themselves
are imported normally. So that other code still finds what the real packages offer, a missing
attribute of such a stand-in is imported on first use (PEP 562 ``__getattr__``):
``mediapipe.solutions.drawing_utils``, ``mediapipe.tasks``, ``mediapipe.Image`` and
``mediapipe.__version__`` all work, they just load when asked for. When ``mediapipe`` was
already imported the ordinary way, nothing is replaced.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from types import ModuleType

SOLUTIONS = ("pose", "hands", "face_mesh")
"""The legacy solutions MirrorPlay runs."""
PACKAGE = "mediapipe"
BINDINGS = "mediapipe.python"
SOLUTIONS_PACKAGE = "mediapipe.python.solutions"
_LOCK = threading.Lock()
"""The tracker thread and its parts helper may both load a solution; one makes the stand-ins."""


def import_solution(name: str) -> ModuleType:
    """``mediapipe.python.solutions.<name>`` for ``name`` in :data:`SOLUTIONS`, loaded without
    running ``mediapipe/__init__.py`` or ``mediapipe/python/solutions/__init__.py`` (which
    would import matplotlib and mediapipe.tasks). Quiet: GLOG_minloglevel=2 unless set."""
    if name not in SOLUTIONS:
        raise ValueError(f"unknown MediaPipe solution {name!r}; expected one of {SOLUTIONS}")
    os.environ.setdefault("GLOG_minloglevel", "2")
    with _LOCK:
        _stand_in(PACKAGE, _package_attribute)
        importlib.import_module(BINDINGS)
        _stand_in(SOLUTIONS_PACKAGE, _submodule_of(SOLUTIONS_PACKAGE))
    return importlib.import_module(f"{SOLUTIONS_PACKAGE}.{name}")


def _stand_in(name: str, attribute: Callable[[str], object]) -> None:
    """Put an unexecuted module for package ``name`` in ``sys.modules`` (unless it is there)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ModuleNotFoundError(f"{name} is not installed as a package", name=name)
    module = importlib.util.module_from_spec(spec)
    module.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _package_attribute(attr: str) -> object:
    """What ``mediapipe/__init__.py`` would have defined, loaded on first use."""
    if attr == "__version__":
        return importlib.metadata.version(PACKAGE)
    if attr == "solutions":
        return importlib.import_module(SOLUTIONS_PACKAGE)
    if attr == "tasks":
        return importlib.import_module("mediapipe.tasks.python")
    if attr.startswith("__"):
        raise AttributeError(attr)
    bindings = importlib.import_module(BINDINGS)
    try:
        return getattr(bindings, attr)  # the real __init__ does `from mediapipe.python import *`
    except AttributeError:
        return _submodule_of(PACKAGE)(attr)


def _submodule_of(package: str) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports ``package.<attr>`` when it exists."""

    def attribute(attr: str) -> object:
        if attr.startswith("__") or importlib.util.find_spec(f"{package}.{attr}") is None:
            raise AttributeError(f"module {package!r} has no attribute {attr!r}")
        return importlib.import_module(f"{package}.{attr}")

    return attribute
