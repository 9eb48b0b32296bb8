"""The MirrorPlay database: patients, settings history, sessions, reps, results, recordings.

All SQL of the game lives in game/storage. Every save is one transaction, so a crash
leaves either the whole save or nothing; reps commit one by one so a killed game loses
at most the rep in progress. WAL journal with ``synchronous=NORMAL``: commits survive an
application crash and cost ~0.01 ms (docs/performance-notes.md §1.6).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from game.storage import lifecycle
from game.storage.base import Connection
from game.storage.errors import StorageError
from game.storage.family import FamilyCodeRows
from game.storage.frames import decode_frames, encode_frames
from game.storage.owners import HEARTBEAT_TIMEOUT_S, pid_alive
from game.storage.records import (
    FINAL_STATUSES,
    Calibration,
    ChangeLogEntry,
    LevelResult,
    Patient,
    Rep,
    RepRow,
    SessionRow,
    check_non_negative,
    check_pain,
    check_utc_timestamp,
)
from game.storage.rows import (
    PATIENT_COLS,
    REP_COLS,
    SESSION_COLS,
    changed_keys,
    check_id,
    check_text,
    dump_json,
    dump_opt,
    identity_of,
    load_json,
    load_metrics,
    load_opt,
    patient_from_row,
    rep_from_row,
    rep_params,
    session_from_row,
)

log = logging.getLogger(__name__)


class Database(Connection, FamilyCodeRows):
    """An open MirrorPlay database; create with `open_database` (plumbing in game/storage/base.py,
    family codes in game/storage/family.py)."""

    waiting: str | None = None
    """Plain words while saves wait for a clinic server (StationDatabase, game/storage/outbox.py);
    always None for a database this computer writes itself."""

    # -- app-wide key/value --------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Return the app-wide value stored under `key` (e.g. the therapist PIN hash)."""
        with self._read(f"read setting {key!r}") as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store the app-wide `value` under `key`, replacing any previous value."""
        check_text(key, "key")
        if not isinstance(value, str):
            raise ValueError(f"value must be a string, got {type(value).__name__}")
        with self._write(f"save setting {key!r}") as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- patients ------------------------------------------------------------------------

    def add_patient(self, patient: Patient) -> None:
        """Insert a new patient; StorageError if the id is taken."""
        p = patient
        settings = dump_json(p.settings, "patient.settings")
        with self._write(f"add patient {p.id!r}") as conn:
            conn.execute(
                f"INSERT INTO patients ({PATIENT_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
                (p.id, p.alias, p.affected_side, p.created_at, settings, int(p.guest)),
            )

    def get_patient(self, patient_id: str) -> Patient | None:
        """Return the patient with `patient_id`, or None."""
        with self._read(f"read patient {patient_id!r}") as conn:
            row = conn.execute(f"SELECT {PATIENT_COLS} FROM patients WHERE id = ?", (patient_id,)).fetchone()
        return None if row is None else patient_from_row(row)

    def list_patients(self, include_guests: bool = False) -> list[Patient]:
        """Return patients sorted by alias (case-insensitive); guests only if asked."""
        with self._read("list patients") as conn:
            rows = conn.execute(
                f"SELECT {PATIENT_COLS} FROM patients WHERE guest = 0 OR ? = 1 ORDER BY lower(alias), id",
                (int(include_guests),),
            ).fetchall()
        return _patients(rows)

    def update_patient_settings(
        self, patient_id: str, settings: Mapping[str, Any], *, who: str, reason: str, at: str
    ) -> list[ChangeLogEntry]:
        """Replace the patient's settings with `settings` and log every changed key.

        The new settings and one change-log row per added, changed or removed top-level
        key are written in one transaction. An ``alias`` or ``affected_side`` in `settings`
        also becomes the patient's name or side (the patient list, the headers and the next
        session read those), in the same transaction. Returns the entries written (none if
        nothing changed).
        """
        new_text = dump_json(settings, "settings")
        check_text(who, "who")
        check_text(reason, "reason")
        check_utc_timestamp(at, "at")
        new = load_json(new_text)
        with self._write(f"change settings of patient {patient_id!r}") as conn:
            row = conn.execute("SELECT settings FROM patients WHERE id = ?", (patient_id,)).fetchone()
            if row is None:
                raise StorageError(f"cannot change settings: no patient with id {patient_id!r}.")
            old = load_json(row[0])
            entries = [
                ChangeLogEntry(patient_id, at, key, old.get(key), new.get(key), reason, who)
                for key in changed_keys(old, new)
            ]
            alias, side = identity_of(new)
            conn.execute(
                "UPDATE patients SET settings = ?, alias = COALESCE(?, alias), "
                "affected_side = COALESCE(?, affected_side) WHERE id = ?",
                (new_text, alias, side, patient_id),
            )
            conn.executemany(
                "INSERT INTO change_log (patient_id, at, key, old, new, reason, who) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e.patient_id, e.at, e.key, dump_opt(e.old), dump_opt(e.new), reason, who) for e in entries],
            )
        return entries

    def change_log(self, patient_id: str) -> list[ChangeLogEntry]:
        """Return the patient's settings history, oldest first."""
        with self._read(f"read the change log of patient {patient_id!r}") as conn:
            rows = conn.execute(
                "SELECT patient_id, at, key, old, new, reason, who FROM change_log "
                "WHERE patient_id = ? ORDER BY at, id",
                (patient_id,),
            ).fetchall()
        return [ChangeLogEntry(r[0], r[1], r[2], load_opt(r[3]), load_opt(r[4]), r[5], r[6]) for r in rows]

    # -- calibration ---------------------------------------------------------------------

    def save_calibration(self, calibration: Calibration) -> None:
        """Store a calibration; older ones are kept as history."""
        c = calibration
        values = dump_json(c.values, "calibration.values")
        with self._write(f"save the calibration of patient {c.patient_id!r}") as conn:
            conn.execute(
                "INSERT INTO calibrations (patient_id, created_at, calib_values) VALUES (?, ?, ?)",
                (c.patient_id, c.created_at, values),
            )

    def latest_calibration(self, patient_id: str) -> Calibration | None:
        """Return the patient's most recent calibration, or None."""
        with self._read(f"read the calibration of patient {patient_id!r}") as conn:
            row = conn.execute(
                "SELECT patient_id, created_at, calib_values FROM calibrations "
                "WHERE patient_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                (patient_id,),
            ).fetchone()
        return None if row is None else Calibration(row[0], row[1], load_metrics(row[2]))

    # -- sessions ------------------------------------------------------------------------

    def start_session(
        self,
        patient_id: str,
        *,
        started_at: str,
        source: str,
        plan: Mapping[str, Any],
        pain_before: int | None = None,
    ) -> int:
        """Create a "running" session and return its id.

        `source` names the pose source (e.g. "camera", "video", "simulated"); `plan` is the
        session plan as JSON; `pain_before` is the 0-10 NRS answer before playing.
        """
        check_utc_timestamp(started_at, "started_at")
        check_text(source, "source")
        plan_text = dump_json(plan, "plan")
        check_pain(pain_before, "pain_before")
        with self._write(f"start a session for patient {patient_id!r}") as conn:
            session_id = int(
                conn.execute(
                    "INSERT INTO sessions (patient_id, started_at, status, source, plan, pain_before) "
                    "VALUES (?, ?, 'running', ?, ?, ?) RETURNING id",
                    (patient_id, started_at, source, plan_text, pain_before),
                ).fetchone()[0]
            )
            lifecycle.stamp_owner(conn, session_id, self.owner, started_at)
            return session_id

    def finish_session(
        self,
        session_id: int,
        *,
        status: str,
        ended_at: str,
        pain_after: int | None = None,
        active_s: float,
    ) -> None:
        """Close a running session with a final `status` ("completed", "ended_pain", "aborted").

        `active_s` is the time spent exercising in seconds; `pain_after` the 0-10 NRS answer.
        The owner may also finish its session after another instance recovered it as aborted
        (it was asleep longer than the heartbeat timeout): the owner knows best.
        """
        check_finish(status, ended_at, pain_after, active_s)
        with self._write(f"finish session {session_id}") as conn:
            # The same finish again (a save replayed after a lost answer) changes nothing.
            cur = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, pain_after = ?, active_s = ?, "
                "recovered_at = NULL WHERE id = ? AND (status = 'running' OR "
                "(recovered_at IS NOT NULL AND owner_id = ?) OR (status = ? AND ended_at = ?))",
                (status, ended_at, pain_after, float(active_s), session_id, self.owner.id, status, ended_at),
            )
            if cur.rowcount == 1:
                return
            row = conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise StorageError(f"cannot finish session {session_id}: no such session.")
        raise StorageError(f"cannot finish session {session_id}: it is already '{row[0]}'.")

    def recover_unfinished(
        self,
        ended_at: str,
        *,
        timeout_s: float = HEARTBEAT_TIMEOUT_S,
        alive: Callable[[int], bool] = pid_alive,
    ) -> list[int]:
        """Mark "aborted" the running sessions whose owner is gone, keeping their reps.

        `ended_at` is now (UTC). A session whose owner still beats (another window, a test
        beside a game) is left alone; see game/storage/owners.py for the rule and
        :func:`game.storage.lifecycle.abort_recovered` for the end time and active time kept.
        Call once at start-up. Returns the ids recovered.
        """
        check_utc_timestamp(ended_at, "ended_at")
        with self._write("recover unfinished sessions") as conn:
            ids = lifecycle.gone_sessions(conn, ended_at, self.owner, timeout_s, alive)
            for sid in ids:
                lifecycle.abort_recovered(conn, sid, ended_at)
        return ids

    def heartbeat(self, at: str, wait_s: float = 0.1) -> int:
        """Stamp this instance's running sessions as alive at `at`; return how many.

        Waits at most `wait_s` for another program's lock (a missed beat is retried later)."""
        check_utc_timestamp(at, "at")
        with self.busy_timeout(wait_s), self._write("refresh the session heartbeat") as conn:
            return lifecycle.beat(conn, self.owner, at)

    def sessions(self, patient_id: str) -> list[SessionRow]:
        """Return the patient's sessions, oldest first."""
        with self._read(f"read the sessions of patient {patient_id!r}") as conn:
            rows = conn.execute(
                f"SELECT {SESSION_COLS} FROM sessions WHERE patient_id = ? ORDER BY started_at, id",
                (patient_id,),
            ).fetchall()
        return [session_from_row(r) for r in rows]

    # -- reps and results ----------------------------------------------------------------

    def add_rep(
        self,
        session_id: int,
        rep: Rep,
        *,
        created_at: str,
        uid: str | None = None,
        active_s: float | None = None,
    ) -> int:
        """Save one rep and commit at once; return its id (0 when `uid` was already saved).

        Committing per rep means a killed game loses at most the rep in progress. `uid` makes
        saving the same rep twice harmless (a recovery file imported after the rep did reach
        the database); `active_s`, the session's active time so far, is kept with the rep so
        a session whose process dies keeps its active time up to its last rep.
        """
        check_id(session_id, "session_id")
        check_utc_timestamp(created_at, "created_at")
        metrics = dump_json(rep.metrics, "rep.metrics")
        if active_s is not None:
            check_non_negative(active_s, "active_s")
        with self._write(f"add a rep to session {session_id}") as conn:
            # A uid already saved conflicts and returns no row (0); the same SQL on both engines.
            row = conn.execute(
                "INSERT INTO reps (session_id, created_at, level_id, set_index, rep_index, "
                "t_cue_s, t_end_s, success, compensated, metrics, uid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (session_id, created_at, *rep_params(rep), metrics, uid),
            ).fetchone()
            if active_s is not None:
                lifecycle.raise_active(conn, session_id, active_s)
            return 0 if row is None else int(row[0])

    def reps(self, session_id: int) -> list[RepRow]:
        """Return the session's reps in the order they were saved."""
        with self._read(f"read the reps of session {session_id}") as conn:
            rows = conn.execute(
                f"SELECT {REP_COLS} FROM reps WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        return [rep_from_row(r) for r in rows]

    def add_level_result(self, result: LevelResult, *, uid: str | None = None) -> None:
        """Save the outcome of one level of a session (once per `uid`, when given)."""
        r = result
        metrics = dump_json(r.metrics, "result.metrics")
        reliable = dump_json(r.reliable, "result.reliable")
        with self._write(f"save the result of level {r.level_id!r}") as conn:
            conn.execute(
                "INSERT INTO level_results (session_id, level_id, stars, metrics, reliable, uid) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (r.session_id, r.level_id, r.stars, metrics, reliable, uid),
            )

    def level_results(self, session_id: int) -> list[LevelResult]:
        """Return the session's level results in the order they were saved."""
        with self._read(f"read the results of session {session_id}") as conn:
            rows = conn.execute(
                "SELECT session_id, level_id, stars, metrics, reliable FROM level_results "
                "WHERE session_id = ? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [LevelResult(r[0], r[1], r[2], load_metrics(r[3]), load_json(r[4])) for r in rows]

    # -- landmark recordings -------------------------------------------------------------

    def add_frames(
        self,
        session_id: int,
        start_idx: int,
        t_s: np.ndarray,
        image: np.ndarray,
        world: np.ndarray,
    ) -> None:
        """Append a batch of recorded frames in one transaction (see frames.encode_frames).

        `t_s` is ``(N,)`` seconds since session start; `image` and `world` are
        ``(N, 33, 4)`` landmarks stored as float32. Batch ~30 frames (1 s at 30 Hz) per call.
        """
        check_id(session_id, "session_id")
        rows = encode_frames(session_id, start_idx, t_s, image, world)
        if not rows:
            return
        with self._write(f"save {len(rows)} frames of session {session_id}") as conn:
            conn.executemany(
                "INSERT INTO frames (session, idx, t, image, world) VALUES (?, ?, ?, ?, ?)", rows
            )

    def frames(self, session_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the session's recording as ``(t_s, image, world)``.

        Shapes ``(N,) float64`` seconds and ``(N, 33, 4) float32``, ordered by frame index.
        """
        with self._read(f"read the frames of session {session_id}") as conn:
            rows = conn.execute(
                "SELECT t, image, world FROM frames WHERE session = ? ORDER BY idx", (session_id,)
            ).fetchall()
        try:
            return decode_frames(rows)
        except ValueError as err:
            raise StorageError(f"{self.name} is damaged: session {session_id}: {err}.") from err


def check_finish(status: str, ended_at: str, pain_after: int | None, active_s: float) -> None:
    """ValueError naming the argument unless the values can finish a session."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"status must be one of {FINAL_STATUSES}, got {status!r}")
    check_utc_timestamp(ended_at, "ended_at")
    check_pain(pain_after, "pain_after")
    check_non_negative(active_s, "active_s")


def _patients(rows: list[Any]) -> list[Patient]:
    """Patients of `rows`; a row that cannot be a Patient (damaged) is logged and left out, so
    one bad row never breaks every patient list."""
    out = []
    for row in rows:
        try:
            out.append(patient_from_row(row))
        except (ValueError, TypeError, IndexError):
            log.warning("patient row %.40r is damaged and was left out of the list", row[0] if row else row)
    return out
