"""Clips built from real footage and real photographs for the analysis tests.

Every frame is a real picture: the squat clip (tests/data, Apache-2.0, see its NOTICE) and
the astronaut photograph. A "palindrome" plays a real arm raise forward and back, so the
number of raises is known by construction; a still clip repeats one real photograph with
camera-like jitter (sub-pixel shifts and sensor noise), so nothing moves.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from game.analysis.track import Track, track_clip
from game.tracking.testimages import astronaut_frame, still_clip
from game.tracking.video_file import shrink
from tests.realclips import squat_frames

SQUAT_FPS = 5.0
REST_FRAME, RAISED_FRAME = 22, 30
"""Squat clip frames (looked at): 22 standing with the arms hanging; 23-30 the arms come
forward to about shoulder height as she goes down (30: arms forward, elevation ~80 deg)."""


def palindrome_raises(n_raises: int, hold: int = 4) -> list[np.ndarray]:
    """Real squat frames 22 -> 30 -> 22, ``n_raises`` times, ``hold`` rest frames between."""
    frames = squat_frames()
    up = list(frames[REST_FRAME : RAISED_FRAME + 1])
    rep = up + up[-2::-1]
    rest = [frames[REST_FRAME]] * hold
    out = list(rest)
    for _ in range(n_raises):
        out += rep + rest
    return out


def still_squat(n_frames: int = 30) -> list[np.ndarray]:
    """Frame 22 of the squat clip (standing, arms hanging) as a still clip, at the size the
    tracker uses (360 x 640)."""
    return still_clip(shrink(squat_frames()[REST_FRAME]), n_frames, seed=1)


def still_astronaut(n_frames: int = 30) -> list[np.ndarray]:
    return still_clip(astronaut_frame(640, 480), n_frames, seed=2)


STILL_FPS = 30.0


@lru_cache(maxsize=4)
def still_track(name: str, n_frames: int = 90) -> Track:
    """MediaPipe's landmarks of a still clip ("squat" or "astronaut") at 30 fps, once per run."""
    make = {"squat": still_squat, "astronaut": still_astronaut}[name]
    return track_clip(make(n_frames), STILL_FPS)


def write_clip(frames: list[np.ndarray], fps: float, path: Path) -> Path:
    """Write frames as an mp4 (MPEG-4 part 2) file."""
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    return path
