"""Session saves that are never lost to a busy or failing database.

:class:`RepWriter` wraps a database for the writes of a session being played: reps, level
results and the session's end. Each save is tried at once with a short lock wait
(:data:`TRY_WAIT_S`, so the game never freezes); if the database is busy (another program holds
its lock) or the disk is full, the save is kept in memory, appended to a recovery file beside the
database (fsynced, so even kill -9 keeps it), and retried in order every :data:`RETRY_S` by
:meth:`RepWriter.tick`. :attr:`RepWriter.waiting` gives the reason in plain words for the screen
("Saving is waiting: another program is using the records"). When the process must stop,
:meth:`RepWriter.close` tries a last time (at most `wait_s`) and leaves what is still unsaved in
the recovery file; the next start imports it exactly once (:func:`import_recovery_files`: every
save carries a unique id, and the database ignores an id it already has).

Recovery file: ``<database name>.recovery-<instance id>.jsonl`` in the database's folder, UTF-8
JSON lines. The first line is a header ``{"format": "mirrorplay-recovery", "version": 1,
"database": <name>, "host": ..., "pid": ...}``; each further line is one save::

    {"kind": "rep", "uid": ..., "session_id": 3, "created_at": "...Z", "active_s": 41.5,
     "rep": {"level_id": ..., "set_index": 0, "rep_index": 2, "t_cue_s": ..., "t_end_s": ...,
             "success": true, "compensated": false, "metrics": {"sparc": -1.6, "x": null}}}
    {"kind": "level_result", "uid": ..., "result": {"session_id", "level_id", "stars",
     "metrics", "reliable"}}
    {"kind": "finish", "uid": ..., "session_id": 3, "status": "completed", "ended_at": ...,
     "pain_after": null, "active_s": 612.0}

NaN is written as ``null``. A torn last line (killed mid-write) is skipped. Errors that waiting
cannot cure (a rep for a session that does not exist, a bad value) are raised at once.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from game.storage.errors import StorageError, is_transient, waiting_words
from game.storage.owners import Owner, owner_gone
from game.storage.records import LevelResult, Rep, utc_now
from game.storage.rows import dump_json, load_metrics

log = logging.getLogger(__name__)

TRY_WAIT_S = 0.02
"""Longest a save waits for another program's lock before it is kept for later (one frame)."""
RETRY_S = 1.0
"""How often kept saves are retried."""
FORMAT = "mirrorplay-recovery"
VERSION = 1


class SaveTarget(Protocol):
    """What applying a save needs of a database (game.storage.Database)."""

    def add_rep(
        self,
        session_id: int,
        rep: Rep,
        *,
        created_at: str,
        uid: str | None = None,
        active_s: float | None = None,
    ) -> int: ...

    def add_level_result(self, result: LevelResult, *, uid: str | None = None) -> None: ...

    def finish_session(
        self, session_id: int, *, status: str, ended_at: str, pain_after: int | None = None, active_s: float
    ) -> None: ...

    def set_meta(self, key: str, value: str) -> None: ...


class _Target(SaveTarget, Protocol):
    """What the writer needs of a database: also where it is and whose it is."""

    @property
    def path(self) -> Path: ...

    @property
    def owner(self) -> Owner: ...

    def busy_timeout(self, seconds: float) -> Any: ...


@dataclass
class Save:
    """One pending save: its kind (rep, level_result, finish), unique id and JSON-able body."""

    kind: str
    uid: str
    body: dict[str, Any]
    journaled: bool = field(default=False, compare=False)

    def line(self) -> str:
        return dump_json({"kind": self.kind, "uid": self.uid, **self.body}, "recovery line") + "\n"


def recovery_path(db_path: Path, owner: Owner) -> Path:
    """This instance's recovery file beside the database."""
    return db_path.with_name(f"{db_path.name}.recovery-{owner.id}.jsonl")


