"""StorageError: the one exception storage raises, with a message a user can act on.

The CLI prints ``str(err)`` and exits non-zero, so every message names the file and says
what to do; the underlying sqlite3/OS error stays available as ``err.__cause__``.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from types import ModuleType

EXIT_ENVIRONMENT = 1
EXIT_USAGE = 2


class StorageError(Exception):
    """The database could not be opened, read or written; the message says why.

    ``code`` is the exit code a command ends with: 2 when the user named a wrong file (a
    folder, another program's file, a missing folder), 1 for everything the machine does
    (busy, full, read-only, damaged).
    """

    def __init__(self, message: str, code: int = EXIT_ENVIRONMENT) -> None:
        super().__init__(message)
        self.code = code


def loaded_psycopg() -> ModuleType | None:
    """psycopg when something loaded it (a ``postgresql://`` database), else None.

    Only a clinic's PostgreSQL database needs psycopg, and importing it costs about 13 MB of
    resident memory (its binary driver; docs/performance-notes.md, "Memory"), so storage imports
    it where a server is opened (game/storage/pg.py). An error from a SQLite database is never a
    psycopg error, so the code that sorts errors only looks at a psycopg already loaded."""
    return sys.modules.get("psycopg")


def db_errors() -> tuple[type[Exception], ...]:
    """What either engine raises: ``sqlite3.Error``, and ``psycopg.Error`` once psycopg is loaded."""
    pg = loaded_psycopg()
    return (sqlite3.Error,) if pg is None else (sqlite3.Error, pg.Error)


def describe(path: Path | str, action: str, err: BaseException) -> str:
    """Turn a sqlite3, psycopg or OS error into one clear line naming `path` and the failed `action`."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    low = text.lower()
    if _unreachable(err):
        return f"cannot {action}: the database server of {path} cannot be reached ({text})."
    pg = loaded_psycopg()
    if pg is not None and isinstance(err, pg.errors.LockNotAvailable):
        return f"cannot {action}: {path} is busy (another program holds a lock)."
    if "not a database" in low or "file is encrypted" in low:
        return f"{path} is not a MirrorPlay database (it is not a SQLite file)."
    if "malformed" in low or "corrupt" in low or "no such table" in low or "no such column" in low:
        return (
            f"{path} is damaged ({text}). Restore a backup, or move the file away "
            "and MirrorPlay will start a new, empty database."
        )
    if "readonly" in low or "read-only" in low:
        return f"{path} is read-only: MirrorPlay needs permission to write to it."
    if "unable to open" in low or isinstance(err, PermissionError):
        return f"cannot open {path}: the file or its folder is not readable and writable."
    if "disk is full" in low or "database or disk is full" in low:
        return f"cannot {action}: the disk holding {path} is full."
    if "locked" in low or "busy" in low:
        return f"cannot {action}: {path} is busy (is MirrorPlay already running?)."
    if isinstance(err, sqlite3.IntegrityError) or (pg is not None and isinstance(err, pg.IntegrityError)):
        return f"cannot {action}: {text}."
    return f"cannot {action} ({path}): {text}."


def storage_error(path: Path | str, action: str, err: BaseException) -> StorageError:
    """A StorageError for `err` with :func:`describe`'s line; exit code 2 when the file named is
    not a database at all (the user chose the wrong file), else 1."""
    line = describe(path, action, err)
    wrong_file = "not a database" in str(err).lower() or "file is encrypted" in str(err).lower()
    return StorageError(line, EXIT_USAGE if wrong_file else EXIT_ENVIRONMENT)


def is_transient(err: BaseException) -> bool:
    """True for failures that may pass if the write is tried again later: another program
    holds the lock, the disk is full, an I/O error."""
    pg = loaded_psycopg()
    if pg is not None and isinstance(err, pg.OperationalError):  # server down, lock wait, cancel
        return True
    low = str(err).lower()
    return any(word in low for word in ("locked", "busy", "disk is full", "disk i/o", "no space"))


def _unreachable(err: BaseException) -> bool:
    """A PostgreSQL server that is down, restarting or out of reach (not a lock wait)."""
    pg = loaded_psycopg()
    return (
        pg is not None
        and isinstance(err, pg.OperationalError)
        and not isinstance(err, pg.errors.LockNotAvailable | pg.errors.QueryCanceled)
    )


def waiting_words(err: BaseException) -> str:
    """Plain words for the screen while a save waits (see :class:`game.storage.RepWriter`)."""
    if _unreachable(err):
        return "Saving is waiting: the clinic's records server cannot be reached"
    low = str(err).lower()
    if "full" in low or "no space" in low:
        return "The disk is full: saving waits until there is room"
    if "locked" in low or "busy" in low:
        return "Saving is waiting: another program is using the records"
    return "Saving is waiting: the records cannot be written just now"
