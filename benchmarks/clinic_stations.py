"""Many stations on one PostgreSQL server, and the server stopped during play (issue 13).

Starts a throwaway PostgreSQL cluster (fsync on, as a clinic would run it: tests/pgcluster.py),
then `stations` real games (``main.py --headless --demo``, each its own process and station
folder, benchmarks/clinic_station.py) writing to it for `minutes`. Each game runs in real time,
as at a clinic, where every station is a computer of its own: a headless game would otherwise run
as fast as the CPU allows, and 20 of them would saturate this machine's 2 cores and make every
save wait for a CPU rather than for the disk or the server (a demo game costs about 0.07 CPU
seconds per game second, so 20 real-time games need about one core). To show the machine was
not saturated, the result has the 1-minute load average sampled through the run, the share of
the machine's CPU time that was busy (/proc/stat, every process, other users' work included),
the stations' and the server's CPU seconds, and how far any game fell behind the wall clock.

After `outage_at_s` seconds (and once every station has saved a rep: starting a session needs the
server) the server is stopped (``pg_ctl stop -m fast``) for `outage_s` seconds and started again. When the
games end, each station is opened once more (which sends anything its outbox still holds), then
the server's reps are compared with the rep ids every game saved:

- ``reps_lost``: ids a game saved that the server does not have;
- ``reps_duplicated``: server rows beyond one per (session, level, set, rep);
- ``add_rep_p95_ms``: what a save costs the game loop (outbox commit, then the send);
- ``upload_p95_ms``: from the outbox to the server's commit, saves queued while the server was up
  (and, separately, the longest wait of a save queued during the outage). This is the rep write
  the target (p95 <= 20 ms) is about.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
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
) -> tuple[float, float, float]:
    """Stop the server once every station is mid-session (a rep saved) and `at_s` has passed;
    return (stopped, started again: epoch s; the stopped server's CPU seconds)."""
    while time.monotonic() - started < at_s or _playing(url) < stations:
        time.sleep(1.0)
    cpu_s = _server_cpu_s(cluster)
    down = time.time()
    cluster.stop()
    time.sleep(outage_s)
    cluster.boot()
    return down, time.time(), cpu_s


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot (/proc/stat, every process)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _server_cpu_s(cluster: Cluster) -> float:
    """CPU seconds of the running server: its postmaster, its live backends, those it reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        root = int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(parts[1])
        if pid == root:  # utime, stime, cutime, cstime
            total += sum(int(v) for v in parts[11:15])
        elif ppid == root:
            total += sum(int(v) for v in parts[11:13])
    return total / tick


class _Load:
    """The 1-minute load average every `every_s` seconds while the stations run."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every_s,), daemon=True)
        self._ticks = _cpu_ticks()
        self._thread.start()

    def _run(self, every_s: float) -> None:
        while not self._stop.wait(every_s):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> float:
        """Stop sampling; return the machine's busy share of its CPU time since the start (0-1)."""
        self._stop.set()
        self._thread.join()
        busy, total = _cpu_ticks()
        return (busy - self._ticks[0]) / max(total - self._ticks[1], 1)


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
            load = _Load()
            started = time.monotonic()
            games = []
            for i in range(stations):
                games.append(_start(i, url, root, game_s))
                time.sleep(START_GAP_S)
            down, up, server_cpu_s = (0.0, 0.0, 0.0)
            if outage_s > 0:
                down, up, server_cpu_s = _outage(cluster, url, stations, started, outage_at_s, outage_s)
            codes = [proc.wait(timeout=game_s * 4 + 600) for proc, _, _ in games]
            wall_s = time.monotonic() - started
            server_cpu_s += _server_cpu_s(cluster)
            busy = load.stop()
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
    outage = (down, up)
    result = _summary(reports, codes, server_uids, duplicated, outage, wall_s, stations, minutes, outage_s)
    return {**result, **_cpu_summary(reports, load.samples, busy, server_cpu_s, wall_s)}


def _cpu_summary(
    reports: list[dict[str, Any]], loads: list[float], busy: float, server_cpu_s: float, wall_s: float
) -> dict[str, Any]:
    """How busy the machine was: was any save waiting for a CPU rather than for the disk?"""
    cpu = [r.get("cpu_s", 0.0) for r in reports]
    game_s = sum(r.get("game_s", 0.0) for r in reports)
    return {
        "load1_min": _pct(loads, 0), "load1_median": _pct(loads, 50), "load1_max": _pct(loads, 100),
        "machine_cpu_busy_pct": round(100.0 * busy, 1), "cores": os.cpu_count(),
        "stations_cpu_s": round(sum(cpu), 1), "stations_cores": round(sum(cpu) / max(wall_s, 1e-9), 2),
        "station_cpu_s_per_game_s": round(sum(cpu) / max(game_s, 1e-9), 3),
        "server_cpu_s": round(server_cpu_s, 1),
        "game_behind_wall_max_s": round(max((r.get("behind_max_s", 0.0) for r in reports), default=0.0), 2),
    }  # fmt: skip


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
