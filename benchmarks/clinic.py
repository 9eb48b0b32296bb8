"""Portal latency for a patient with a year of daily sessions (365 x 60 reps).

Builds the year through the storage API (benchmarks/clinic_data.py), creates a therapist account
through the portal's store, starts the real portal process (``python -m game.portal``), signs in
with a real HTTP client and times the patient page: the first view after start (cold: every
session summary is read once) and ``--requests`` views after it. Also times the family progress
page. Prints one JSON object on its last line.

    uv run python benchmarks/clinic.py [--requests 200] [--days 365] [--engine postgresql]

Target (issue 13): patient page p95 <= 200 ms on the 2-core machine.

With ``--stations N`` it measures stations on PostgreSQL instead (benchmarks/clinic_stations.py):

    uv run python benchmarks/clinic.py --stations 20 --minutes 5 --outage-s 60 [--outage-at-s 120]

Targets (issue 13): 0 reps lost, rep write p95 <= 20 ms; server stopped 60 s: 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.clinic_data import build_year  # noqa: E402
from benchmarks.clinic_stations import run_stations  # noqa: E402
from game.portal.auth import new_link, new_therapist  # noqa: E402
from game.storage import open_database, utc_now  # noqa: E402
from game.storage.portal_store import open_portal_store  # noqa: E402
from tests.pgcluster import Cluster  # noqa: E402

TARGET_P95_MS = 200.0
PASSWORD = "benchmark password 1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(db_path: Path | str, days: int, local_dir: Path) -> tuple[int, str, str]:
    """Write the year and the accounts; return (reps written, family link path, its code)."""
    with open_database(db_path, local_dir=local_dir, station=False) as db:
        reps = build_year(db, days=days)
        store = open_portal_store(db)
        store.add_first_admin(new_therapist("bench", PASSWORD, is_admin=True, created_at=utc_now()))
        link, code = new_link("year", "Family", "bench", utc_now())
        store.add_family_link(link)
    return reps, f"/f/{link.id}", code


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the portal exited with code {proc.returncode}")
        try:
            httpx.get(f"{url}/login", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the portal did not start within 60 s")


def _form(client: httpx.Client, path: str, fields: dict[str, str]) -> httpx.Response:
    page = client.get(path)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, f"no form at {path}"
    return client.post(path, data={"csrf": csrf.group(1), **fields})


def _timed(client: httpx.Client, path: str) -> float:
    t0 = time.perf_counter()
    response = client.get(path)
    elapsed_ms = (time.perf_counter() - t0) * 1000.0
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    return elapsed_ms


def run(requests: int, days: int, engine: str = "sqlite") -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="mirrorplay-clinic-") as tmp, ExitStack() as stack:
        db_path: Path | str = Path(tmp) / "year.db"
        if engine == "postgresql":  # fsync off only to build the year faster; the pages only read
            cluster = Cluster.start(fast=True)
            stack.callback(cluster.close)
            db_path = cluster.create_database("year")
        t0 = time.perf_counter()
        reps, family_path, code = _prepare(db_path, days, Path(tmp))
        build_s = time.perf_counter() - t0
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "game.portal", "--db", str(db_path), "--port", str(port)]
        proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(url, proc)
            with (
                httpx.Client(base_url=url, timeout=60.0) as desk,
                httpx.Client(base_url=url, timeout=60.0) as phone,
            ):
                _form(desk, "/login", {"username": "bench", "password": PASSWORD})
                cold_ms = _timed(desk, "/patients/year")
                warm = [_timed(desk, "/patients/year") for _ in range(requests)]
                _form(phone, family_path, {"code": code})
                family = [_timed(phone, f"{family_path}/progress") for _ in range(max(requests // 4, 10))]
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    p95 = float(np.percentile(warm, 95))
    return {
        "benchmark": "clinic_portal", "engine": engine, "sessions": days, "reps": reps, "requests": requests,
        "build_year_s": round(build_s, 2), "patient_page_cold_ms": round(cold_ms, 1),
        "patient_page_p50_ms": round(float(np.percentile(warm, 50)), 1), "patient_page_p95_ms": round(p95, 1),
        "patient_page_max_ms": round(max(warm), 1),
        "family_page_p95_ms": round(float(np.percentile(family, 95)), 1),
        "target_p95_ms": TARGET_P95_MS, "meets_target": p95 <= TARGET_P95_MS,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed patient-page views after the first")
    parser.add_argument("--days", type=int, default=365, help="days of daily sessions (60 reps each)")
    parser.add_argument("--engine", default="sqlite", help="portal: sqlite (default) or postgresql")
    parser.add_argument("--stations", type=int, help="measure N game stations on PostgreSQL instead")
    parser.add_argument("--minutes", type=float, default=5.0, help="stations: game minutes per station")
    parser.add_argument("--outage-s", type=float, default=60.0, help="stations: seconds the server is down")
    parser.add_argument("--outage-at-s", type=float, default=120.0, help="stations: when the server stops")
    args = parser.parse_args()
    if args.engine not in ("sqlite", "postgresql"):
        parser.error("--engine must be sqlite or postgresql")
    if args.stations:
        print(json.dumps(run_stations(args.stations, args.minutes, args.outage_s, args.outage_at_s)))
        return 0
    print(json.dumps(run(args.requests, args.days, args.engine)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
