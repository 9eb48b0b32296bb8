"""Real MediaPipe landmarks for the scoring tests: a recorded clip and the astronaut photo.

``tests/data/fist_thumbs_up_pose.npz`` holds the pose landmarks (11-24: shoulders, arms,
hands, hips) that MediaPipe 0.10.21 (model_complexity 1, tracking mode) found in every frame
of ``fist_thumbs_up_face_mediapipe.mp4``: a woman, head and shoulders, raises a fist beside
her face and pushes a thumbs-up toward the lens (1280x720, 25 fps, 195 frames; Apache-2.0,
see tests/data/fist_thumbs_up_pose.NOTICE.md). Her hips are out of the picture and her arms
are often poorly visible, which is exactly the real-world input the scorer must survive.

Regenerate with ``uv run python -m tests.scoring.real_landmarks VIDEO.mp4``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.testimages import astronaut_frame

CLIP_NPZ = Path(__file__).resolve().parents[1] / "data" / "fist_thumbs_up_pose.npz"
KEPT = slice(11, 25)
"""Landmarks stored: 11-24 (the others are NaN with visibility 0 when loaded)."""


def _estimate_all(frames) -> tuple[np.ndarray, np.ndarray]:
    """(T, 33, 4) image and world landmarks of a sequence of BGR frames (NaN where none)."""
    est = MediaPipeEstimator(MediaPipeConfig())
    images, worlds = [], []
    try:
        for frame in frames:
            found = est.process(frame)
            missing = np.full((33, 4), np.nan, np.float32)
            images.append(missing if found is None else found[0])
            worlds.append(missing if found is None else found[1])
    finally:
        est.close()
    return np.array(images), np.array(worlds)


def extract_clip(video: Path) -> dict[str, np.ndarray]:
    """Landmarks of every frame of a video file, as stored in CLIP_NPZ."""
    cap = cv2.VideoCapture(str(video))
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    size = (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT))

    def frames():
        while True:
            ok, frame = cap.read()
            if not ok:
                return
            yield frame

    image, world = _estimate_all(frames())
    cap.release()
    return {
        "image": image[:, KEPT],
        "world": world[:, KEPT],
        "fps": np.float64(fps),
        "frame_size": np.array(size),
    }


def _expand(part: np.ndarray) -> np.ndarray:
    full = np.full((part.shape[0], 33, 4), np.nan, np.float32)
    full[..., 3] = 0.0
    full[:, KEPT] = part
    return full


def clip_landmarks() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(t_s (T,), image (T, 33, 4), world (T, 33, 4), width / height) of the stored clip."""
    with np.load(CLIP_NPZ) as data:
        image, world = _expand(data["image"]), _expand(data["world"])
        fps, (w, h) = float(data["fps"]), data["frame_size"]
    return np.arange(image.shape[0]) / fps, image, world, float(w / h)


def astronaut_landmarks(n_frames: int = 75, fps: float = 30.0) -> tuple[np.ndarray, ...]:
    """MediaPipe on the astronaut photo swaying +-40 px (period 1.5 s) at 640x480.

    Returns (t_s, image, world, width / height): a real tracker's output for a real body
    that moves only as a whole (no reach), at 30 Hz.
    """
    shifts = 40.0 * np.sin(2 * np.pi * np.arange(n_frames) / (1.5 * fps))
    image, world = _estimate_all(astronaut_frame(640, 480, float(s)) for s in shifts)
    return np.arange(n_frames) / fps, image, world, 640 / 480


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        print("usage: python -m tests.scoring.real_landmarks VIDEO.mp4", file=sys.stderr)
        raise SystemExit(2)
    np.savez_compressed(CLIP_NPZ, **extract_clip(Path(sys.argv[1])))
    print(f"wrote {CLIP_NPZ}")
