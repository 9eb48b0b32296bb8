"""One database connection shared by threads: transactions, lock waits, the owner and read-only mode.

:class:`Connection` is the plumbing under :class:`game.storage.db.Database` (which adds the
data methods): one connection guarded by a lock, so the game thread, the heartbeat and a
recording writer may share it; every write is one ``BEGIN IMMEDIATE`` transaction. The connection
is a ``sqlite3.Connection`` or, for a ``postgresql://`` database, a
:class:`game.storage.pg.PgConnection` that runs the same SQL (see game/storage/pg.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from game.storage.errors import StorageError, db_errors, storage_error
from game.storage.owners import Owner
from game.storage.pg import PgConnection
from game.storage.schema import read_header

BUSY_TIMEOUT_S = 5.0
"""How long a write waits for another connection's lock before giving up, in seconds."""


class Connection:
    """An open database connection; use as a context manager or call `close`.

    `owner` is the running instance stamped on the sessions it starts (game/storage/owners.py);
    a `read_only` connection refuses every write with a StorageError.
    """

    def __init__(
        self,
        conn: sqlite3.Connection | PgConnection,
        path: Path,
        owner: Owner | None = None,
        *,
        read_only: bool = False,
        name: str | None = None,
    ) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()
        self.owner = owner or Owner.current()
        self.read_only = read_only
        self.engine = "postgresql" if isinstance(conn, PgConnection) else "sqlite"
        self.name = name or str(path)
        """How messages name the database (the file, or the server URL without its password)."""

    @property
    def path(self) -> Path:
        """File this database lives in (for PostgreSQL: the station's local folder entry that
        recovery files and exports sit beside)."""
        return self._path

    def close(self) -> None:
        """Close the connection (the last one to close folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _read(self, action: str) -> Iterator[Any]:
        with self._lock:
            try:
                yield self._conn
            except db_errors() as err:  # what either engine raises becomes a StorageError
                raise storage_error(self.name, action, err) from err

    @contextmanager
    def _write(self, action: str) -> Iterator[Any]:
        """One transaction: commit if the block finishes, roll back if it raises."""
        if self.read_only:
            raise StorageError(f"cannot {action}: {self.name} is open read-only.")
        with self._read(action) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            finally:
                # SQLite may already have rolled back (e.g. disk full); don't mask the cause.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")

    @contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Wait at most `seconds` for another program's lock inside this block (a save that
        can be retried later should not freeze the game for the full BUSY_TIMEOUT_S)."""
        with self._lock:
            self._set_lock_wait(seconds)
            try:
                yield
            finally:
                self._set_lock_wait(BUSY_TIMEOUT_S)

    def _set_lock_wait(self, seconds: float) -> None:
        wait_ms = int(max(seconds, 0.0) * 1000)
        try:
            if self.engine == "postgresql":
                self._conn.execute(f"SET lock_timeout = {wait_ms}")
            else:
                self._conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
        except db_errors() as err:  # a server that is down: the write in the block will say so
            if self.engine == "sqlite":
                raise storage_error(self.name, "set the lock wait", err) from err

    def pragmas(self) -> dict[str, Any]:
        """Return the connection's settings (schema version, journal, sync, foreign keys; SQLite)."""
        if self.engine != "sqlite":
            raise StorageError(f"{self.name} is a PostgreSQL database: it has no SQLite settings.")
        with self._read("read database settings") as conn:
            version, app_id, _ = read_header(conn)
            return {
                "user_version": version,
                "application_id": app_id,
                "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
                "synchronous": conn.execute("PRAGMA synchronous").fetchone()[0],
                "foreign_keys": conn.execute("PRAGMA foreign_keys").fetchone()[0],
                "page_size": conn.execute("PRAGMA page_size").fetchone()[0],
            }
