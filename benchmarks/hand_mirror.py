"""The hand video mirror's composite on a 1280×720 picture (target: <= 3 ms).

The picture is real footage with two real hands and a body: the thumbs-up clip of tests/data
with its left half mirrored onto the right (the person picture of benchmarks/pipeline.py: a
real woman raising two real fists beside her face), scaled to 1280×720. MediaPipe (pose and
hands) tracks it once; then the composite alone is timed:

- ``hand_mirror_ms_1280x720_p50``: game.mirror.hand_picture.hand_mirror_picture on the whole
  frame (the affected side replaced by the good side's reflection across the body midline,
  the seam feathered), the median over ``--runs`` runs of ``--n`` calls each (each run's
  median in ``runs_ms``);
- ``hand_mirror_cpu_ms_per_call``: the process's CPU time per call of the same (all threads;
  the wall time above grows with a shared machine's load, this much less; ``hands_only_``
  the same for the next);
- ``hands_only_ms_1280x720_p50``: the same with the shoulders hidden from it, so the line is
  the two wrists' bisector (a camera looking at the hands on a table);
- ``close_up_ms_p50``: game.mirror.hand_picture.hand_mirror_crop of the region around one
  hand that a hand level's close-up shows;
- ``load_avg_1min_before`` / ``_after``: the machine's load (a shared machine is noisy).

Usage::

    uv run python benchmarks/hand_mirror.py [--runs 5] [--n 200]

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

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.pipeline import person_frames  # noqa: E402
from game.leveltypes.hand_common import SLOT_ASPECT, SLOT_MARGIN, stage_region  # noqa: E402
from game.mirror.hand_picture import hand_mirror_crop, hand_mirror_picture  # noqa: E402
from game.tracking.mediapipe_parts import MediaPipeTracker  # noqa: E402
from game.tracking.pose import L_SHOULDER, R_SHOULDER, Picture, PoseFrame  # noqa: E402

SIZE = (1280, 720)
FRAME = 40
"""Frame of the person clip with both (mirrored) fists raised beside the face."""


def tracked_picture() -> tuple[np.ndarray, PoseFrame]:
    """The 1280×720 picture and its tracked frame (pose and both hands)."""
    frames = person_frames()
    tracker = MediaPipeTracker()
    try:
        for i, f in enumerate(frames[: FRAME + 1]):  # in order: MediaPipe's tracking mode settles
            big = cv2.resize(f, SIZE, interpolation=cv2.INTER_LINEAR)
            frame = tracker.process_parts(Picture(i + 1, i / 25, big), frozenset({"body", "hands"}))
    finally:
        tracker.close()
    if not (frame.hand_found("left") and frame.hand_found("right")):
        raise SystemExit("the hands were not found in the benchmark picture")
    return big, frame


def timed_ms(fn: object, n: int) -> float:
    return timed_wall_cpu_ms(fn, n)[0]


def timed_wall_cpu_ms(fn: object, n: int) -> tuple[float, float]:
    """Median wall time of one call and the process CPU time per call (all threads), ms: on a
    shared machine the wall time grows with the load, the CPU time much less."""
    times = []
    c0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times)), (time.process_time() - c0) * 1e3 / n


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--n", type=int, default=200)
    args = p.parse_args(argv)
    load_before = round(os.getloadavg()[0], 2)
    bgr, frame = tracked_picture()
    no_shoulders = frame.image.copy()
    no_shoulders[[L_SHOULDER, R_SHOULDER], 3] = 0.0
    hands_only = PoseFrame(frame.t_s, no_shoulders, frame.world, *[getattr(frame, k) for k in (
        "left_hand", "left_hand_world", "right_hand", "right_hand_world")])  # fmt: skip
    assert frame.left_hand is not None
    region = tuple(int(v) for v in stage_region([frame.left_hand], SIZE, SLOT_ASPECT, margin=SLOT_MARGIN))
    both = [
        timed_wall_cpu_ms(lambda: hand_mirror_picture(bgr, frame, "left"), args.n) for _ in range(args.runs)
    ]
    runs, cpu = [w for w, _ in both], [c for _, c in both]
    pairs = [
        timed_wall_cpu_ms(lambda: hand_mirror_picture(bgr, hands_only, "left"), args.n)
        for _ in range(args.runs)
    ]
    only, only_cpu = [w for w, _ in pairs], [c for _, c in pairs]
    crop = [
        timed_ms(lambda: hand_mirror_crop(bgr, frame, "left", region), args.n)  # type: ignore[arg-type]
        for _ in range(args.runs)
    ]
    result = {
        "benchmark": "hand_mirror",
        "frame_size": "1280x720",
        "hand_mirror_ms_1280x720_p50": round(float(np.median(runs)), 3),
        "runs_ms": [round(r, 3) for r in runs],
        "hand_mirror_cpu_ms_per_call": round(float(np.median(cpu)), 3),
        "hands_only_ms_1280x720_p50": round(float(np.median(only)), 3),
        "hands_only_cpu_ms_per_call": round(float(np.median(only_cpu)), 3),
        "close_up_ms_p50": round(float(np.median(crop)), 3),
        "close_up_region_px": list(region),
        "target_ms": 3.0,
        "cpu_count": os.cpu_count(),
        "load_avg_1min_before": load_before,
        "load_avg_1min_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
