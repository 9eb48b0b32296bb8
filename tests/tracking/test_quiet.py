"""Native start-up lines are silenced on file descriptor 2, and overlapping silences from two
threads (the tracker and its parts helper) always give the terminal back."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from game.tracking.quiet import StartupQuiet, quiet_native_stderr


@contextmanager
def fd2_to(path: Path) -> Iterator[Path]:
    """File descriptor 2 written to ``path`` inside the block (pytest's own capture of it is
    put back on every test phase, so this runs inside the test, not in a fixture)."""
    saved = os.dup(2)
    out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 2)
    os.close(out)
    try:
        yield path
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def test_what_is_written_inside_is_dropped_and_after_it_is_kept(tmp_path: Path) -> None:
    with fd2_to(tmp_path / "fd2.txt") as fd2_file:
        with quiet_native_stderr():
            os.write(2, b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n")
        os.write(2, b"one plain line\n")
    assert fd2_file.read_bytes() == b"one plain line\n"


def test_overlapping_silences_end_when_the_last_one_ends(tmp_path: Path) -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with quiet_native_stderr():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    with fd2_to(tmp_path / "fd2.txt") as fd2_file:
        thread = threading.Thread(target=first)
        thread.start()
        first_in.wait(5)
        with quiet_native_stderr():
            second_in.set()
            first_out.wait(5)  # the first silence ended inside this one
            os.write(2, b"still silenced\n")
        thread.join(5)
        os.write(2, b"back\n")
    assert fd2_file.read_bytes() == b"back\n"


def test_a_startup_silence_ends_once_from_any_thread_or_by_itself(tmp_path: Path) -> None:
    with fd2_to(tmp_path / "fd2.txt") as fd2_file:
        quiet = StartupQuiet()
        os.write(2, b"W0000 feedback manager\n")
        worker = threading.Thread(target=quiet.end)  # the first picture tracked on another thread
        worker.start()
        worker.join(5)
        quiet.end()  # and again at close: nothing more happens
        os.write(2, b"one plain line\n")
        never = StartupQuiet(limit_s=0.05)  # a camera that never delivers a picture
        time.sleep(0.5)
        os.write(2, b"camera lost\n")
        never.end()
    assert fd2_file.read_bytes() == b"one plain line\ncamera lost\n"
