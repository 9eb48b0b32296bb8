"""Real MediaPipe landmarks of the squat clip for the leg tests (tests/data/squats_pose.npz).

All 33 landmarks (image and world, with visibility) that MediaPipe 0.10.21 (model_complexity 1,
tracking mode) found in every frame of ``squats_front_oblique_tfjs.mp4``: a woman doing
bodyweight squats, seen slightly obliquely from the front (720x1280, 5 fps, 65 frames;
Apache-2.0, see tests/data/squats_pose.NOTICE.md).

Regenerate with ``uv run python -m tests.scoring.squat_landmarks VIDEO.mp4``.
"""

from __future__ import annotations

import math
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


def upright_when_low(world: np.ndarray) -> np.ndarray:
    """The clip with the upper body (landmarks 0-22) turned about the mid-hip so that the trunk
    is vertical wherever the hips are low (a person sitting upright on a stool at the bottom):
    rotation about the horizontal axis across the thighs' direction (Rodrigues), written here
    without the game's code."""
    w = world[..., :3].astype(np.float64).copy()
    hip = 0.5 * (w[:, 23] + w[:, 24])
    ankle = 0.5 * (w[:, 27] + w[:, 28])
    shank = 0.5 * (np.linalg.norm(w[:, 25] - w[:, 27], axis=1) + np.linalg.norm(w[:, 26] - w[:, 28], axis=1))
    up = np.array([0.0, -1.0, 0.0])
    for i in np.flatnonzero((ankle[:, 1] - hip[:, 1]) / shank <= 1.45):
        f = 0.5 * (w[i, 25] + w[i, 26]) - hip[i]
        f[1] = 0.0
        f /= np.linalg.norm(f)
        trunk = 0.5 * (w[i, 11] + w[i, 12]) - hip[i]
        theta = math.atan2(float(trunk @ f), float(-trunk[1]))
        axis = np.cross(f, up)
        v = w[i, :23] - hip[i]
        c, s_ = math.cos(theta), math.sin(theta)
        w[i, :23] = hip[i] + v * c + np.cross(axis, v) * s_ + np.outer(v @ axis, axis) * (1.0 - c)
    out = world.astype(np.float64).copy()
    out[..., :3] = w
    return out


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
