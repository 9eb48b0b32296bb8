"""The fault suite's tools: run the command line in-process or as a real process, read a database
back, and make real hostile filesystems (a full tmpfs, a read-only mount) where the machine
allows it (``unshare`` into a private mount namespace; skipped elsewhere).

Every fault test asserts the exit code, that stderr is exactly one line without a traceback,
and that nothing already stored changed (:func:`snapshot`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import main as cli
from game.storage import open_database
from tests.history import make_history

ROOT = Path(__file__).resolve().parents[2]


def one_line(text: str) -> str:
    """The only non-empty line of `text` (fails on more lines or a traceback)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert "Traceback" not in text, text
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    return lines[0]


def run_main(args: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main.main(args)`` in this process; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(MIRRORPLAY_HOME=str(home), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return env


def main_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), *map(str, args)]


def run_proc(args: list[str | Path], home: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """main.py as a real process with MIRRORPLAY_HOME=`home` and SDL dummy drivers."""
    return subprocess.run(main_cmd(*args), cwd=home, env=env_for(home), capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (read with plain sqlite3, never through the code under test)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        con.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private MirrorPlay data folder for in-process runs."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("MIRRORPLAY_HOME", str(folder))
    return folder


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A database with two weeks of one patient's sessions (p1, "Margaret")."""
    path = tmp_path / "h.db"
    with open_database(path) as db:
        make_history(db, weeks=2, balance=False)
    return path


def can_unshare() -> bool:
    """Whether this machine lets us mount a tmpfs in a private mount namespace."""
    if not shutil.which("unshare") or not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
                           capture_output=True, timeout=30)  # fmt: skip
    return probe.returncode == 0


needs_unshare = pytest.mark.skipif(not can_unshare(), reason="needs unshare to mount a tmpfs (Linux)")


def run_on_small_disk(
    args: list[str | Path], home: Path, mount: Path, *, size_kb: int, fill_kb: int = 0, setup: str = ""
) -> subprocess.CompletedProcess[str]:
    """main.py inside a private mount namespace where `mount` is a `size_kb` tmpfs, `fill_kb` of
    it already used (a full disk is a real ENOSPC, not a mock). `setup` runs first (sh)."""
    mount.mkdir(exist_ok=True)
    fill = f"dd if=/dev/zero of={mount}/filler bs=1k count={fill_kb} 2>/dev/null; " if fill_kb else ""
    script = (
        f"mount -t tmpfs -o size={size_kb}k,mode=0755 none {shlex.quote(str(mount))} && {setup} {fill}"
        f"exec {' '.join(shlex.quote(a) for a in main_cmd(*args))}"
    )
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=home, env=env_for(home),
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def run_read_only(args: list[str | Path], home: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """main.py where `folder` is bind-mounted read-only (EROFS even for root)."""
    q = shlex.quote(str(folder))
    script = (
        f"mount --bind {q} {q} && mount -o remount,bind,ro {q} && "
        f"exec {' '.join(shlex.quote(a) for a in main_cmd(*args))}"
    )
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=home, env=env_for(home),
                          capture_output=True, text=True, timeout=180)  # fmt: skip


@pytest.fixture
def no_space(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every fsync of an output file fails with ENOSPC (the disk filled while writing)."""
    import errno

    import game.files as files

    real_fsync = os.fsync

    def full(fd: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{fd}") or not os.readlink(f"/proc/self/fd/{fd}").endswith(".part"):
            return real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    yield


_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.readline()
    con.execute("COMMIT")
    """
)


class Lock:
    """Another process holding the database's write lock until :meth:`release`."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(30)
