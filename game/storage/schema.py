"""Schema and forward-only migrations of both engines, versioned by ``PRAGMA user_version``.

``MIGRATIONS[i]`` upgrades a database from version ``i`` to ``i + 1``; an empty file is
version 0, so migrating it creates everything. Never edit a released migration: append a
new one. All pending migrations run in one transaction, so an upgrade is all or nothing.
MirrorPlay files are stamped with ``PRAGMA application_id`` so another program's SQLite
file is refused instead of being filled with our tables.

PostgreSQL runs the very same migrations (:func:`migrate_postgres`; game/storage/pg.py adapts the
few DDL words), with the version in a one-row table ``mirrorplay_schema`` and a transaction-level
advisory lock so two stations starting at once cannot both migrate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.storage.errors import EXIT_USAGE, StorageError
from game.storage.family import FAMILY_CODES_DDL

Migration = Callable[[Any], None]
"""Takes an open connection (sqlite3 or game.storage.pg.PgConnection) inside a transaction."""

APPLICATION_ID = 0x4D504C59
"""ASCII "MPLY", written into the SQLite header of every MirrorPlay database."""


def script(*statements: str) -> Migration:
    """Return a migration that runs `statements` one by one inside the caller's transaction."""

    def run(conn: Any) -> None:
        # Not executescript(): it would COMMIT the caller's transaction first.
        for statement in statements:
            conn.execute(statement)

    return run


_V1 = script(
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        alias TEXT NOT NULL,
        affected_side TEXT NOT NULL CHECK (affected_side IN ('left', 'right')),
        created_at TEXT NOT NULL,
        settings TEXT NOT NULL,
        guest INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1))
    )""",
    """CREATE TABLE change_log (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        key TEXT NOT NULL,
        old TEXT,
        new TEXT,
        reason TEXT NOT NULL,
        who TEXT NOT NULL
    )""",
    "CREATE INDEX change_log_patient ON change_log (patient_id, at)",
    """CREATE TABLE calibrations (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        calib_values TEXT NOT NULL
    )""",
    "CREATE INDEX calibrations_patient ON calibrations (patient_id, created_at)",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL
            CHECK (status IN ('running', 'completed', 'ended_pain', 'aborted')),
        source TEXT NOT NULL,
        plan TEXT NOT NULL,
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        active_s REAL NOT NULL DEFAULT 0 CHECK (active_s >= 0)
    )""",
    "CREATE INDEX sessions_patient ON sessions (patient_id, started_at)",
    "CREATE INDEX sessions_running ON sessions (status) WHERE status = 'running'",
    """CREATE TABLE reps (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        level_id TEXT NOT NULL,
        set_index INTEGER NOT NULL,
        rep_index INTEGER NOT NULL,
        t_cue_s REAL NOT NULL,
        t_end_s REAL NOT NULL,
        success INTEGER NOT NULL CHECK (success IN (0, 1)),
        compensated INTEGER NOT NULL CHECK (compensated IN (0, 1)),
        metrics TEXT NOT NULL
    )""",
    "CREATE INDEX reps_session ON reps (session_id)",
    # A level may be played twice in one session, so (session_id, level_id) is not a key.
    """CREATE TABLE level_results (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        level_id TEXT NOT NULL,
        stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 3),
        metrics TEXT NOT NULL,
        reliable TEXT NOT NULL
    )""",
    "CREATE INDEX level_results_session ON level_results (session_id)",
    # One row per frame, float32 BLOBs, no rowid: measured best for 30 Hz x 33 x 4
    # recordings (docs/performance-notes.md §1.6 and §7).
    """CREATE TABLE frames (
        session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        t REAL NOT NULL,
        image BLOB NOT NULL,
        world BLOB NOT NULL,
        PRIMARY KEY (session, idx)
    ) WITHOUT ROWID""",
)

