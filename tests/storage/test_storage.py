"""Tests for game/storage: migrations, durability across crashes, errors, round trips.

Raw sqlite3 appears here only to inspect files or to inject faults; the game goes
through game.storage.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest

from game.storage import (
    LATEST_VERSION,
    Calibration,
    ChangeLogEntry,
    Database,
    LevelResult,
    Patient,
    Rep,
    StorageError,
    default_db_path,
    open_database,
)
from game.storage.schema import APPLICATION_ID

REPO_ROOT = Path(__file__).resolve().parents[2]
FOREIGN_KEY = "(?i)foreign key"
"""SQLite says FOREIGN KEY constraint failed; PostgreSQL: violates foreign key constraint."""
UNIQUE = "(?i)unique"
T0 = "2025-03-01T09:00:00Z"
TABLES = {
    "meta",
    "patients",
    "change_log",
    "calibrations",
    "sessions",
    "reps",
    "level_results",
    "frames",
    "family_codes",
}


def _patient(pid: str = "p1", alias: str = "Ann", *, guest: bool = False) -> Patient:
    return Patient(pid, alias, "left", T0, {"mirror": True, "reach_m": 0.3}, guest)


def _rep(i: int) -> Rep:
    return Rep("reach_1", 0, i, 2.0 * i, 2.0 * i + 1.5, i % 2 == 0, i == 1, {"peak_v_mps": 0.1 * i})


def _at(second: int) -> str:
    return f"2025-03-01T09:{second // 60:02d}:{second % 60:02d}Z"


@pytest.fixture
def db(opener: Callable[[], Database]) -> Iterator[Database]:
    """A fresh database on each engine (SQLite file, PostgreSQL server) with one patient."""
    database = opener()
    database.add_patient(_patient())
    yield database
    database.close()


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# -- migrations and connection settings -----------------------------------------------------


def test_migrating_an_empty_file_creates_everything(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with open_database(path) as database:
        pragmas = database.pragmas()
    assert pragmas["user_version"] == LATEST_VERSION >= 1
    assert pragmas["application_id"] == APPLICATION_ID
    assert pragmas["foreign_keys"] == 1
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 1  # NORMAL
    conn = _raw(path)
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    conn.close()
    assert {name for name, _ in rows} == TABLES
    assert "WITHOUT ROWID" in dict(rows)["frames"].upper()


def test_open_creates_parent_folders_only_when_asked_and_reopen_does_not_remigrate(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "mp.db"
    with pytest.raises(StorageError, match="does not exist. Create it first"):
        open_database(path)  # a path the user typed: folders are never created silently
    assert not (tmp_path / "a").exists()
    with open_database(path, create_folder=True) as database:
        database.set_meta("pin_hash", "x")
    with open_database(path) as database:
        assert database.get_meta("pin_hash") == "x"
        assert database.pragmas()["user_version"] == LATEST_VERSION


def test_future_schema_version_is_refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_database(path).close()
    conn = _raw(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer MirrorPlay") as info:
        open_database(path)
    assert str(path) in str(info.value)
    conn = _raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1
    conn.close()


def test_non_database_file_is_refused_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"Dear diary, today I reached further.\n" * 200
    path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        open_database(path)
    message = str(info.value)
    assert message == f"{path} is not a MirrorPlay database (it is not a SQLite file)."
    assert "\n" not in message
    assert path.read_bytes() == content  # nothing lost


def test_other_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = _raw(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(StorageError, match="another program"):
        open_database(path)
    conn = _raw(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert names == {"invoices"}


@pytest.mark.parametrize("damage_from", [100, 4096])
def test_corrupt_database_raises_storage_error(tmp_path: Path, damage_from: int) -> None:
    path = tmp_path / "mp.db"
    with open_database(path) as database:
        database.add_patient(_patient())
    data = bytearray(path.read_bytes())
    data[damage_from:] = b"\xa5" * (len(data) - damage_from)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="is damaged"):
        with open_database(path) as database:
            database.list_patients()


def test_unusable_paths_raise_storage_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StorageError, match="is a folder"):
        open_database(folder)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the folder"):
        open_database(blocker / "sub" / "mp.db", create_folder=True)


# -- sessions, reps, durability --------------------------------------------------------------


def test_session_survives_close_and_reopen(opener: Callable[[], Database]) -> None:
    plan = {"levels": ["reach_1", "trace_2"], "rest_s": 30}
    with opener() as database:
        database.add_patient(_patient())
        sid = database.start_session("p1", started_at=T0, source="simulated", plan=plan, pain_before=2)
        rep_ids = [database.add_rep(sid, _rep(i), created_at=_at(10 + i)) for i in range(3)]
        result = LevelResult(sid, "reach_1", 2, {"smoothness": -4.5}, {"smoothness": True})
        database.add_level_result(result)
        database.finish_session(sid, status="completed", ended_at=_at(600), pain_after=3, active_s=412.5)
    with opener() as database:
        (row,) = database.sessions("p1")
        reps = database.reps(sid)
        assert database.level_results(sid) == [result]
    assert (row.id, row.status, row.ended_at, row.plan) == (sid, "completed", _at(600), plan)
    assert (row.pain_before, row.pain_after, row.active_s) == (2, 3, 412.5)
    assert [r.id for r in reps] == rep_ids
    assert [Rep(*(getattr(r, f) for f in Rep.__dataclass_fields__)) for r in reps] == [
        _rep(i) for i in range(3)
    ]
    assert [r.created_at for r in reps] == [_at(10), _at(11), _at(12)]


_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from game.storage import Rep, open_database
    db = open_database(sys.argv[1], local_dir=Path(sys.argv[3]))
    for i in range(3):
        rep = Rep("reach_1", 0, i, 2.0 * i, 2.0 * i + 1.5, True, False, {"peak_v_mps": 0.1})
        db.add_rep(int(sys.argv[2]), rep, created_at="2025-03-01T09:00:1%dZ" % i)
    os._exit(1)  # killed mid-session: no finish_session, no close
    """
)


