"""The one top-level handler every command runs in: failures become one plain line.

A user never sees a traceback. :func:`run_guarded` runs a command and turns each expected
failure into one line on stderr naming what went wrong and what to do, with the exit code:

- :data:`EXIT_USAGE` (2): bad input the user can fix (an option, a path, a file's content);
- :data:`EXIT_ENVIRONMENT` (1): the machine (disk full, no permission, database busy or
  damaged, a missing device or model), and anything unexpected.

The traceback goes to the log file only (game/applog.py); the line says where that file is.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from game.storage.errors import StorageError

EXIT_OK = 0
EXIT_ENVIRONMENT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

log = logging.getLogger("mirrorplay")


class UserFacingError(Exception):
    """A failure told to the user in one line; ``code`` is the exit code (2 bad input, 1 other)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def first_line(text: str, limit: int = 300) -> str:
    """The first non-empty line of `text`, shortened to `limit` characters."""
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def os_error_line(err: OSError, path: Path | str, action: str = "write") -> tuple[str, int]:
    """One plain line and an exit code for an OS error met while doing `action` on `path`."""
    code = err.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot {action} {path}: the disk is full. Free some space and try again.", 1
    if code == errno.EROFS:
        return f"cannot {action} {path}: it is on a read-only disk. Choose another folder.", 1
    if code in (errno.EACCES, errno.EPERM):
        return f"cannot {action} {path}: permission denied. Choose a folder you may write to.", 1
    if code == errno.ENAMETOOLONG:
        return f"cannot {action} {path}: the name is too long.", 2
    if code == errno.EISDIR:
        return f"cannot {action} {path}: it is a folder, not a file.", 2
    if code in (errno.ENOENT, errno.ENOTDIR):
        return f"cannot {action} {path}: its folder does not exist.", 2
    if code == errno.EFBIG:
        return f"cannot {action} {path}: the file would be larger than this system allows.", 1
    return f"cannot {action} {path}: {err.strerror or err}.", 1


def classify(err: BaseException) -> tuple[str, int] | None:
    """The line and exit code for an expected failure, or None for an unexpected one (a bug)."""
    if isinstance(err, UserFacingError):
        return first_line(str(err)), err.code
    if isinstance(err, StorageError):
        return first_line(str(err)), err.code
    if isinstance(err, OSError):
        line, code = os_error_line(err, err.filename or "a file")
        return line, code
    if isinstance(err, MemoryError):
        return "ran out of memory. Close other programs and try again.", EXIT_ENVIRONMENT
    return None


def run_guarded(
    command: str,
    body: Callable[[], int],
    *,
    log_path: Callable[[], Path | None] = lambda: None,
    stderr: TextIO | None = None,
) -> int:
    """Run `body` and return its exit code; every failure becomes one line on `stderr`.

    ``log_path()`` is where the traceback was written, or None when no log could be written
    (it is asked after logging, so a log on a full disk is reported as missing).
    """
    out = stderr if stderr is not None else sys.stderr
    try:
        return body()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as err:
        known = classify(err)
        if known is None:
            log.error("unexpected failure in %s", command, exc_info=True)
            line, code = "stopped on an unexpected problem (a bug).", EXIT_ENVIRONMENT
        else:
            line, code = known
            # Bad input needs no traceback; the machine's failures keep theirs for support.
            log.info("%s failed: %s", command, line, exc_info=code != EXIT_USAGE)
        try:
            where = where_logged(log_path(), code)
        except Exception:  # the log itself failed (a full disk): say so, never a traceback
            where = where_logged(None, code)
        print(f"mirrorplay {command}: {line}{where}", file=out)
        return code


def where_logged(log_path: Path | None, code: int) -> str:
    """`` Details: <log>`` for environment failures, nothing for bad input."""
    if code == EXIT_USAGE:
        return ""
    if log_path is None:
        return " (no log file could be written)"
    return f" Details: {log_path}"
