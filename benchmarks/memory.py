"""Memory (resident set size) while playing with real tracking on a 1080p source.

A real clip (tests/data, a person filmed with an ordinary camera) is upscaled to 1920 × 1080 and
played as the camera (``--video``, real MediaPipe pose estimation on every frame) through the
default session, headless, for ``SECONDS`` of game time. The game's RSS is sampled from
/proc every 0.1 s (Linux); the peak and the median of the second half (steady play) are reported.

    uv run benchmarks/memory.py

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

import cv2

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "tests" / "data" / "squats_front_oblique_tfjs.mp4"
SECONDS = 40
SIZE = (1920, 1080)


def upscale(src: Path, out: Path, size: tuple[int, int] = SIZE) -> Path:
    """The clip letterboxed into `size` (its aspect kept), same frame rate, mp4."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        h, w = bgr.shape[:2]
        k = min(size[0] / w, size[1] / h)
        small = cv2.resize(bgr, (int(w * k), int(h * k)), interpolation=cv2.INTER_CUBIC)
        dy, dx = size[1] - small.shape[0], size[0] - small.shape[1]
        frame = cv2.copyMakeBorder(small, dy // 2, dy - dy // 2, dx // 2, dx - dx // 2, cv2.BORDER_CONSTANT)
        writer.write(frame)
    cap.release()
    writer.release()
    return out


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), None)
    return int(line.split()[1]) / 1024 if line else None


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clip = upscale(CLIP, Path(tmp) / "clip1080.mp4")
        env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "GLOG_minloglevel": "2"}
        cmd = [sys.executable, str(ROOT / "main.py"), "--headless", "--video", str(clip), "--level",
               "reach-apples", "--db", str(Path(tmp) / "m.db"), "--seconds", str(SECONDS)]  # fmt: skip
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples = []
        while proc.poll() is None:
            mb = rss_mb(proc.pid)
            if mb is not None:
                samples.append(mb)
            time.sleep(0.1)
        err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0 or not samples:
        raise SystemExit(f"the game failed ({proc.returncode}): {err[-1500:]}")
    steady = samples[len(samples) // 2 :]
    print(json.dumps({
        "benchmark": "rss_playing_real_tracking_1080p",
        "source": f"{CLIP.name} upscaled to {SIZE[0]}x{SIZE[1]}",
        "game_seconds": SECONDS, "samples": len(samples), "peak_rss_mb": round(max(samples), 1),
        "steady_median_rss_mb": round(statistics.median(steady), 1), "target_mb": 400,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