# Version 2: every session records the running instance that owns it and when that instance
# last said it was alive (game/storage/owners.py), and reps and level results may carry a
# unique id so a recovery file is imported exactly once (game/storage/repwriter.py).
_V2 = script(
    "ALTER TABLE sessions ADD COLUMN owner_id TEXT",
    "ALTER TABLE sessions ADD COLUMN owner_host TEXT",
    "ALTER TABLE sessions ADD COLUMN owner_pid INTEGER",
    "ALTER TABLE sessions ADD COLUMN heartbeat_at TEXT",
    "ALTER TABLE sessions ADD COLUMN recovered_at TEXT",
    "ALTER TABLE reps ADD COLUMN uid TEXT",
    "CREATE UNIQUE INDEX reps_uid ON reps (uid) WHERE uid IS NOT NULL",
    "ALTER TABLE level_results ADD COLUMN uid TEXT",
    "CREATE UNIQUE INDEX level_results_uid ON level_results (uid) WHERE uid IS NOT NULL",
)

# Version 3: per-patient family access codes (game/storage/family.py).
_V3 = script(*FAMILY_CODES_DDL)

# Version 4: the station (one MirrorPlay install, game/storage/station.py) that played the session,
# so a clinic's server knows which of its stations each session came from.
_V4 = script("ALTER TABLE sessions ADD COLUMN station_id TEXT")

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4)
"""Forward migrations; ``MIGRATIONS[i]`` takes user_version ``i`` to ``i + 1``."""
LATEST_VERSION = len(MIGRATIONS)
"""Schema version this code writes and understands."""


def read_header(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """Return ``(user_version, application_id, number of schema objects)`` of `conn`."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    n_objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return int(version), int(app_id), int(n_objects)


def check_compatible(path: Path, version: int, app_id: int, n_objects: int) -> None:
    """Raise StorageError if the file at `path` is not a database this code may open or migrate."""
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version == 0 and n_objects > 0):
        raise StorageError(
            f"{path} is a SQLite database of another program, not a MirrorPlay database.", EXIT_USAGE
        )
    if version > LATEST_VERSION:
        raise StorageError(
            f"{path} was written by a newer MirrorPlay (schema version {version}; this version "
            f"understands up to {LATEST_VERSION}). Update MirrorPlay to open it."
        )


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring `conn` to LATEST_VERSION in one transaction and return the version found before.

    `conn` must be in autocommit mode (``isolation_level=None``). The write lock is taken
    before the version is re-read, so two processes opening a new file cannot both migrate.
    """
    version, app_id, n_objects = read_header(conn)
    check_compatible(path, version, app_id, n_objects)
    if version == LATEST_VERSION:
        return version
    conn.execute("BEGIN IMMEDIATE")
    try:
        version, app_id, n_objects = read_header(conn)
        check_compatible(path, version, app_id, n_objects)
        for target in range(version + 1, LATEST_VERSION + 1):
            MIGRATIONS[target - 1](conn)
            # PRAGMA values cannot be bound with '?'; both are ints from this module.
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version


PG_LOCK_KEY = APPLICATION_ID
"""Key of the advisory lock held while a PostgreSQL database migrates."""


def migrate_postgres(conn: Any, name: str) -> int:
    """Bring a PostgreSQL database to LATEST_VERSION in one transaction; return the version found.

    `conn` is a game.storage.pg.PgConnection; `name` names the database in messages.
    """
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (PG_LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS mirrorplay_schema (version INTEGER NOT NULL)")
        row = conn.execute("SELECT max(version) FROM mirrorplay_schema").fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        if version > LATEST_VERSION:
            raise StorageError(
                f"{name} was written by a newer MirrorPlay (schema version {version}; this version "
                f"understands up to {LATEST_VERSION}). Update MirrorPlay to use it."
            )
        for target in range(version + 1, LATEST_VERSION + 1):
            MIGRATIONS[target - 1](conn)
        conn.execute("DELETE FROM mirrorplay_schema")
        conn.execute("INSERT INTO mirrorplay_schema (version) VALUES (?)", (LATEST_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version
