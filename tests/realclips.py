"""Real MediaPipe landmarks of real footage, computed once per test session.

The squat clip (tests/data, Apache-2.0, see its NOTICE) and the astronaut photograph are the
"world" the scoring and analysis tests check against (BRIEF: test against the world).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.pose import empty_landmarks
from game.tracking.testimages import astronaut_frame
from game.tracking.video_file import read_frames

DATA = Path(__file__).parent / "data"
SQUAT_CLIP = DATA / "squats_front_oblique_tfjs.mp4"
SQUAT_FPS = 5.0


def track(frames: list[np.ndarray], *, static: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """MediaPipe image and world landmarks ``(T, 33, 4)`` of frames (NaN where nobody)."""
    est = MediaPipeEstimator(MediaPipeConfig(static_image_mode=static))
    image, world = [], []
    try:
        for frame in frames:
            out = est.process(frame)
            image.append(empty_landmarks() if out is None else out[0])
            world.append(empty_landmarks() if out is None else out[1])
    finally:
        est.close()
    return np.asarray(image, dtype=np.float64), np.asarray(world, dtype=np.float64)


@lru_cache(maxsize=1)
def squat_frames() -> tuple[np.ndarray, ...]:
    return tuple(read_frames(SQUAT_CLIP)[0])


@lru_cache(maxsize=1)
def squat_landmarks() -> tuple[np.ndarray, np.ndarray]:
    """Image and world landmarks of every frame of the squat clip."""
    return track(list(squat_frames()))


@lru_cache(maxsize=1)
def astronaut_landmarks() -> tuple[np.ndarray, np.ndarray]:
    """Image and world landmarks ``(33, 4)`` of the astronaut photograph (640x480 canvas)."""
    image, world = track([astronaut_frame(640, 480)], static=True)
    return image[0], world[0]
