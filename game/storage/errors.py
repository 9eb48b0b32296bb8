"""StorageError: the one exception storage raises, with a message a user can act on.

The CLI prints ``str(err)`` and exits non-zero, so every message names the file and says
what to do; the underlying sqlite3/OS error stays available as ``err.__cause__``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StorageError(Exception):
    """The database could not be opened, read or written; the message says why."""


def describe(path: Path, action: str, err: BaseException) -> str:
    """Turn a sqlite3 or OS error into one clear line naming `path` and the failed `action`."""
    text = str(err)
    low = text.lower()
    if "not a database" in low or "file is encrypted" in low:
        return f"{path} is not a MirrorPlay database (it is not a SQLite file)."
    if "malformed" in low or "corrupt" in low:
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
    if isinstance(err, sqlite3.IntegrityError):
        return f"cannot {action}: {text}."
    return f"cannot {action} ({path}): {text}."
