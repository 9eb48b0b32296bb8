"""Pose tracking of every frame of a video file for offline analysis (``analyze``).

Frames come from game.tracking's offline reader (:class:`~game.tracking.video_file.FrameStream`:
decoded and shrunk in a reader thread, so decoding overlaps tracking on two cores) and go
through MediaPipe (:class:`~game.tracking.mediapipe_source.MediaPipeEstimator`, tracking
mode). No pixel is kept: only landmarks leave this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.tracking.errors import VideoUnavailable
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, empty_landmarks
from game.tracking.video_file import MAX_SIDE_PX, FrameStream, quiet_native_stderr, shrink

Progress = Callable[[int, int], None]
"""Called after every frame with (frames done, frames expected or 0 if unknown)."""


@dataclass(frozen=True)
class Track:
    """Landmarks of every frame of a clip (no pixels).

    Attributes
    ----------
    t_s : (T,) float64
        Video time of each frame, seconds (frame index / fps).
    image, world : (T, 33, 4) float64
        MediaPipe image (normalised) and world (metres) landmarks; NaN and visibility 0
        where nobody was found.
    fps : float
        The file's frame rate, hertz.
    frame_size : (width, height) in pixels of the original frames.
    face : (T, 478, 4) float64 or None
        Face Mesh landmarks when the face was tracked (face exercises, game.analysis.face);
        NaN rows where no face was found.
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    fps: float
    frame_size: tuple[int, int]
    face: np.ndarray | None = None

    @property
    def frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def frames_tracked(self) -> int:
        """Frames in which a person was found: both shoulders visible, or for a track of the
        face, the face found."""
        if self.face is not None:
            return int(np.sum(np.isfinite(self.face[:, :, :2]).all(axis=(1, 2))))
        vis = self.image[:, [L_SHOULDER, R_SHOULDER], 3]
        return int(np.sum(np.all(vis >= VISIBLE, axis=-1)))


def track_frames(
    frames: Iterable[np.ndarray], fps: float, *, expected: int = 0, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """MediaPipe image and world landmarks ``(T, 33, 4)`` of BGR frames, and T."""
    with quiet_native_stderr():
        est = MediaPipeEstimator(MediaPipeConfig())
    image: list[np.ndarray] = []
    world: list[np.ndarray] = []
    try:
        for frame in frames:
            if image:
                out = est.process(frame)
            else:
                with quiet_native_stderr():  # the graph starts on the first frame
                    out = est.process(frame)
            image.append(empty_landmarks() if out is None else out[0])
            world.append(empty_landmarks() if out is None else out[1])
            if progress is not None:
                progress(len(image), expected)
    finally:
        est.close()
    n = len(image)
    if n == 0:
        return np.zeros((0, 33, 4)), np.zeros((0, 33, 4)), 0
    return np.asarray(image, dtype=np.float64), np.asarray(world, dtype=np.float64), n


def track_video(
    path: str | Path, *, progress: Progress | None = None, max_side_px: int = MAX_SIDE_PX
) -> Track:
    """Track every frame of a video file.

    Raises
    ------
    VideoUnavailable
        Missing, unreadable or empty file (one-line message).
    """
    stream = FrameStream(path, max_side_px)
    image, world, n = track_frames(stream, stream.fps, expected=stream.expected_frames, progress=progress)
    if n == 0:
        raise VideoUnavailable(f"video file has no readable frames: {str(Path(path))!r}")
    return Track(np.arange(n) / stream.fps, image, world, stream.fps, stream.frame_size)


def track_clip(frames: list[np.ndarray], fps: float) -> Track:
    """Track frames already in memory (clips built by tests from real photographs)."""
    image, world, n = track_frames((shrink(f) for f in frames), fps)
    if n == 0:
        raise VideoUnavailable("clip has no frames")
    h, w = frames[0].shape[:2]
    return Track(np.arange(n) / fps, image, world, fps, (w, h))


def timed(fn: Callable[[], Track]) -> tuple[Track, float]:
    """(result, wall-clock seconds) of a tracking call, for the summary and benchmarks."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0
