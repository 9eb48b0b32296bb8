"""Real MediaPipe landmarks of the squat clip for the leg tests (tests/data/squats_pose.npz).

All 33 landmarks (image and world, with visibility) that MediaPipe 0.10.21 (model_complexity 1,
tracking mode) found in every frame of ``squats_front_oblique_tfjs.mp4``: a woman doing
bodyweight squats, seen slightly obliquely from the front (720x1280, 5 fps, 65 frames;
Apache-2.0, see tests/data/squats_pose.NOTICE.md).

Regenerate with ``uv run python -m tests.scoring.squat_landmarks VIDEO.mp4``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from tests.scoring.real_landmarks import _estimate_all

SQUAT_NPZ = Path(__file__).resolve().parents[1] / "data" / "squats_pose.npz"


def squat_landmarks() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """(t_s (65,), image (65, 33, 4), world (65, 33, 4), (width, height)) of the squat clip."""
    with np.load(SQUAT_NPZ) as data:
        image, world = data["image"], data["world"]
        fps, size = float(data["fps"]), data["frame_size"]
    return np.arange(image.shape[0]) / fps, image, world, (int(size[0]), int(size[1]))


def _extract(video: Path) -> None:
    cap = cv2.VideoCapture(str(video))
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    image, world = _estimate_all(frames)
    np.savez_compressed(SQUAT_NPZ, image=image, world=world, fps=np.float64(fps), frame_size=np.array(size))


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        print("usage: python -m tests.scoring.squat_landmarks VIDEO.mp4", file=sys.stderr)
        raise SystemExit(2)
    _extract(Path(sys.argv[1]))
    print(f"wrote {SQUAT_NPZ}")
