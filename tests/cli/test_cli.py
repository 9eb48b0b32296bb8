"""The command line as a user meets it: the headless demo, --help, and one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(
    args: list[str], home: Path, *, display: bool = False, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "SDL_AUDIODRIVER")
    }
    env["MIRRORPLAY_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _one_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    assert "Traceback" not in text
    return lines[0]


def test_headless_demo_runs_saves_and_screenshots(tmp_path: Path) -> None:
    shot = tmp_path / "out.png"
    res = _run(["--headless", "--demo", "--seconds", "20", "--screenshot", str(shot)], tmp_path)
    assert res.returncode == 0, res.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    demo_db = next(tmp_path.rglob("demo.db"))
    assert not list(tmp_path.rglob("mirrorplay.db")), "the demo must not touch the real database"
    con = sqlite3.connect(demo_db)
    try:
        (n_sessions,) = con.execute("SELECT COUNT(*) FROM sessions WHERE patient_id = 'demo'").fetchone()
        (n_reps,) = con.execute("SELECT COUNT(*) FROM reps").fetchone()
    finally:
        con.close()
    assert n_sessions == 1
    assert n_reps >= 2  # 20 s of demo play collect several apples


def test_help_documents_every_option(tmp_path: Path) -> None:
    res = _run(["--help"], tmp_path)
    assert res.returncode == 0
    for opt in (
        "--demo",
        "--camera",
        "--patient",
        "--level",
        "--db",
        "--headless",
        "--seconds",
        "--screenshot",
    ):
        assert opt in res.stdout


def test_no_display_without_headless_says_so_in_one_line(tmp_path: Path) -> None:
    res = _run(["--demo", "--seconds", "1"], tmp_path)
    assert res.returncode == 2
    assert "--headless" in _one_line(res.stderr)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--seconds", "abc"], "--seconds"),
        (["--seconds", "-3"], "--seconds"),
        (["--camera", "front"], "--camera"),
        (["--bogus"], "--bogus"),
        (["--headless", "--demo", "--level", "no-such-level"], "unknown level"),
        (["--headless", "--patient", "nobody", "--demo"], "unknown patient"),
        (["--headless", "--demo", "--screenshot", "out.jpg"], ".png"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    res = _run(args, tmp_path)
    assert res.returncode == 2
    assert needle in _one_line(res.stderr)


def test_unreadable_database_gets_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    res = _run(["--headless", "--demo", "--db", str(bad), "--seconds", "1"], tmp_path)
    assert res.returncode == 2
    assert "bad.db" in _one_line(res.stderr)
    assert bad.read_bytes() == b"this is not a database" * 100  # nothing overwritten


def test_killed_mid_session_keeps_completed_reps(tmp_path: Path) -> None:
    """SIGKILL during play loses at most the rep in progress; the next start marks it aborted."""
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MIRRORPLAY_HOME"] = str(tmp_path)
    db = tmp_path / "kill.db"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--headless",
            "--demo",
            "--db",
            str(db),
            "--seconds",
            "100000",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        n_reps = 0
        while time.monotonic() < deadline and n_reps < 3:
            time.sleep(0.5)
            if db.exists():
                con = sqlite3.connect(db, timeout=5)
                try:
                    n_reps = con.execute("SELECT COUNT(*) FROM reps").fetchone()[0]
                except sqlite3.OperationalError:
                    n_reps = 0
                finally:
                    con.close()
        assert n_reps >= 3, "the demo never completed three reps"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    con = sqlite3.connect(db)
    try:
        kept = con.execute("SELECT COUNT(*) FROM reps").fetchone()[0]
        status = con.execute("SELECT status FROM sessions").fetchone()[0]
    finally:
        con.close()
    assert kept >= n_reps and status == "running"
    res = _run(["--headless", "--demo", "--db", str(db), "--seconds", "0.5"], tmp_path)
    assert res.returncode == 0, res.stderr
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT status FROM sessions ORDER BY id").fetchall()
        after = con.execute("SELECT COUNT(*) FROM reps WHERE session_id = 1").fetchone()[0]
    finally:
        con.close()
    assert rows[0][0] == "aborted" and after == kept
