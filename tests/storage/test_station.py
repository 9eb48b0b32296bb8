"""Stations on a clinic's PostgreSQL server: the real game keeps playing while the server is
stopped and restarted, and every rep reaches the server exactly once.

The oracle is the same game on a SQLite file: the headless demo is deterministic for a seed
(game time, fixed step), so both databases must hold the very same reps.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import psycopg

from game.storage import Patient, Rep, open_database
from game.storage.repwriter import Save
from tests.pgcluster import Cluster

REPO = Path(__file__).resolve().parents[2]
GAME_S = "25"
SEED = "3"
REP_KEY = "level_id, set_index, rep_index, success, round(t_end_s::numeric, 3)"


def _game(db: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "MIRRORPLAY_HOME": str(home), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    env.pop("MIRRORPLAY_DB", None)
    cmd = [sys.executable, "main.py", "--headless", "--demo", "--seconds", GAME_S, "--seed", SEED, "--db", db]
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _server_reps(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT {REP_KEY}, created_at FROM reps ORDER BY id").fetchall()


def _wait_for_reps(url: str, n: int, game: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and game.poll() is None:
        try:
            if len(_server_reps(url)) >= n:
                return
        except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
            pass  # the game has not created its tables yet
        time.sleep(0.1)
    raise AssertionError(f"the game wrote fewer than {n} reps to the server")


def test_the_server_stops_and_restarts_during_play_and_no_rep_is_lost_or_doubled(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = pg_cluster.create_database("station_outage")
    reference = _game(str(tmp_path / "reference.db"), tmp_path / "home-ref")
    station = _game(url, tmp_path / "home-station")
    _wait_for_reps(url, 1, station)
    before = len(_server_reps(url))
    down_at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    pg_cluster.stop()
    time.sleep(3.0)
    up_at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 1))
    pg_cluster.boot()
    for game in (station, reference):
        out, err = game.communicate(timeout=180)
        assert game.returncode == 0, err[-2000:]
    with open_database(tmp_path / "reference.db", read_only=True) as ref:
        (session,) = ref.sessions("demo")
        expected = [
            (r.level_id, r.set_index, r.rep_index, r.success, round(r.t_end_s, 3))
            for r in ref.reps(session.id)
        ]
    got = _server_reps(url)
    assert [(a, b, c, bool(d), float(e)) for a, b, c, d, e, _ in got] == expected  # none lost, none twice
    assert len(got) > before
    assert any(down_at <= created < up_at for *_, created in got), (
        "no rep was played while the server was down"
    )
    assert not list((tmp_path / "home-station").glob("*.recovery-*"))
    with psycopg.connect(url) as conn:
        ((station_id, status),) = conn.execute("SELECT station_id, status FROM sessions").fetchall()
    assert station_id == (tmp_path / "home-station" / "station-id").read_text().strip()
    assert status == ref_status(tmp_path / "reference.db")


def ref_status(path: Path) -> str:
    with open_database(path, read_only=True) as ref:
        return ref.sessions("demo")[0].status


_KILLED_CHILD = """
import os, sys
from pathlib import Path
from game.storage import Rep, open_database
db = open_database(sys.argv[1], local_dir=Path(sys.argv[2]))
print("ready", flush=True)
sys.stdin.readline()  # the server is stopped now
for i in range(5):
    db.add_rep(int(sys.argv[3]), Rep("reach_1", 0, i, 2.0 * i, 2.0 * i + 1.5, True, False, {"x": 0.5}),
               created_at="2026-01-01T09:00:1%dZ" % i)
print(db.pending(), db.waiting, flush=True)
os._exit(1)  # killed: no close, no flush
"""


def test_an_outbox_left_by_a_killed_station_is_sent_once_at_the_next_start(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = pg_cluster.create_database("station_killed")
    with open_database(url, local_dir=tmp_path) as db:
        db.add_patient(Patient("p1", "Ann", "left", "2026-01-01T09:00:00Z", {}))
        sid = db.start_session("p1", started_at="2026-01-01T09:00:00Z", source="simulated", plan={})
    args = [sys.executable, "-c", _KILLED_CHILD, url, str(tmp_path), str(sid)]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    child = subprocess.Popen(args, cwd=REPO, text=True, **pipes)  # type: ignore[call-overload]
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    pg_cluster.stop()
    try:
        out, err = child.communicate("go\n", timeout=60)
    finally:
        pg_cluster.boot()
    assert child.returncode == 1, err
    assert out.startswith("5 Saving is waiting: the clinic's records server cannot be reached"), out
    with open_database(url, local_dir=tmp_path) as again:  # the next start sends the outbox
        assert again.pending() == 0
        assert [r.rep_index for r in again.reps(sid)] == [0, 1, 2, 3, 4]
    with open_database(url, local_dir=tmp_path) as third:  # and never again
        assert [r.rep_index for r in third.reps(sid)] == [0, 1, 2, 3, 4]


def test_a_save_made_while_the_uploader_wakes_does_not_hang_the_game(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    """The game thread saves through a RepWriter, which holds the connection (busy_timeout) while
    the station commits to its outbox and sends. An uploader that wakes in between (a save is
    waiting) must not take a lock the game thread then waits for: that hung a benchmark station
    at its session's end."""
    url = pg_cluster.create_database("station_wake")
    db = open_database(url, local_dir=tmp_path)  # closed only if nothing hangs (close sends too)
    db.add_patient(Patient("p1", "Ann", "left", "2026-01-01T09:00:00Z", {}))
    sid = db.start_session("p1", started_at="2026-01-01T09:00:00Z", source="simulated", plan={})
    first = Rep("reach_1", 0, 0, 0.0, 1.5, True, False, {"x": 0.5})
    waiting = Save("rep", "waiting-rep", {"session_id": sid, "created_at": "2026-01-01T09:00:10Z",
                                          "active_s": 1.0, "rep": asdict(first)})  # fmt: skip

    def game_thread() -> None:
        with db.busy_timeout(0.5):  # as RepWriter._drain holds it
            db.outbox().put(waiting)  # committed to the outbox, not sent yet
            db._wake.set()  # the uploader wakes and finds it
            time.sleep(0.5)
            rep = Rep("reach_1", 0, 1, 2.0, 3.5, True, False, {"x": 0.5})
            db.add_rep(sid, rep, created_at="2026-01-01T09:00:11Z", uid="game-rep")

    game = threading.Thread(target=game_thread, daemon=True)
    game.start()
    game.join(20.0)
    assert not game.is_alive(), "the game thread hangs on the uploader"
    with db:
        assert db.pending() == 0
        assert [r.rep_index for r in db.reps(sid)] == [0, 1]  # in order, each once
