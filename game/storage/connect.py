"""Open (and create or upgrade) a MirrorPlay database file.

Every way this can fail becomes a StorageError with one line a user can act on: folder
not writable, a folder or a non-SQLite file in the way, another program's database, a
database from a newer MirrorPlay, or a damaged file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from game.storage.db import BUSY_TIMEOUT_S, Database
from game.storage.errors import StorageError, describe
from game.storage.schema import check_compatible, migrate, read_header

PAGE_SIZE_BYTES = 8192
"""SQLite page size for new databases, so a landmark frame row fits in one page."""


def _check_path(path: str | Path) -> Path:
    if not isinstance(path, str | Path) or not str(path).strip():
        raise StorageError(f"database path must be a file path, got {path!r}.")
    resolved = Path(path).expanduser()
    if resolved.is_dir():
        raise StorageError(f"{resolved} is a folder, not a database file.")
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = err.strerror or str(err)
        raise StorageError(f"cannot create the folder {resolved.parent}: {reason}.") from err
    return resolved


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    """Check the file is ours and compatible, then set WAL, NORMAL sync, foreign keys, migrate."""
    # The first real read: fails here on files that are not SQLite databases.
    check_compatible(path, *read_header(conn))
    # Only takes effect on a new file, before WAL is set. A frame row (2 x 528 B BLOBs)
    # exceeds the in-page limit of WITHOUT ROWID tables on 4 KiB pages and would spill
    # into a 4 KiB overflow page each: 8 KiB pages measured 1.27 vs 4.7 kB per frame.
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE_BYTES}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
    if mode.lower() != "wal":
        raise StorageError(
            f"cannot use {path}: SQLite refused the WAL journal (got '{mode}'); "
            "put the database on a local, writable disk."
        )
    # NORMAL in WAL mode: durable across application crashes, no fsync per commit
    # (docs/performance-notes.md §7).
    conn.execute("PRAGMA synchronous = NORMAL")
    migrate(conn, path)


def open_database(path: str | Path) -> Database:
    """Open the database at `path`, creating parent folders and the file, and migrate it.

    Parameters
    ----------
    path : str or Path
        Database file; see `default_db_path` for the usual location.

    Returns
    -------
    Database
        Ready to use; close it (or use ``with``) when done.

    Raises
    ------
    StorageError
        With one clear message if the file cannot be opened or is not a usable
        MirrorPlay database.
    """
    db_path = _check_path(path)
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise StorageError(describe(db_path, "open the database", err)) from err
    try:
        _configure(conn, db_path)
    except sqlite3.Error as err:
        conn.close()
        raise StorageError(describe(db_path, "open the database", err)) from err
    except BaseException:
        conn.close()
        raise
    return Database(conn, db_path)
