"""The malloc arena limit main.py sets at start (game/malloc.py): set on glibc, left to a
``MALLOC_ARENA_MAX`` the user chose, and it really caps the arenas threads get."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from game.malloc import limit_arenas

ROOT = Path(__file__).resolve().parents[1]
GLIBC = platform.libc_ver()[0] == "glibc"

# Eight threads each keep a 200 kB block while the others allocate theirs; the arenas are
# counted as the distinct 64 MB-aligned heaps (glibc's HEAP_MAX_SIZE) the blocks lie in.
PROBE = r"""
import ctypes, ctypes.util, sys, threading
from game.malloc import limit_arenas
print(limit_arenas() if sys.argv[1] == "limit" else "off")
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = (ctypes.c_size_t,)
barrier, where = threading.Barrier(8), []
def work():
    barrier.wait()
    where.append(libc.malloc(200_000) >> 26)
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(len(set(where)))
"""


def arenas_used(mode: str, env: dict[str, str] | None = None) -> tuple[str, int]:
    # 200 kB blocks from the arenas, not mmap: a fixed threshold above them
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "1000000", **(env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    said, count = done.stdout.split()
    return said, int(count)


@pytest.mark.skipif(not GLIBC, reason="the limit is a glibc feature; elsewhere limit_arenas does nothing")
def test_the_limit_caps_the_arenas_threads_get() -> None:
    said, limited = arenas_used("limit")
    assert said == "True" and limited <= 2
    _, unlimited = arenas_used("off")
    assert unlimited > 2  # without it the threads spread over more arenas: the probe can tell


@pytest.mark.skipif(not GLIBC, reason="the limit is a glibc feature; elsewhere limit_arenas does nothing")
def test_a_limit_the_user_set_wins() -> None:
    said, used = arenas_used("limit", {"MALLOC_ARENA_MAX": "4"})
    assert said == "False" and used <= 4


def test_zero_arenas_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        limit_arenas(0)
