"""Output files: checked before any work starts, written atomically, private to the user.

Every file MirrorPlay writes for the user (exports, the progress picture, screenshots,
recordings, logs) goes through here:

- :func:`check_output` runs before a session or an export starts: the folder must exist (it is
  never created silently) and be writable, the target must not be a folder, not be the database
  (paths resolved, inodes compared, so ``X.db`` under another name or a hard link is caught),
  and not exist unless ``--force``; the disk must have room.
- :func:`write_atomic` writes a temporary file in the same folder, fsyncs it and renames it over
  the target, so a full disk or a crash leaves the old file or nothing, never half a file.
- Files are created 0600 and folders 0700 on POSIX (health data: readable by the user only).

Failures are :class:`OutputError` with one line and an exit code: 2 for a bad path the user can
fix by choosing another, 1 for the environment (no permission, read-only or full disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from game.failures import UserFacingError, os_error_line

FILE_MODE = 0o600
FOLDER_MODE = 0o700
MIN_FREE_BYTES = 1 << 20
"""Free space an output folder must have before work starts (1 MiB: a report is ~100 kB)."""
NAME_MAX_BYTES = 255
"""Longest file name on common file systems (ext4, APFS, NTFS), used when the OS does not say."""
DB_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""A SQLite database is its file plus these companions: none may be overwritten by an output."""


class OutputError(UserFacingError):
    """An output path that cannot be used; ``code`` 2 (choose another path) or 1 (environment)."""


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` name the same file (same resolved path, or same device and inode)."""
    try:
        if a.resolve() == b.resolve():
            return True
        sa, sb = a.stat(), b.stat()
    except (OSError, RuntimeError):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def is_database_file(path: Path, db: Path) -> bool:
    """True when `path` is the database `db` or one of its companion files (-wal, -shm)."""
    return any(same_file(path, Path(str(db) + suffix)) for suffix in DB_COMPANIONS)


def check_output(
    path: Path | str,
    *,
    option: str,
    suffixes: Sequence[str] = (),
    protect: Sequence[Path] = (),
    force: bool = False,
) -> Path:
    """Check an output path before any work starts; return it.

    Parameters
    ----------
    option : str
        The option that named it (``--out``), for the message.
    suffixes : sequence of str
        Allowed endings, compared case-insensitively (``.npz`` accepts ``X.NPZ``).
    protect : sequence of Path
        Files that must never be overwritten (the database).
    force : bool
        Allow replacing an existing file (never a protected one).
    """
    text = str(path)
    if not text.strip():
        raise OutputError(f"{option}: the file name is empty.")
    target = Path(text).expanduser()
    if suffixes and target.suffix.lower() not in suffixes:
        raise OutputError(f"{option} must name a {' or '.join(suffixes)} file, got {text!r}.")
    check_name_length(target, option)
    folder = folder_of(target)
    if not folder.is_dir():
        raise OutputError(f"{option}: the folder {folder} does not exist. Create it first.")
    if target.is_dir():
        raise OutputError(f"{option}: {target} is a folder, not a file.")
    for db in protect:
        if is_database_file(target, db):
            raise OutputError(f"{option}: {target} is the database. Choose another file name.")
    if target.exists() or target.is_symlink():
        if not target.is_file():
            raise OutputError(f"{option}: {target} exists and is not a regular file.")
        if not force:
            raise OutputError(f"{option}: {target} already exists. Choose another name or add --force.")
    check_folder_writable(folder, option)
    return target


def check_name_length(target: Path, option: str) -> None:
    """OutputError (exit 2) when the file name is longer than the file system allows."""
    folder = folder_of(target)
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX") if folder.is_dir() else NAME_MAX_BYTES
    except (OSError, ValueError, AttributeError):
        limit = NAME_MAX_BYTES
    if len(os.fsencode(target.name)) > limit:
        raise OutputError(f"{option}: the file name is longer than {limit} bytes.")


def folder_of(target: Path) -> Path:
    """The folder `target` goes in (``.`` for a bare file name)."""
    return target.parent if str(target.parent) else Path(".")


def check_folder_writable(folder: Path, option: str) -> None:
    """Write and remove a probe file in `folder`, then check free space (OutputError, exit 1).

    A probe, not ``os.access``: root passes ``os.access`` on a read-only disk.
    """
    try:
        fd, probe = tempfile.mkstemp(prefix=".mirrorplay-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        line, code = os_error_line(err, folder, "write in")
        raise OutputError(f"{option}: {line}", code) from None
    if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
        raise OutputError(f"{option}: the disk holding {folder} is full. Free some space first.", 1)


@contextlib.contextmanager
def atomic_file(path: Path | str, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Open a temporary file beside `path` for writing; on success fsync it and move it in place.

    On any error the temporary file is removed and the old `path` (if any) is untouched. With
    ``overwrite=False`` an existing `path` is never replaced (FileExistsError).
    """
    target = Path(path)
    folder = folder_of(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _move_into_place(Path(tmp), target, overwrite)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def write_atomic(path: Path | str, data: bytes, *, overwrite: bool = True) -> Path:
    """Write `data` to `path` atomically (see :func:`atomic_file`); return the path."""
    with atomic_file(path, overwrite=overwrite) as fh:
        fh.write(data)
    return Path(path)


def _move_into_place(tmp: Path, target: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if target exists: no check-then-replace race
    except FileExistsError:
        raise
    except OSError:  # file systems without hard links
        if target.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); harmless where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_private_folder(folder: Path) -> Path:
    """Create `folder` and missing parents with mode 0700; return it."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=FOLDER_MODE, exist_ok=True)
    return folder
