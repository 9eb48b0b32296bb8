"""Installed environment size and cold install time, before and after a change of dependencies.

Run ``uv run python benchmarks/install.py [--before REV] [--after REV] [--rounds N]``. For each
revision (default: the one before the unused MediaPipe dependencies were left out, and HEAD)
the project's files at that revision are put in a temporary folder and ``uv sync --frozen``
installs its locked environment there with an empty uv cache of its own, so every package is
downloaded and unpacked as on a new machine ("cold"). Rounds alternate the revisions, so a
change in network speed hits both. Needs the network (PyPI). Prints one JSON object on its
last line: per revision the install seconds of each round and their median, the size of the
environment (``du``, megabytes) and how much of it the six left-out packages take.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "817dffb~1"
"""The last revision that installed jax, jaxlib, ml_dtypes, sentencepiece, opt_einsum and
sounddevice (docs/design.md, "Decisions")."""


def export_revision(rev: str, into: Path) -> None:
    """The repository's files at ``rev`` in the folder ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def du_mb(path: Path) -> float:
    """Disk usage of ``path`` in megabytes (1e6 bytes), as ``du`` counts it."""
    out = subprocess.run(["du", "-sk", str(path)], check=True, capture_output=True, text=True).stdout
    return round(int(out.split()[0]) * 1024 / 1e6, 1)


LEFT_OUT = ("jax", "jaxlib", "ml_dtypes", "sentencepiece", "opt_einsum", "sounddevice", "_sounddevice_data")
"""Top-level folders in site-packages of the packages the overrides leave out."""


def left_out_mb(venv: Path) -> float:
    """Megabytes the :data:`LEFT_OUT` packages take in ``venv`` (0 when they are not there)."""
    total = 0.0
    for site in venv.glob("lib/python3*/site-packages"):
        for name in LEFT_OUT:
            for path in (site / name, *site.glob(f"{name}-*.dist-info")):
                if path.exists():
                    total += du_mb(path)
    return round(total, 1)


def cold_install(rev: str) -> tuple[float, float, float]:
    """(seconds, environment MB, MB of the left-out packages) of ``uv sync --frozen`` of
    ``rev`` with an empty cache."""
    with tempfile.TemporaryDirectory() as tmp:
        project, cache = Path(tmp) / "project", Path(tmp) / "cache"
        project.mkdir()
        export_revision(rev, project)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")}
        env["UV_CACHE_DIR"] = str(cache)
        t0 = time.perf_counter()
        subprocess.run(["uv", "sync", "--frozen", "--quiet"], cwd=project, env=env, check=True)
        seconds = time.perf_counter() - t0
        return round(seconds, 1), du_mb(project / ".venv"), left_out_mb(project / ".venv")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", default=BEFORE)
    p.add_argument("--after", default="HEAD")
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args(argv)
    revs = {"before": args.before, "after": args.after}
    times: dict[str, list[float]] = {k: [] for k in revs}
    sizes: dict[str, float] = {}
    left: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, rev in revs.items():
            seconds, size, left[name] = cold_install(rev)
            times[name].append(seconds)
            sizes[name] = size
    result: dict[str, object] = {"benchmark": "install", "cpu_count": os.cpu_count()}
    for name, rev in revs.items():
        result[name] = {
            "revision": rev,
            "install_s": times[name],
            "install_s_median": round(statistics.median(times[name]), 1),
            "environment_mb": sizes[name],
            "left_out_packages_mb": left[name],
        }
    result["load_avg_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