def test_crash_keeps_completed_reps_and_recovery_aborts_session(
    opener: Callable[[], Database], db_target: str, tmp_path: Path
) -> None:
    with opener() as database:
        database.add_patient(_patient())
        sid = database.start_session("p1", started_at=T0, source="camera", plan={})
        done = database.start_session("p1", started_at=_at(1), source="camera", plan={})
        database.finish_session(done, status="completed", ended_at=_at(2), active_s=1.0)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, db_target, str(sid), str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 1, child.stderr
    with opener() as database:
        assert [r.rep_index for r in database.reps(sid)] == [0, 1, 2]
        assert database.sessions("p1")[0].status == "running"
        assert database.recover_unfinished(_at(900)) == [sid]
        assert database.recover_unfinished(_at(901)) == []
        by_id = {s.id: s for s in database.sessions("p1")}
        assert len(database.reps(sid)) == 3
    # Its end is its last rep's time, not the time of the start that recovered it.
    assert (by_id[sid].status, by_id[sid].ended_at) == ("aborted", "2025-03-01T09:00:12Z")
    assert by_id[done].status == "completed"


def test_finish_session_rules(db: Database) -> None:
    sid = db.start_session("p1", started_at=T0, source="camera", plan={})
    with pytest.raises(ValueError, match="status"):
        db.finish_session(sid, status="running", ended_at=_at(5), active_s=1.0)
    with pytest.raises(ValueError, match="pain_after"):
        db.finish_session(sid, status="ended_pain", ended_at=_at(5), pain_after=11, active_s=1.0)
    db.finish_session(sid, status="ended_pain", ended_at=_at(5), pain_after=7, active_s=1.0)
    with pytest.raises(StorageError, match="already 'ended_pain'"):
        db.finish_session(sid, status="completed", ended_at=_at(6), active_s=1.0)
    with pytest.raises(StorageError, match="no such session"):
        db.finish_session(sid + 100, status="completed", ended_at=_at(6), active_s=1.0)


def test_foreign_key_violations_raise(db: Database) -> None:
    with pytest.raises(StorageError, match=FOREIGN_KEY) as info:
        db.add_rep(999, _rep(0), created_at=T0)
    assert isinstance(info.value.__cause__, sqlite3.IntegrityError | psycopg.IntegrityError)
    with pytest.raises(StorageError, match=FOREIGN_KEY):
        db.start_session("nobody", started_at=T0, source="camera", plan={})
    with pytest.raises(StorageError, match=FOREIGN_KEY):
        db.save_calibration(Calibration("nobody", T0, {"arm_m": 0.6}))
    frames = np.zeros((1, 33, 4))
    with pytest.raises(StorageError, match=FOREIGN_KEY):
        db.add_frames(999, 0, np.zeros(1), frames, frames)
    assert db.sessions("nobody") == [] and db.reps(999) == []


