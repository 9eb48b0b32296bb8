"""Issue 12 item 4: a rep is never lost to a busy or failing database (game/storage/repwriter.py).

The lock is held by another real process with ``BEGIN IMMEDIATE``, as another program would;
the process that must stop is a real child that exits without closing anything.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game import i18n
from game.levels import load_all
from game.leveltypes.events import RepOutcome
from game.session.plan import build_plan
from game.session.run import SessionRun
from game.storage import (
    LevelResult,
    Patient,
    Rep,
    RepWriter,
    StorageError,
    import_recovery_files,
    open_database,
)
from game.storage.repwriter import RETRY_S, read_recovery_file
from game.therapist.settings_schema import PatientSettings
from tests.faults.conftest import Lock

ROOT = Path(__file__).resolve().parents[2]
T0 = "2026-03-01T09:00:00Z"
BUSY = "Saving is waiting: another program is using the records"


def rep(i: int) -> Rep:
    return Rep(
        "reach-apples", 0, i, 2.0 * i, 2.0 * i + 1.5, True, False, {"sparc": -1.5, "unreliable": float("nan")}
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    with open_database(path) as db:
        db.add_patient(Patient("p1", "Ann", "left", T0, {}))
        db.start_session("p1", started_at=T0, source="simulated", plan={})
    return path


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_held_lock_keeps_the_rep_says_why_and_saves_it_later(db_path: Path) -> None:
    now = [0.0]
    lock = Lock(db_path)
    try:
        with open_database(db_path) as db:
            writer = RepWriter(db, clock=lambda: now[0])
            writer.save_rep(1, rep(0), created_at="2026-03-01T09:00:05Z", active_s=4.0)
            assert writer.pending == 1 and writer.waiting == BUSY
            _, saves = read_recovery_file(writer.path)  # already on disk: kill -9 now loses nothing
            assert [s.kind for s in saves] == ["rep"]
            lock.release()
            writer.tick()  # not due yet
            assert writer.pending == 1
            now[0] += RETRY_S
            writer.tick()
            assert writer.pending == 0 and writer.waiting is None and not writer.path.exists()
    finally:
        lock.release()
    assert rows(
        db_path, "SELECT rep_index, json_valid(metrics), json_extract(metrics, '$.unreliable') FROM reps"
    ) == [
        (0, 1, None)  # NaN stored as JSON null: SQLite's json functions accept it
    ]
    assert rows(db_path, "SELECT active_s FROM sessions") == [(4.0,)]


_DYING = textwrap.dedent(
    """
    import os, sys
    from game.storage import LevelResult, Rep, RepWriter, open_database
    db = open_database(sys.argv[1])
    writer = RepWriter(db)
    for i in range(3):
        writer.save_rep(1, Rep("reach-apples", 0, i, 2.0 * i, 2.0 * i + 1.5, True, False, {"sparc": -1.5}),
                        created_at="2026-03-01T09:00:1%dZ" % i, active_s=10.0 * (i + 1))
    writer.save_level_result(LevelResult(1, "reach-apples", 2, {"sparc": -1.5}, {"sparc": True}))
    writer.finish(1, status="completed", ended_at="2026-03-01T09:05:00Z", pain_after=2, active_s=33.0)
    print(writer.pending, writer.close(wait_s=0.1), flush=True)
    os._exit(1)  # the process must stop: no more chances
    """
)


def test_a_process_that_must_stop_leaves_its_saves_and_the_next_start_imports_them_once(
    db_path: Path,
) -> None:
    lock = Lock(db_path)
    try:
        child = subprocess.run([sys.executable, "-c", _DYING, str(db_path)], cwd=ROOT, capture_output=True,
                               text=True, timeout=60)  # fmt: skip
    finally:
        lock.release()
    pending, recovery = child.stdout.split()
    assert pending == "5" and Path(recovery).exists(), child.stderr
    header = json.loads(Path(recovery).read_text().splitlines()[0])
    assert header["format"] == "mirrorplay-recovery" and header["version"] == 1
    with open_database(db_path) as db:
        assert import_recovery_files(db) == 5
        assert import_recovery_files(db) == 0  # exactly once
        assert [r.rep_index for r in db.reps(1)] == [0, 1, 2]
        assert [(r.level_id, r.stars) for r in db.level_results(1)] == [("reach-apples", 2)]
        (session,) = db.sessions("p1")
    assert (session.status, session.pain_after, session.active_s) == ("completed", 2, 33.0)
    assert not Path(recovery).exists()


def test_a_save_already_in_the_database_is_not_imported_twice(db_path: Path) -> None:
    with open_database(db_path) as db:
        writer = RepWriter(db)
        writer._keep(sqlite3.OperationalError("database is locked"))  # journal what comes next
        writer._pending.append(writer_save := _rep_save(writer))
        writer._journal(writer_save)
        writer.flush()  # reaches the database; the file is removed ...
        assert writer.pending == 0
        writer.path.write_text(_header(db) + writer_save.line())  # ... but say a crash kept it
    with open_database(db_path) as db:
        import_recovery_files(db)
        assert len(db.reps(1)) == 1


def _rep_save(writer: RepWriter):  # type: ignore[no-untyped-def]
    from dataclasses import asdict

    from game.storage.repwriter import Save

    return Save("rep", "uid-1", {"session_id": 1, "created_at": T0, "active_s": None, "rep": asdict(rep(0))})


def _header(db) -> str:  # type: ignore[no-untyped-def]
    from game.storage.repwriter import _header as header

    return json.dumps({**json.loads(header(db)), "pid": 999_999_999}) + "\n"


class FullDisk:
    """A database stand-in whose writes fail with SQLite's disk-full error `fails` times."""

    def __init__(self, db, fails: int) -> None:  # type: ignore[no-untyped-def]
        self.db, self.fails = db, fails
        self.path, self.owner = db.path, db.owner

    def busy_timeout(self, seconds: float):  # type: ignore[no-untyped-def]
        return self.db.busy_timeout(seconds)

    def _maybe_fail(self) -> None:
        if self.fails:
            self.fails -= 1
            raise StorageError("cannot save: the disk is full") from sqlite3.OperationalError(
                "database or disk is full"
            )

    def add_rep(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._maybe_fail()
        return self.db.add_rep(*args, **kwargs)

    def add_level_result(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._maybe_fail()
        return self.db.add_level_result(*args, **kwargs)

    def finish_session(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._maybe_fail()
        return self.db.finish_session(*args, **kwargs)


def test_a_full_disk_keeps_saves_in_order_and_says_so(db_path: Path) -> None:
    now = [0.0]
    with open_database(db_path) as db:
        writer = RepWriter(FullDisk(db, fails=3), clock=lambda: now[0])  # type: ignore[arg-type]
        writer.save_rep(1, rep(0), created_at=T0)
        writer.save_rep(1, rep(1), created_at=T0)
        writer.finish(1, status="completed", ended_at="2026-03-01T09:05:00Z", active_s=60.0)
        assert writer.pending == 3 and writer.waiting is not None and "disk is full" in writer.waiting
        for _ in range(3):
            now[0] += RETRY_S
            writer.tick()
        assert writer.pending == 0 and writer.waiting is None
        assert [r.rep_index for r in db.reps(1)] == [0, 1]
        assert db.sessions("p1")[0].status == "completed"


def test_an_error_waiting_cannot_cure_is_raised_and_the_save_kept_on_disk(db_path: Path) -> None:
    with open_database(db_path) as db:
        writer = RepWriter(db)
        with pytest.raises(StorageError):
            writer.save_rep(42, rep(0), created_at=T0)  # no session 42: a foreign key error
        _, saves = read_recovery_file(writer.path)
        assert [s.body["session_id"] for s in saves] == [42] and writer.pending == 0
        writer.save_level_result(LevelResult(1, "reach-apples", 1, {}, {}))
        assert len(db.level_results(1)) == 1
        _, saves = read_recovery_file(writer.path)  # the refused rep is still kept
        assert [s.body["session_id"] for s in saves] == [42]


def test_a_session_being_played_saves_through_the_writer_and_says_why_it_waits(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = open_database(path)
    patient = Patient("p1", "Ann", "left", T0, {})
    db.add_patient(patient)
    plan = build_plan(load_all(), [], only="reach-apples")
    run = SessionRun(db=db, patient=patient, settings=PatientSettings.from_mapping({}), plan=plan,
                     source_name="test", frame_size=(1280, 720))  # fmt: skip
    lock = Lock(path)
    try:
        run.save_rep(RepOutcome("reach-apples", 0, 0, 1.0, 2.5, True, False))
        assert run.saving_status == BUSY  # the words the HUD shows
        with i18n.using("es"):  # in the patient's language
            assert run.saving_status == "Guardar espera: otro programa está usando los registros"
        assert rows(path, "SELECT count(*) FROM reps") == [(0,)]
        assert run.saver.pending == 1
    finally:
        lock.release()
    run.saver.flush()
    assert run.saving_status is None and rows(path, "SELECT count(*) FROM reps") == [(1,)]
    run.close(status="aborted")
    assert run.unsaved_path is None
    assert rows(path, "SELECT status FROM sessions") == [("aborted",)]
    # A station's database says when its clinic server is away (game/storage/outbox.py): the
    # same line on the screen, in the patient's language.
    db.waiting = "Saving is waiting: the clinic's records server cannot be reached"
    assert run.saving_status == db.waiting
    with i18n.using("de"):
        assert run.saving_status == "Speichern wartet: Der Datenserver der Praxis ist nicht erreichbar"
    db.close()
