"""The half-face mirror composite on a 1280 × 720 picture of a real face.

``uv run python benchmarks/face_mirror.py [--runs 5] [--n 200]``

The picture is frame 0 of tests/data/fist_thumbs_up_4s.mp4 (a woman facing the camera, head
and shoulders; Apache-2.0, see tests/data/README.md) scaled back to the original clip's
1280 × 720, its face found once by MediaPipe Face Mesh (static mode). Each run times ``n``
calls of :func:`game.mirror.face.half_face_mirror` (both weak sides in turn, writing into a
reused buffer as the play screen does) and keeps the median; the result is the median of the
runs' medians, with every run's median and the 1-minute load average before and after (the
machine is shared). The last line is one JSON object; the target is <= 3 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from game.mirror.face import half_face_mirror  # noqa: E402
from game.tracking.mediapipe_parts import FaceGraph  # noqa: E402
from game.tracking.mediapipe_source import to_rgb  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

CLIP = ROOT / "tests" / "data" / "fist_thumbs_up_4s.mp4"
SIZE = (1280, 720)
TARGET_MS = 3.0


def picture() -> tuple[np.ndarray, np.ndarray]:
    """The 1280 × 720 picture and its face landmarks ``(478, 4)``."""
    frames, _ = read_frames(CLIP, 0, 1)
    bgr = cv2.resize(frames[0], SIZE, interpolation=cv2.INTER_LINEAR)
    graph = FaceGraph(static_image_mode=True)
    try:
        face = graph.process_rgb(to_rgb(bgr))
    finally:
        graph.close()
    if face is None:
        raise SystemExit(f"no face found in {CLIP}")
    return bgr, face


def run(bgr: np.ndarray, face: np.ndarray, n: int) -> float:
    out = np.empty_like(bgr)
    times = []
    for k in range(n):
        t0 = time.perf_counter()
        half_face_mirror(bgr, face, "left" if k % 2 else "right", out=out)
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=200, help="composites per run")
    args = ap.parse_args()
    bgr, face = picture()
    load_before = os.getloadavg()[0]
    run(bgr, face, 20)  # warm-up (OpenCV's first calls allocate)
    medians = [run(bgr, face, args.n) for _ in range(args.runs)]
    result = {
        "face_mirror_ms_1280x720_median": round(float(np.median(medians)), 3),
        "runs_ms": [round(m, 3) for m in medians],
        "target_ms": TARGET_MS,
        "composites_per_run": args.n,
        "load_avg_1min_before": round(load_before, 2),
        "load_avg_1min_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
