"""A station's outbox: saves of the session being played, kept in a local SQLite file until the
clinic's PostgreSQL server has them.

:class:`StationDatabase` is the :class:`game.storage.db.Database` a station gets for a
``postgresql://`` URL. The writes of a session being played (reps, level results, the session's
end, app-wide values such as the adaptive state) first commit to the outbox on the station's own
disk (``<local entry>.outbox.sqlite``, synchronous=FULL: it survives a power cut), then go to the
server in order. While the server cannot be reached (stopped, restarting, network down) the game
keeps playing: saves wait in the outbox and an uploader thread tries again every
:data:`RETRY_S`. Each save carries a unique id and the server ignores an id it already has
(``ON CONFLICT DO NOTHING``), and a save leaves the outbox only after the server committed it, so
every rep reaches the server exactly once, even when the station is killed between the two.

While the server is away, reads the play screen needs (the patient's latest calibration and the
app-wide values) come from what this station last read or queued.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from game.storage.db import Database, check_finish
from game.storage.errors import StorageError, is_transient, storage_error, waiting_words
from game.storage.records import Calibration, LevelResult, Rep
from game.storage.repwriter import Save, apply_save
from game.storage.rows import dump_json

log = logging.getLogger(__name__)

RETRY_S = 1.0
"""How often the uploader tries again while the server cannot be reached."""
SERVER_WAIT_S = 0.5
"""Longest an upload waits for a row lock on the server before it is tried again later."""


class Outbox:
    """Saves waiting for the server, in order, in a local SQLite file (one transaction each)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            for table in ("outbox", "refused"):  # refused: saves the server rejected for good, kept
                self._conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                    "uid TEXT NOT NULL UNIQUE, body TEXT NOT NULL, queued_at REAL NOT NULL)"
                )
        except sqlite3.Error as err:
            raise storage_error(path, "open this station's outbox", err) from err
        self._lock = threading.Lock()

    def put(self, save: Save) -> None:
        """Keep `save` (committed to disk before this returns)."""
        body = dump_json(save.body, "outbox save")  # NaN kept as null, read back as NaN
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO outbox (kind, uid, body, queued_at) VALUES (?, ?, ?, ?)",
                    (save.kind, save.uid, body, time.time()),
                )
            except sqlite3.Error as err:
                raise storage_error(self.path, "keep a save in this station's outbox", err) from err

    def first(self, n: int = 100) -> list[tuple[int, float, Save]]:
        """The oldest `n` waiting saves: ``(sequence number, time queued (epoch s), save)``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, queued_at, kind, uid, body FROM outbox ORDER BY seq LIMIT ?", (n,)
            ).fetchall()
        return [(int(r[0]), float(r[1]), Save(r[2], r[3], json.loads(r[4]), journaled=True)) for r in rows]

    def done(self, seq: int, *, refused: bool = False) -> None:
        """The server has save `seq` (or, `refused`, will never take it: it is kept aside)."""
        with self._lock:
            # No fsync for a removal: if it is lost, the save is sent again and the server skips it.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("BEGIN IMMEDIATE")
            if refused:
                self._conn.execute("INSERT OR IGNORE INTO refused SELECT * FROM outbox WHERE seq = ?", (seq,))
            self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            self._conn.execute("COMMIT")
            self._conn.execute("PRAGMA synchronous = FULL")

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _Server:
    """The plain Database writes of a StationDatabase (what an upload applies on the server)."""

    def __init__(self, db: StationDatabase, sent_ids: dict[str, int]) -> None:
        self._db = db
        self._sent_ids = sent_ids

    def add_rep(self, session_id: int, rep: Rep, **kw: Any) -> int:
        rep_id = Database.add_rep(self._db, session_id, rep, **kw)
        if kw.get("uid") and len(self._sent_ids) < 1000:  # read back by the add_rep that queued it
            self._sent_ids[str(kw["uid"])] = rep_id
        return rep_id

    def add_level_result(self, result: LevelResult, *, uid: str | None = None) -> None:
        Database.add_level_result(self._db, result, uid=uid)

    def finish_session(self, session_id: int, **kw: Any) -> None:
        Database.finish_session(self._db, session_id, **kw)

    def set_meta(self, key: str, value: str) -> None:
        Database.set_meta(self._db, key, value)


class StationDatabase(Database):
    """A clinic server database seen from one station: play writes go through the outbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outbox: Outbox | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._uploader: threading.Thread | None = None
        self._meta: dict[str, str | None] = {}
        self._meta_complete = False
        self._calibrations: dict[str, Calibration | None] = {}
        self.waiting: str | None = None
        """Plain words for the screen while saves wait for the server, else None."""
        self._sent_ids: dict[str, int] = {}
        self._refusals: dict[str, Exception] = {}
        self.upload_ms: list[tuple[float, float]] = []
        """``(queued at, epoch s; ms from the outbox to the server's commit)`` per save sent
        (benchmarks/clinic.py reads it)."""

    @property
    def outbox_path(self) -> Path:
        return self.path.with_name(self.path.name + ".outbox.sqlite")

    def outbox(self) -> Outbox:
        """The outbox, opened (and its uploader started) on first use."""
        if self._outbox is None:
            self._outbox = Outbox(self.outbox_path)
            self._uploader = threading.Thread(target=self._run, name="outbox-upload", daemon=True)
            self._uploader.start()
        return self._outbox

    def pending(self) -> int:
        """Saves still waiting for the server."""
        return 0 if self._outbox is None else self._outbox.count()

    # -- writes of the session being played ----------------------------------------------

    def add_rep(
        self,
        session_id: int,
        rep: Rep,
        *,
        created_at: str,
        uid: str | None = None,
        active_s: float | None = None,
    ) -> int:
        """Keep the rep in the outbox, then send it; return its server id (0 while it waits)."""
        body = {"session_id": session_id, "created_at": created_at, "active_s": active_s, "rep": asdict(rep)}
        save = Save("rep", uid or uuid.uuid4().hex, body)
        self._queue(save)
        return self._sent_ids.pop(save.uid, 0)

    def add_level_result(self, result: LevelResult, *, uid: str | None = None) -> None:
        self._queue(Save("level_result", uid or uuid.uuid4().hex, {"result": asdict(result)}))

    def finish_session(
        self, session_id: int, *, status: str, ended_at: str, pain_after: int | None = None, active_s: float
    ) -> None:
        check_finish(status, ended_at, pain_after, active_s)
        body = {"session_id": session_id, "status": status, "ended_at": ended_at, "pain_after": pain_after,
                "active_s": active_s}  # fmt: skip
        self._queue(Save("finish", uuid.uuid4().hex, body))

    def set_meta(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise ValueError(f"value must be a string, got {type(value).__name__}")
        self._meta[key] = value
        self._queue(Save("meta", uuid.uuid4().hex, {"key": key, "value": value}))

    def remember_meta(self) -> None:
        """Read every app-wide value once (at open), so play can go on while the server is away."""
        with self._read("read the app-wide values") as conn:
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
        self._meta.update({str(k): str(v) for k, v in rows})
        self._meta_complete = True

    def get_meta(self, key: str) -> str | None:
        """The server's value, or while it is away the last one this station read or wrote."""
        if self.pending() == 0 or key not in self._meta:
            try:
                self._meta[key] = super().get_meta(key)
            except StorageError as err:
                known = key in self._meta or self._meta_complete
                if not is_transient(err.__cause__ or err) or not known:
                    raise
        return self._meta.get(key)

    def latest_calibration(self, patient_id: str) -> Calibration | None:
        try:
            self._calibrations[patient_id] = super().latest_calibration(patient_id)
        except StorageError as err:
            if not is_transient(err.__cause__ or err) or patient_id not in self._calibrations:
                raise
        return self._calibrations[patient_id]

    def close(self) -> None:
        """Send what waits (a few seconds at most); what the server did not take stays in the outbox."""
        if self._outbox is not None:
            self.flush(wait_s=3.0)
            self._stop.set()
            self._wake.set()
            if self._uploader is not None:
                self._uploader.join(5.0)
            self._outbox.close()
        super().close()

    # -- uploading -----------------------------------------------------------------------

    def _queue(self, save: Save) -> None:
        self.outbox().put(save)
        if self.waiting is None:
            # The server was there a moment ago: send now, in order, after whatever the uploader
            # thread is sending; a save the server refuses for good is the caller's error.
            self._upload()
            refused = self._refusals.pop(save.uid, None)
            if refused is not None:
                raise refused
        self._wake.set()

    def flush(self, wait_s: float = 0.0) -> bool:
        """Send everything waiting, trying for up to `wait_s` seconds; True when the outbox is empty."""
        deadline = time.monotonic() + max(wait_s, 0.0)
        while True:
            self._upload()
            if self.pending() == 0 or time.monotonic() >= deadline:
                return self.pending() == 0
            time.sleep(0.1)

    def _refuse(self, outbox: Outbox, seq: int, save: Save, err: Exception) -> None:
        """Keep a save the server will never take aside; its caller is told (see `_queue`)."""
        outbox.done(seq, refused=True)
        log.error("the server refused a save (%s) for good; kept in %s: %s", save.kind, outbox.path, err)
        if len(self._refusals) < 1000:
            self._refusals[save.uid] = err

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(RETRY_S)
            self._wake.clear()
            if self._stop.is_set():
                return
            self._upload()

    def _upload(self) -> None:
        """Send waiting saves in order; stop at the first the server cannot take now.

        One thread sends at a time, holding the connection's own lock (``self._lock``, an RLock)
        for the whole send. The game thread already holds it when a RepWriter saves through
        ``busy_timeout``; a separate upload lock taken before it made two lock orders, and an
        uploader that woke between the game's outbox commit and its send deadlocked the game
        (seen as a station that never ended its session, benchmarks/clinic.py)."""
        if self._outbox is None:
            return
        with self._lock:
            self._send_all(self._outbox)

    def _send_all(self, outbox: Outbox) -> None:
        server = _Server(self, self._sent_ids)
        while batch := outbox.first():
            for seq, queued_at_s, save in batch:
                try:
                    with self.busy_timeout(SERVER_WAIT_S):
                        apply_save(server, save)
                except StorageError as err:
                    cause = err.__cause__ or err
                    if is_transient(cause):
                        self.waiting = waiting_words(cause)
                        return
                    self._refuse(outbox, seq, save, err)  # waiting will not help
                    continue
                except (ValueError, TypeError, KeyError) as err:
                    self._refuse(outbox, seq, save, err)
                    continue
                outbox.done(seq)
                if len(self.upload_ms) < 100_000:
                    self.upload_ms.append((queued_at_s, (time.time() - queued_at_s) * 1000.0))
        self.waiting = None
