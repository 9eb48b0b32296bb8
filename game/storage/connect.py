"""Open (and create or upgrade) a MirrorPlay database file.

Every way this can fail becomes a StorageError with one line a user can act on: an empty or
over-long name, a folder that does not exist (never created silently, except the default data
folder), a folder or a non-SQLite file in the way, another program's database, a database from
a newer MirrorPlay, or a damaged file.

``read_only=True`` (export, progress) never writes: a read-only file, or one on a read-only
disk, still opens. New database files are created 0600 (health data: the user's only).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from game.storage.base import BUSY_TIMEOUT_S
from game.storage.db import Database
from game.storage.errors import EXIT_USAGE, StorageError, db_errors, storage_error
from game.storage.outbox import StationDatabase
from game.storage.owners import Owner
from game.storage.paths import default_data_dir
from game.storage.pg import PgConnection, is_postgres_url
from game.storage.schema import check_compatible, migrate, migrate_postgres, read_header
from game.storage.station import local_name, station_id

log = logging.getLogger(__name__)

PAGE_SIZE_BYTES = 8192
"""SQLite page size for new databases, so a landmark frame row fits in one page."""
NAME_MAX_BYTES = 255
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def _check_path(path: str | Path, *, create_folder: bool) -> Path:
    if not isinstance(path, str | Path) or not str(path).strip() or str(path) in (".", ".."):
        raise StorageError(f"database path must be a file path, got {str(path)!r}.", EXIT_USAGE)
    resolved = Path(path).expanduser()
    if len(os.fsencode(resolved.name)) > NAME_MAX_BYTES:
        raise StorageError(f"the database file name is longer than {NAME_MAX_BYTES} bytes.", EXIT_USAGE)
    if resolved.is_dir():
        raise StorageError(f"{resolved} is a folder, not a database file.", EXIT_USAGE)
    folder = resolved.parent
    if create_folder:
        try:
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as err:
            reason = err.strerror or str(err)
            raise StorageError(f"cannot create the folder {folder}: {reason}.") from err
    elif not folder.is_dir():
        raise StorageError(f"the folder {folder} does not exist. Create it first.", EXIT_USAGE)
    return resolved


def _create_private(path: Path) -> None:
    """Create an empty database file with mode 0600 (SQLite would make it 0644)."""
    if path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    except OSError as err:
        raise storage_error(path, "create the database", err) from err


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


def open_database(
    path: str | Path,
    *,
    read_only: bool = False,
    create_folder: bool = False,
    local_dir: Path | None = None,
    station: bool = True,
) -> Database:
    """Open the database at `path`, creating the file and migrating it (unless `read_only`).

    Parameters
    ----------
    path : str or Path
        Database file; see `default_db_path` for the usual location. A ``postgresql://`` URL
        opens that PostgreSQL database instead (see :func:`open_postgres`).
    read_only : bool
        Open for reading only (export, progress): the file must exist; it is neither
        created, migrated nor written, so a read-only file or disk works.
    create_folder : bool
        Create missing folders (mode 0700): only for the default data folder, never for a
        path the user typed.
    local_dir : Path, optional
        PostgreSQL only: this station's folder (default: the data folder, `default_data_dir`).
    station : bool
        PostgreSQL only: play writes go through this station's outbox (game/storage/outbox.py).
        False for programs that play no session (the portal): every write goes to the server.

    Raises
    ------
    StorageError
        With one clear message if the file cannot be opened or is not a usable
        MirrorPlay database.
    """
    if is_postgres_url(path):
        return open_postgres(str(path), read_only=read_only, local_dir=local_dir, station=station)
    db_path = _check_path(path, create_folder=create_folder and not read_only)
    if read_only:
        return _open_read_only(db_path)
    _create_private(db_path)
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise storage_error(db_path, "open the database", err) from err
    _set_up(conn, db_path, lambda: _configure(conn, db_path))
    return Database(conn, db_path, Owner.current())


def _set_up(
    conn: sqlite3.Connection | PgConnection, name: Path | str, configure: Callable[[], object]
) -> None:
    """Run `configure` on a new connection; on any failure close it (engine errors become one line)."""
    try:
        configure()
    except db_errors() as err:
        conn.close()
        raise storage_error(name, "open the database", err) from err
    except BaseException:
        conn.close()
        raise


def _open_read_only(path: Path) -> Database:
    """``mode=ro``; on a read-only disk, where SQLite cannot make its -shm file, ``immutable=1``."""
    if not path.is_file():
        raise StorageError(f"no database at {path}.", EXIT_USAGE)
    base = f"file:{quote(str(path.resolve()))}"
    last: sqlite3.Error | None = None
    for query in ("?mode=ro", "?immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(base + query, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)  # fmt: skip
            check_compatible(path, *read_header(conn))
            return Database(conn, path, Owner.current(), read_only=True)
        except sqlite3.Error as err:
            if conn is not None:
                conn.close()
            last = err
            if "unable to open" not in str(err).lower():
                break
        except BaseException:
            if conn is not None:
                conn.close()
            raise
    assert last is not None
    raise storage_error(path, "open the database", last) from last


def server_name(url: str) -> tuple[str, dict[str, str]]:
    """``postgresql://user@host:port/dbname`` without the password, and the URL's parts.

    Raises StorageError (exit 2) when `url` is not a valid PostgreSQL URL."""
    import psycopg  # about 13 MB: only a PostgreSQL database loads it (errors.loaded_psycopg)
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    except psycopg.ProgrammingError as err:
        raise StorageError(f"--db: not a valid PostgreSQL URL ({str(err).strip()}).", EXIT_USAGE) from None
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}", parts


def open_postgres(
    url: str, *, read_only: bool = False, local_dir: Path | None = None, station: bool = True
) -> Database:
    """Open (and, unless `read_only`, create or upgrade the tables of) a PostgreSQL database.

    The database itself must exist (``createdb``, README "Clinic"). Returns a
    :class:`game.storage.outbox.StationDatabase`: the saves of a session being played go through
    this station's outbox, so play goes on while the server is away. Sessions started through it
    are stamped with this install's station id (game/storage/station.py); its ``path`` is an entry
    in `local_dir` (default: the data folder) that the station's recovery files sit beside.
    """
    name, parts = server_name(url)
    folder = local_dir if local_dir is not None else default_data_dir()
    try:
        this_station = station_id(folder)
    except OSError as err:
        raise StorageError(f"cannot keep this station's id in {folder}: {err.strerror or err}.") from err
    try:
        conn = PgConnection(url)
    except db_errors() as err:
        raise storage_error(name, "open the database", err) from err
    if not read_only:
        _set_up(conn, name, lambda: migrate_postgres(conn, name))
    path = folder / local_name(parts.get("host", ""), parts.get("port", ""), parts.get("dbname", ""))
    if not station:
        return Database(conn, path, Owner.current(this_station), read_only=read_only, name=name)
    db = StationDatabase(conn, path, Owner.current(this_station), read_only=read_only, name=name)
    try:
        db.remember_meta()
    except BaseException:
        db.close()
        raise
    if not read_only and db.outbox_path.exists():
        db.outbox()  # saves left by an earlier run that the server never got: send them now
        db.flush()  # a save the server refuses for good is kept aside in the outbox and logged
    return db