def test_timestamps_must_be_utc(db: Database) -> None:
    with pytest.raises(ValueError, match="started_at must be in UTC"):
        db.start_session("p1", started_at="2025-03-01T10:00:00+01:00", source="x", plan={})
    with pytest.raises(ValueError, match="created_at is not an ISO-8601"):
        db.add_rep(1, _rep(0), created_at="yesterday")


# -- patients, settings, calibration, meta ----------------------------------------------------


def test_patients_guests_and_duplicates(db: Database) -> None:
    db.add_patient(_patient("p2", "bert"))
    db.add_patient(_patient("g1", "Guest", guest=True))
    assert [p.id for p in db.list_patients()] == ["p1", "p2"]  # Ann, bert: case-insensitive
    assert [p.id for p in db.list_patients(include_guests=True)] == ["p1", "p2", "g1"]
    assert db.get_patient("g1") == _patient("g1", "Guest", guest=True)
    assert db.get_patient("zz") is None
    with pytest.raises(StorageError, match=UNIQUE):
        db.add_patient(_patient("p1", "Again"))
    with pytest.raises(ValueError, match="affected_side"):
        Patient("p3", "C", "both", T0, {})  # type: ignore[arg-type]


def test_settings_change_writes_settings_and_log_together(db: Database) -> None:
    new = {"mirror": True, "reach_m": 0.35, "max_reps": 10}  # one changed, one added
    entries = db.update_patient_settings("p1", new, who="therapist", reason="progress", at=_at(9))
    expected = [
        ChangeLogEntry("p1", _at(9), "max_reps", None, 10, "progress", "therapist"),
        ChangeLogEntry("p1", _at(9), "reach_m", 0.3, 0.35, "progress", "therapist"),
    ]
    assert entries == expected
    assert db.change_log("p1") == expected
    assert db.get_patient("p1").settings == new  # type: ignore[union-attr]
    removed = db.update_patient_settings("p1", {"mirror": True}, who="t", reason="r", at=_at(10))
    assert [(e.key, e.old, e.new) for e in removed] == [
        ("max_reps", 10, None),
        ("reach_m", 0.35, None),
    ]
    assert db.update_patient_settings("p1", {"mirror": True}, who="t", reason="r", at=_at(11)) == []
    with pytest.raises(StorageError, match="no patient"):
        db.update_patient_settings("zz", {}, who="t", reason="r", at=_at(12))


def test_settings_change_is_atomic_when_logging_fails(tmp_path: Path) -> None:
    path = tmp_path / "mp.db"
    with open_database(path) as database:
        database.add_patient(_patient())
    conn = _raw(path)  # fault injection: the log insert for one key fails mid-transaction
    conn.execute(
        "CREATE TRIGGER fail BEFORE INSERT ON change_log WHEN NEW.key = 'zz' "
        "BEGIN SELECT RAISE(ABORT, 'injected'); END"
    )
    conn.close()
    with open_database(path) as database:
        new = {"mirror": False, "reach_m": 0.5, "zz": 1}
        with pytest.raises(StorageError, match="injected"):
            database.update_patient_settings("p1", new, who="t", reason="r", at=_at(9))
        assert database.get_patient("p1") == _patient()
        assert database.change_log("p1") == []


def test_latest_calibration_and_meta(db: Database) -> None:
    assert db.latest_calibration("p1") is None
    db.save_calibration(Calibration("p1", _at(1), {"arm_m": 0.60}))
    db.save_calibration(Calibration("p1", _at(3), {"arm_m": 0.62}))
    db.save_calibration(Calibration("p1", _at(2), {"arm_m": 0.61}))
    assert db.latest_calibration("p1") == Calibration("p1", _at(3), {"arm_m": 0.62})
    assert db.get_meta("pin_hash") is None
    db.set_meta("pin_hash", "a")
    db.set_meta("pin_hash", "b")
    assert db.get_meta("pin_hash") == "b"


# -- landmark recordings ----------------------------------------------------------------------


def test_frames_round_trip_bit_exact(db: Database) -> None:
    rng = np.random.default_rng(7)
    sid = db.start_session("p1", started_at=T0, source="camera", plan={})
    n = 70
    t_s = np.arange(n) / 30.0
    image = rng.standard_normal((n, 33, 4)).astype(np.float32)
    world = rng.standard_normal((n, 33, 4)).astype(np.float32)
    image[5] = np.nan  # missing pose
    world[6, 0, :] = [-0.0, np.inf, np.float32(1e-45), np.finfo(np.float32).max]
    db.add_frames(sid, 30, t_s[30:], image[30:], world[30:])  # batches may arrive out of order
    db.add_frames(sid, 0, t_s[:30], image[:30], world[:30])
    got_t, got_image, got_world = db.frames(sid)
    np.testing.assert_array_equal(got_t, t_s)
    assert got_image.dtype == got_world.dtype == np.float32
    np.testing.assert_array_equal(got_image.view(np.uint32), image.view(np.uint32))
    np.testing.assert_array_equal(got_world.view(np.uint32), world.view(np.uint32))
    got_image[0, 0, 0] = 1.0  # callers get writable copies


