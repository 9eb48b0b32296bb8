"""Bare MediaPipe Pose loop on astronaut frames: how fast is the tracker alone?

Runs ``MediaPipeEstimator.process()`` (BGR→RGB, ``pose.process``, landmarks → numpy) back to
back on 640×480 astronaut frames shifted sinusoidally by ±6 px, as in
docs/performance-notes.md §1.1. No threads, no rendering: the upper bound for the pipeline.

Usage::

    uv run python benchmarks/bare_tracker.py [--frames 300] [--warmup 15] [--width 640 --height 480]

Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np  # noqa: E402

from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator  # noqa: E402
from game.tracking.testimages import sinusoid_frames  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=300, help="timed process() calls")
    p.add_argument("--warmup", type=int, default=15, help="untimed calls first")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=480)
    p.add_argument("--smooth", action="store_true", help="MediaPipe's built-in smoothing on")
    args = p.parse_args(argv)
    if args.frames < 1 or args.warmup < 0:
        p.error("--frames must be >= 1 and --warmup >= 0")
    return args


def run(args: argparse.Namespace) -> dict[str, float | int | str]:
    """Time the bare loop; returns the JSON-ready result."""
    est = MediaPipeEstimator(MediaPipeConfig(smooth_landmarks=args.smooth))
    frames = sinusoid_frames(args.width, args.height, args.warmup + args.frames, amplitude_px=6.0)
    for _ in range(args.warmup):
        est.process(next(frames))
    times_ms, found = [], 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for frame in frames:
        t0 = time.perf_counter()
        result = est.process(frame)
        times_ms.append((time.perf_counter() - t0) * 1e3)
        found += result is not None
    wall_s = time.perf_counter() - wall0
    cpu_s = time.process_time() - cpu0
    est.close()
    t = np.asarray(times_ms)
    return {
        "benchmark": "bare_tracker",
        "frame_size": f"{args.width}x{args.height}",
        "frames": args.frames,
        "poses_found": found,
        "smooth_landmarks": bool(args.smooth),
        "bare_tracker_hz": round(args.frames / wall_s, 2),
        "process_median_ms": round(float(np.median(t)), 3),
        "process_p95_ms": round(float(np.percentile(t, 95)), 3),
        "cpu_cores_used": round(cpu_s / wall_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    result = run(parse_args(argv))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
