"""Start to the first interactive frame, warm: with the demo and with a real tracker (``--video``).

Each run is a fresh process (``python main.py ...``, as ``uv run main.py`` starts it once the
environment is in sync); the time runs from just before the process is spawned until the first
frame has been drawn and flipped (the title screen, which answers keys, clicks and the tracked
hand from then on). The first run warms the disk cache and is not counted; the median of the
next ``RUNS`` is reported. With ``--video`` the pose model is loaded and the video opened before
the first frame, so that number includes the real tracker's start.

    uv run benchmarks/startup.py [clip.mp4]

Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "tests" / "data" / "squats_front_oblique_tfjs.mp4"
RUNS = 5
DRIVER = r"""
import os, sys, time
sys.path.insert(0, sys.argv[1])
from game.render import window as W
flip = W.Window.flip
def first_flip(self):
    flip(self)
    print("FIRST_FRAME", time.time(), flush=True)
    os._exit(0)
W.Window.flip = first_flip
import main
sys.argv = ["main.py", *sys.argv[2:]]
sys.exit(main.main(sys.argv[1:]))
"""


def first_frame_s(args: list[str]) -> float:
    """Seconds from spawning the game to its first flipped frame."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "GLOG_minloglevel": "2"}
    start = time.time()
    done = subprocess.run([sys.executable, "-c", DRIVER, str(ROOT), *args], capture_output=True, text=True,
                          env=env, timeout=120)  # fmt: skip
    line = next((x for x in done.stdout.splitlines() if x.startswith("FIRST_FRAME")), None)
    if line is None:
        raise RuntimeError(f"no frame drawn: {done.stderr[-1500:]}")
    return float(line.split()[1]) - start


def median_s(args: list[str]) -> tuple[float, list[float]]:
    first_frame_s(args)  # warm-up: disk cache, compiled bytecode
    runs = [first_frame_s(args) for _ in range(RUNS)]
    return statistics.median(runs), runs


def main() -> None:
    clip = Path(sys.argv[1]) if len(sys.argv) > 1 else CLIP
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        demo, demo_runs = median_s(["--headless", "--demo", "--db", db, "--seconds", "30"])
        video, video_runs = median_s(["--headless", "--video", str(clip), "--db", db, "--seconds", "30"])
    print(json.dumps({
        "benchmark": "startup_to_first_frame_warm", "runs": RUNS, "target_s": 3.0,
        "demo_median_s": round(demo, 3), "demo_runs_s": [round(r, 3) for r in demo_runs],
        "video_tracker_median_s": round(video, 3), "video_runs_s": [round(r, 3) for r in video_runs],
        "video_clip": clip.name,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