class RepWriter:
    """Writes a session's saves in order; keeps and retries those the database refuses for now.

    Parameters
    ----------
    db : Database
        The open database (its ``path`` and ``owner`` name the recovery file).
    clock : callable
        Monotonic seconds (``time.monotonic``), for the retry schedule.
    """

    def __init__(self, db: _Target, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.path = recovery_path(Path(db.path), db.owner)
        self._pending: list[Save] = []
        self._refused: list[Save] = []
        """Saves the database refused for good (kept in the recovery file for support)."""
        self._clock = clock
        self._next_try_s = 0.0
        self.waiting: str | None = None
        """Plain words for the screen while saves wait, else None."""
        self.saved = 0

    @property
    def pending(self) -> int:
        """Saves not yet in the database."""
        return len(self._pending)

    def save_rep(self, session_id: int, rep: Rep, *, created_at: str, active_s: float | None = None) -> None:
        """Save one rep now if possible, else keep it (see the module docstring)."""
        body = {"session_id": session_id, "created_at": created_at, "active_s": active_s, "rep": asdict(rep)}
        self._submit(Save("rep", uuid.uuid4().hex, body))

    def save_level_result(self, result: LevelResult) -> None:
        """Save one level's result now if possible, else keep it."""
        self._submit(Save("level_result", uuid.uuid4().hex, {"result": asdict(result)}))

    def finish(
        self, session_id: int, *, status: str, ended_at: str, pain_after: int | None = None, active_s: float
    ) -> None:
        """Close the session row now if possible, else keep it (after every earlier save)."""
        body = {"session_id": session_id, "status": status, "ended_at": ended_at, "pain_after": pain_after,
                "active_s": active_s}  # fmt: skip
        self._submit(Save("finish", uuid.uuid4().hex, body))

    def tick(self) -> None:
        """Retry kept saves when due; cheap when nothing waits. Call once per frame."""
        if self._pending and self._clock() >= self._next_try_s:
            self._drain()

    def flush(self, wait_s: float = 0.0) -> bool:
        """Try to write everything kept, for up to `wait_s` seconds; True when nothing waits."""
        deadline = self._clock() + max(wait_s, 0.0)
        while True:
            self._drain()
            if not self._pending or self._clock() >= deadline:
                return not self._pending
            time.sleep(min(0.1, max(deadline - self._clock(), 0.0)))

    def close(self, wait_s: float = 2.0) -> Path | None:
        """Last try; what is still unsaved stays in the recovery file, whose path is returned
        (None when everything was saved)."""
        if self.flush(wait_s):
            return None
        for save in self._pending:
            self._journal(save)
        log.info("%d saves could not be written and wait in %s", len(self._pending), self.path)
        return self.path

    def _submit(self, save: Save) -> None:
        self._pending.append(save)
        self._drain()

    def _drain(self) -> None:
        while self._pending:
            save = self._pending[0]
            try:
                with self.db.busy_timeout(TRY_WAIT_S):
                    apply_save(self.db, save)
            except StorageError as err:
                cause = err.__cause__ or err
                if not is_transient(cause):  # waiting will not help: keep it on disk, then say so
                    self._journal(save)
                    self._refused.append(self._pending.pop(0))
                    raise
                self._keep(cause)
                return
            self._pending.pop(0)
            self.saved += 1
        self.waiting = None
        self._forget_journal()

    def _keep(self, cause: BaseException) -> None:
        self.waiting = waiting_words(cause)
        self._next_try_s = self._clock() + RETRY_S
        for save in self._pending:
            self._journal(save)

    def _journal(self, save: Save) -> None:
        """Append `save` to the recovery file once (fsynced); on a full disk it stays in memory."""
        if save.journaled:
            return
        try:
            new = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                if new:
                    fh.write(_header(self.db) + "\n")
                fh.write(save.line())
                fh.flush()
                os.fsync(fh.fileno())
            save.journaled = True
        except OSError as err:
            log.warning("cannot write the recovery file %s: %s", self.path, err)

    def _forget_journal(self) -> None:
        """Everything waiting is in the database: the recovery file keeps only refused saves."""
        if not self.path.exists():
            return
        try:
            if not self._refused:
                self.path.unlink()
                return
            kept = self.path.with_name(self.path.name + ".tmp")
            kept.write_text(
                _header(self.db) + "\n" + "".join(s.line() for s in self._refused), encoding="utf-8"
            )
            os.replace(kept, self.path)
        except OSError as err:
            log.warning("cannot tidy %s: %s", self.path, err)


def _header(db: _Target) -> str:
    owner = db.owner
    head = {"format": FORMAT, "version": VERSION, "database": Path(db.path).name, "owner": owner.id,
            "host": owner.host, "pid": owner.pid}  # fmt: skip
    return json.dumps(head, sort_keys=True)


def apply_save(db: SaveTarget, save: Save) -> None:
    """Write one save to `db` (idempotent by its uid for reps and level results)."""
    b = save.body
    if save.kind == "rep":
        raw = dict(b["rep"])
        raw["metrics"] = load_metrics(json.dumps(raw.get("metrics", {})))
        rep = Rep(**raw)
        db.add_rep(int(b["session_id"]), rep, created_at=str(b["created_at"]), uid=save.uid,
                   active_s=b.get("active_s"))  # fmt: skip
    elif save.kind == "level_result":
        raw = dict(b["result"])
        raw["metrics"] = load_metrics(json.dumps(raw.get("metrics", {})))
        db.add_level_result(LevelResult(**raw), uid=save.uid)
    elif save.kind == "finish":
        # The same finish twice is harmless (Database.finish_session); a different one is refused.
        db.finish_session(int(b["session_id"]), status=str(b["status"]), ended_at=str(b["ended_at"]),
                          pain_after=b.get("pain_after"), active_s=float(b["active_s"]))  # fmt: skip
    elif save.kind == "meta":  # an app-wide value written while the server was away (outbox.py)
        db.set_meta(str(b["key"]), str(b["value"]))
    else:
        raise ValueError(f"unknown save kind {save.kind!r}")


def read_recovery_file(path: Path) -> tuple[dict[str, Any], list[Save]]:
    """The header and saves of a recovery file; a torn or damaged line is skipped (logged)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    header: dict[str, Any] = {}
    saves: list[Save] = []
    for i, text in enumerate(lines):
        try:
            item = json.loads(text)
            if i == 0:
                header = item if item.get("format") == FORMAT else {}
                continue
            saves.append(Save(str(item.pop("kind")), str(item.pop("uid")), item, journaled=True))
        except (ValueError, KeyError, AttributeError, TypeError):
            log.warning("%s line %d is damaged and was skipped", path.name, i + 1)
    return header, saves


def import_recovery_files(db: Any, now: str | None = None) -> int:
    """Import the recovery files beside `db` whose writer is gone; return the saves applied.

    A file is claimed by renaming it first, so two instances never import the same file; a
    save already in the database (same uid) is skipped, so each is applied exactly once. A file
    that cannot be applied completely (database busy) is renamed back for the next start.
    """
    folder, name = Path(db.path).parent, Path(db.path).name
    applied = 0
    for path in sorted(folder.glob(f"{name}.recovery-*.jsonl")):
        header, _ = read_recovery_file(path)
        if header.get("owner") == db.owner.id or not _writer_gone(header, path, db.owner, now or utc_now()):
            continue
        claimed = path.with_name(path.name + f".importing-{db.owner.id}")
        try:
            os.replace(path, claimed)
        except OSError:
            continue  # another instance claimed it first
        applied += _import_claimed(db, claimed, path)
    return applied


def _writer_gone(header: dict[str, Any], path: Path, me: Owner, now: str) -> bool:
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(path.stat().st_mtime))
    return owner_gone(header.get("host"), header.get("pid"), modified, now, this_host=me.host)


def _import_claimed(db: Any, claimed: Path, original: Path) -> int:
    _, saves = read_recovery_file(claimed)
    done = 0
    try:
        for save in saves:
            apply_save(db, save)
            done += 1
    except (StorageError, sqlite3.Error, ValueError, TypeError, KeyError) as err:
        log.warning("recovery file %s: stopped after %d saves: %s", original.name, done, err)
        os.replace(claimed, original)  # try again next start (applied ones are skipped by uid)
        return done
    claimed.unlink()
    log.info("imported %d saves from %s", done, original.name)
    return done
