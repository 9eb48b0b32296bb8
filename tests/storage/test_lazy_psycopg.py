"""psycopg (about 13 MB resident) loads only for a PostgreSQL database: a game on a SQLite file
never imports it, and once loaded its errors are still sorted as before (game/storage/errors.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

from game.storage.errors import db_errors, describe, is_transient

ROOT = Path(__file__).resolve().parents[2]


def test_a_sqlite_game_never_imports_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys, main, game.launch\n"
        "from game.storage import open_database, StorageError\n"
        f"db = open_database({str(tmp_path / 'm.db')!r})\n"
        "db.close()\n"
        f"open({str(tmp_path / 'junk.db')!r}, 'wb').write(b'not sqlite' * 500)\n"
        "try:\n"
        f"    open_database({str(tmp_path / 'junk.db')!r})\n"  # sqlite3 fails: sorted by errors.py
        "except StorageError as err:\n"
        "    print('refused:', err)\n"
        "print('psycopg' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[-2].startswith("refused: ") and "is not a MirrorPlay database" in lines[-2]
    assert lines[-1] == "False"


def test_psycopg_errors_are_sorted_once_it_is_loaded() -> None:
    assert "psycopg" in sys.modules  # imported above, as opening a server does
    assert psycopg.Error in db_errors()
    down = psycopg.OperationalError("connection refused")
    assert is_transient(down)
    assert "cannot be reached" in describe("postgresql://h/db", "save", down)
    busy = psycopg.errors.LockNotAvailable("lock timeout")
    assert describe("postgresql://h/db", "save", busy).endswith("is busy (another program holds a lock).")
