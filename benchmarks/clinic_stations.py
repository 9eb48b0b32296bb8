"""Many stations on one PostgreSQL server, and the server stopped during play (issue 13).

Starts a throwaway PostgreSQL cluster (fsync on, as a clinic would run it: tests/pgcluster.py),
then `stations` real games (``main.py --headless --demo``, each its own process and station
folder, benchmarks/clinic_station.py) writing to it for `minutes`. After `outage_at_s` seconds
(and once every station has saved a rep: starting a session needs the server) the server is
stopped (``pg_ctl stop -m fast``) for `outage_s` seconds and started again. When the
games end, each station is opened once more (which sends anything its outbox still holds), then
the server's reps are compared with the rep ids every game saved:

- ``reps_lost``: ids a game saved that the server does not have;
- ``reps_duplicated``: server rows beyond one per (session, level, set, rep);
- ``add_rep_p95_ms``: what a save costs the game loop (outbox commit, then the send);
- ``upload_p95_ms``: from the outbox to the server's commit, saves queued while the server was up
  (and, separately, the longest wait of a save queued during the outage).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from game.storage import open_database  # noqa: E402
from tests.pgcluster import Cluster  # noqa: E402

TARGET_P95_MS = 20.0
START_GAP_S = 0.5
"""Stations start this far apart (as a clinic's stations are switched on, not in one instant)."""


def _start(i: int, url: str, root: Path, game_s: float) -> tuple[subprocess.Popen[bytes], Path, Path]:
    home = root / f"station{i:02d}"
    home.mkdir()
    report = root / f"station{i:02d}.json"
    env = {**os.environ, "MIRRORPLAY_HOME": str(home), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    cmd = [sys.executable, str(REPO / "benchmarks" / "clinic_station.py"), str(report), "--",
           "--headless", "--demo", "--seconds", str(game_s), "--seed", str(i), "--db", url]  # fmt: skip
    log = (root / f"station{i:02d}.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, report, home


def _playing(url: str) -> int:
    """How many sessions have at least one rep on the server."""
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(DISTINCT session_id) FROM reps").fetchone()[0])


def _outage(
    cluster: Cluster, url: str, stations: int, started: float, at_s: float, outage_s: float
) -> tuple[float, float]:
    """Stop the server once every station is mid-session (a rep saved) and `at_s` has passed."""
    while time.monotonic() - started < at_s or _playing(url) < stations:
        time.sleep(1.0)
    down = time.time()
    cluster.stop()
    time.sleep(outage_s)
    cluster.boot()
    return down, time.time()


def _server_counts(url: str) -> tuple[set[str], int]:
    with psycopg.connect(url) as conn:
        uids = {r[0] for r in conn.execute("SELECT uid FROM reps").fetchall()}
        (dups,) = conn.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM reps "
            "GROUP BY session_id, level_id, set_index, rep_index) AS keys"
        ).fetchone()
    return uids, int(dups)


def run_stations(stations: int, minutes: float, outage_s: float, outage_at_s: float) -> dict[str, Any]:
    """Run the benchmark; return the JSON-able result."""
    game_s = minutes * 60.0
    with tempfile.TemporaryDirectory(prefix="mirrorplay-stations-") as tmp:
        root = Path(tmp)
        cluster = Cluster.start(fast=False)  # its own folder, which the postgres user can enter
        try:
            url = cluster.create_database("clinic")
            open_database(url, local_dir=root).close()  # tables made once, before the stations
            started = time.monotonic()
            games = []
            for i in range(stations):
                games.append(_start(i, url, root, game_s))
                time.sleep(START_GAP_S)
            down, up = (0.0, 0.0)
            if outage_s > 0:
                down, up = _outage(cluster, url, stations, started, outage_at_s, outage_s)
            codes = [proc.wait(timeout=game_s * 4 + 600) for proc, _, _ in games]
            wall_s = time.monotonic() - started
            for i, code in enumerate(codes):
                if code != 0:  # say why on stderr (the JSON stays the last line of stdout)
                    tail = (root / f"station{i:02d}.log").read_text(errors="replace")[-600:]
                    print(f"station {i} exited {code}: {tail}", file=sys.stderr)
            for _, _, home in games:  # each station once more: sends what its outbox still holds
                open_database(url, local_dir=home).close()
            reports = [json.loads(report.read_text()) if report.exists() else {} for _, report, _ in games]
            server_uids, duplicated = _server_counts(url)
        finally:
            cluster.close()
    return _summary(reports, codes, server_uids, duplicated, (down, up), wall_s, stations, minutes, outage_s)


def _summary(
    reports: list[dict[str, Any]],
    codes: list[int],
    server_uids: set[str],
    duplicated: int,
    outage: tuple[float, float],
    wall_s: float,
    stations: int,
    minutes: float,
    outage_s: float,
) -> dict[str, Any]:
    saved = [u for r in reports for u in r.get("uids", [])]
    add_ms = [m for r in reports for m in r.get("add_rep_ms", [])]
    down, up = outage
    uploads = [tuple(u) for r in reports for u in r.get("uploads", [])]
    normal = [ms for at, ms in uploads if not (down - 1.0 <= at <= up + 1.0)]
    during = [ms for at, ms in uploads if down - 1.0 <= at <= up + 1.0]
    p95 = float(np.percentile(normal, 95)) if normal else float("nan")
    return {
        "benchmark": "clinic_stations", "stations": stations, "minutes": minutes, "wall_s": round(wall_s, 1),
        "exit_codes": sorted(set(codes)), "reports": sum(1 for r in reports if r),
        "reps_saved": len(saved), "reps_on_server": len(server_uids),
        "reps_lost": len(set(saved) - server_uids), "reps_duplicated": duplicated,
        "add_rep_p50_ms": _pct(add_ms, 50), "add_rep_p95_ms": _pct(add_ms, 95),
        "add_rep_max_ms": _pct(add_ms, 100),
        "upload_saves": len(normal), "upload_p50_ms": _pct(normal, 50), "upload_p95_ms": round(p95, 2),
        "outage_s": outage_s, "saves_queued_during_outage": len(during),
        "outage_longest_wait_s": round(max(during) / 1000.0, 1) if during else 0.0,
        "pending_before_close": sum(r.get("pending_before_close", 0) for r in reports),
        "target_p95_ms": TARGET_P95_MS, "meets_target": p95 <= TARGET_P95_MS,
        "load": os.getloadavg()[0],
    }  # fmt: skip


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else float("nan")
