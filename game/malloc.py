"""Fewer glibc malloc arenas: resident memory the game's threads would otherwise keep apart.

glibc gives threads that allocate at the same time their own arenas (up to 8 per core), and
memory freed into one arena is not reused by another. The game runs a render loop, a camera or
video reader, the tracker and MediaPipe's own calculator threads, each allocating picture-sized
blocks; with two arenas the freed blocks are shared. Measured with benchmarks/memory.py on a
1080p video: about 13 MB less resident (docs/performance-notes.md, "Memory").

The limit must be set before the threads first allocate, so :func:`limit_arenas` is called at
the start of ``main.main`` (the ``MALLOC_ARENA_MAX`` environment variable would have to be set
before the interpreter starts, which ``uv run main.py`` cannot do). It calls glibc's
``mallopt(M_ARENA_MAX, n)`` through ctypes; on other C libraries (macOS, Windows, musl) it does
nothing, and a ``MALLOC_ARENA_MAX`` the user set wins.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter number for the arena limit (malloc.h)."""
ARENAS = 2
"""Arenas allowed: the 2 cores the game is measured on; more threads than that wait briefly."""


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas at `arenas`; True when the limit was set.

    False (and nothing changed) off glibc, when ``MALLOC_ARENA_MAX`` is already in the
    environment (glibc read it at start), or when ``mallopt`` refuses.
    """
    if arenas < 1:
        raise ValueError(f"arenas must be at least 1, got {arenas}")
    if "MALLOC_ARENA_MAX" in os.environ or platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))  # 1 on success
