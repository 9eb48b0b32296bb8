"""Real footage in tests/data (see its README) run through the real MediaPipe tracker."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from game.tracking.mediapipe_parts import MediaPipeTracker
from game.tracking.pose import Picture, PoseFrame
from game.tracking.video_file import read_frames as read_video

DATA = Path(__file__).resolve().parents[1] / "data"
HAND_CLOSEUP = DATA / "hand_finger_shapes_closeup_tfjs.mp4"
CLOSEUP_FRAMES = 75
"""The close-up's first 3 s (fist, the "I" shape, single fingers) are enough for the tests."""
FIST_THUMBS_UP = DATA / "fist_thumbs_up_4s.mp4"
FACE_WEBCAM = DATA / "face_webcam_3s.mp4"


def read_frames(
    path: Path, flip: bool = False, scale: float = 1.0, stop: int | None = None
) -> list[np.ndarray]:
    """Frames of a clip as BGR uint8, optionally mirrored left-right and resized."""
    frames, _ = read_video(path, 0, stop)
    assert frames, f"could not read {path}"
    if flip:
        frames = [cv2.flip(f, 1) for f in frames]
    if scale != 1.0:
        frames = [cv2.resize(f, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) for f in frames]
    return frames


def closeup_frames(flip: bool = False) -> list[np.ndarray]:
    """The hand close-up's first 3 s at half size (310 x 540)."""
    return read_frames(HAND_CLOSEUP, flip, 0.5, CLOSEUP_FRAMES)


def track(frames: list[np.ndarray], parts: frozenset[str], fps: float = 25.0) -> list[PoseFrame]:
    """The frames of a clip through one real MediaPipeTracker (video mode, in order)."""
    tracker = MediaPipeTracker()
    try:
        return [tracker.process_parts(Picture(i + 1, i / fps, f), parts) for i, f in enumerate(frames)]
    finally:
        tracker.close()
