"""Logging: a rotating log file in the platform's log folder, and short lines on stderr.

The log file (``mirrorplay.log``, rotated at :data:`MAX_LOG_BYTES`, :data:`BACKUPS` old files
kept) is where tracebacks go; a user sees one plain line that says where it is
(game/failures.py). Its folder is ``$MIRRORPLAY_HOME/logs`` when MIRRORPLAY_HOME is set (like
the data folder), else the platform's user log folder (platformdirs: ``~/.local/state/
MirrorPlay/log`` on Linux, ``~/Library/Logs/MirrorPlay`` on macOS, ``%LOCALAPPDATA%\\MirrorPlay\\
Logs`` on Windows). Folder 0700, file 0600. stderr shows warnings without tracebacks (with
``--verbose``: info and tracebacks too).

A log that cannot be written (read-only home, full disk) never stops the game and never
prints "Logging error" tracebacks: the file handler turns itself off and the failure line
says no log could be written.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from game.files import FILE_MODE, make_private_folder
from game.storage.paths import APP_DIR, HOME_ENV

LOG_NAME = "mirrorplay.log"
MAX_LOG_BYTES = 1_000_000
BACKUPS = 3
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Folder of the log file: ``$MIRRORPLAY_HOME/logs`` or the platform's user log folder."""
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP_DIR, appauthor=False))


class _QuietRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating file handler that switches itself off on the first write error."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self.failed = True
        self.setLevel(logging.CRITICAL + 1)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:  # the buffered line could not reach a full disk
            self.failed = True
            self.setLevel(logging.CRITICAL + 1)


class _ShortFormatter(logging.Formatter):
    """``LEVEL name: message`` without tracebacks (they are in the log file)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname} {record.name}: {record.getMessage()}"


def setup_logging(verbose: bool = False, environ: Mapping[str, str] | None = None) -> Path | None:
    """Send logs to the rotating file and to stderr; return the file's path (None if unusable)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_mirrorplay", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.raiseExceptions = False  # a broken stream must never print "Logging error" traces
    console = logging.StreamHandler()
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    plain = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    console.setFormatter(plain if verbose else _ShortFormatter())
    console._mirrorplay = True  # type: ignore[attr-defined]
    root.addHandler(console)
    path = _open_log_file(log_dir(environ))
    if path is None:
        return None
    handler = _QuietRotatingFile(path, maxBytes=MAX_LOG_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FILE_FORMAT))
    handler._mirrorplay = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path


def _open_log_file(folder: Path) -> Path | None:
    """Create the folder (0700) and the file (0600) if needed; None when that is impossible."""
    path = folder / LOG_NAME
    try:
        make_private_folder(folder)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.close(fd)
    except OSError:
        return None
    return path


def log_usable(path: Path | None) -> Path | None:
    """`path` if the log file handler is still writing, else None (it failed: disk full...)."""
    if path is None:
        return None
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _QuietRotatingFile):
            handler.flush()
            return None if handler.failed else path
    return None