def test_frames_are_stored_without_overflow_pages(tmp_path: Path) -> None:
    path = tmp_path / "mp.db"
    n = 600
    with open_database(path) as database:
        database.add_patient(_patient())
        sid = database.start_session("p1", started_at=T0, source="camera", plan={})
        empty_size = path.stat().st_size
        frames = np.random.default_rng(3).random((n, 33, 4), dtype=np.float32)
        for start in range(0, n, 30):
            s = slice(start, start + 30)
            database.add_frames(sid, start, np.arange(start, start + 30) / 30, frames[s], frames[s])
        assert database.pragmas()["page_size"] == 8192
    bytes_per_frame = (path.stat().st_size - empty_size) / n
    # Payload is 2 x 528 B; a 4 KiB overflow page per row would give > 4000 B.
    assert 2 * 528 < bytes_per_frame < 1.5 * 2 * 528


def test_frames_batch_is_all_or_nothing_and_validated(db: Database) -> None:
    sid = db.start_session("p1", started_at=T0, source="camera", plan={})
    ones = np.ones((4, 33, 4))
    db.add_frames(sid, 0, np.arange(4.0), ones, ones)
    with pytest.raises(StorageError, match=UNIQUE):
        db.add_frames(sid, 2, np.arange(4.0), 2 * ones, 2 * ones)  # overlaps idx 2, 3
    t_s, image, _ = db.frames(sid)
    assert t_s.shape == (4,) and np.all(image == 1.0)
    with pytest.raises(ValueError, match=r"image must have shape \(4, 33, 4\)"):
        db.add_frames(sid, 10, np.arange(4.0), np.ones((4, 33, 3)), ones)
    with pytest.raises(ValueError, match="t_s must be finite"):
        db.add_frames(sid, 10, np.array([0.0, np.nan, 1.0, 2.0]), ones, ones)
    empty_t, empty_image, empty_world = db.frames(sid + 1)
    assert empty_t.shape == (0,) and empty_image.shape == empty_world.shape == (0, 33, 4)


# -- default paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"MIRRORPLAY_HOME": "/data/mp"}, "linux", "/data/mp/mirrorplay.db"),
        ({"XDG_DATA_HOME": "/xdg"}, "linux", "/xdg/MirrorPlay/mirrorplay.db"),
        ({"XDG_DATA_HOME": "rel"}, "linux", "/home/u/.local/share/MirrorPlay/mirrorplay.db"),
        ({}, "linux", "/home/u/.local/share/MirrorPlay/mirrorplay.db"),
        ({}, "darwin", "/home/u/Library/Application Support/MirrorPlay/mirrorplay.db"),
        ({"APPDATA": "/appdata"}, "win32", "/appdata/MirrorPlay/mirrorplay.db"),
    ],
)
def test_default_db_path(environ: dict[str, str], platform: str, expected: str) -> None:
    home = Path("/home/u")
    path = default_db_path(demo=False, environ=environ, platform=platform, home=home)
    assert path == Path(expected)
    demo = default_db_path(demo=True, environ=environ, platform=platform, home=home)
    assert demo == Path(expected).with_name("demo.db") != path


def test_family_codes_on_each_engine(opener: Callable[[], Database]) -> None:
    """A code opens one patient, is replaced in place, refused for a second patient, removed."""
    with opener() as database:
        database.add_patient(_patient())
        database.add_patient(_patient("p2", "Bo"))
        database.set_family_code("p1", "digest-a", at=_at(1))
        database.set_family_code("p1", "digest-b", at=_at(2))  # a new code replaces the old one
        assert database.family_code_patient("digest-a") is None
        assert database.family_code_patient("digest-b") == "p1"
        assert database.family_code_set_at("p1") == _at(2)
        with pytest.raises(StorageError, match="already used"):
            database.set_family_code("p2", "digest-b", at=_at(3))
        database.clear_family_code("p1")
        assert database.family_code_patient("digest-b") is None and database.family_code_set_at("p1") is None
