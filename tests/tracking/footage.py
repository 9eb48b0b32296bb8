"""Real footage in tests/data (see its README) run through the real MediaPipe tracker."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from game.tracking.mediapipe_parts import MediaPipeTracker
from game.tracking.pose import Picture, PoseFrame

DATA = Path(__file__).resolve().parents[1] / "data"
HAND_CLOSEUP = DATA / "hand_closeup_3s.mp4"
FIST_THUMBS_UP = DATA / "fist_thumbs_up_4s.mp4"
FACE_WEBCAM = DATA / "face_webcam_3s.mp4"


def read_frames(path: Path, flip: bool = False, scale: float = 1.0) -> list[np.ndarray]:
    """Every frame of a clip as BGR uint8, optionally mirrored left-right and resized."""
    cap = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if flip:
            frame = cv2.flip(frame, 1)
        if scale != 1.0:
            frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        frames.append(frame)
    cap.release()
    assert frames, f"could not read {path}"
    return frames


def track(frames: list[np.ndarray], parts: frozenset[str], fps: float = 25.0) -> list[PoseFrame]:
    """The frames of a clip through one real MediaPipeTracker (video mode, in order)."""
    tracker = MediaPipeTracker()
    try:
        return [tracker.process_parts(Picture(i + 1, i / fps, f), parts) for i, f in enumerate(frames)]
    finally:
        tracker.close()
