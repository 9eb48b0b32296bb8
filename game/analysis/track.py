"""Pose tracking of every frame of a video file for offline analysis (``analyze``).

Frames are decoded and downscaled in a reader thread while MediaPipe (game.tracking's
:class:`~game.tracking.mediapipe_source.MediaPipeEstimator`, tracking mode) runs on the
previous one: OpenCV and MediaPipe both release the GIL, so on two cores the two stages
overlap. Frames larger than ``MAX_SIDE_PX`` are shrunk first: the pose model works on a
256 x 256 crop, image landmarks are normalised and world landmarks are metric, so only the
cost changes (measured in benchmarks/analyze.py). No pixel is kept: only landmarks leave
this module.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from game.tracking.errors import VideoUnavailable
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, empty_landmarks
from game.tracking.video import open_video

MAX_SIDE_PX = 640
"""Longest side of the picture given to the pose model (a 1080p frame becomes 640 x 360)."""
QUEUE_FRAMES = 8
"""Decoded frames buffered between the reader thread and the tracker."""

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
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    fps: float
    frame_size: tuple[int, int]

    @property
    def frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def frames_tracked(self) -> int:
        """Frames in which a person was found (both shoulders visible)."""
        vis = self.image[:, [L_SHOULDER, R_SHOULDER], 3]
        return int(np.sum(np.all(vis >= VISIBLE, axis=-1)))


def read_frames(path: str | Path, first: int = 0, stop: int | None = None) -> tuple[list[np.ndarray], float]:
    """Frames ``first`` to ``stop`` (exclusive; default the end) of a video file, as BGR, and
    its frame rate (for building clips and measurements; a whole long file does not fit in
    memory, :func:`track_video` streams instead)."""
    cap, fps = open_video(path)
    frames: list[np.ndarray] = []
    i = 0
    try:
        while stop is None or i < stop:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            if i >= first:
                frames.append(frame)
            i += 1
    finally:
        cap.release()
    return frames, fps


def shrink(bgr: np.ndarray, max_side_px: int = MAX_SIDE_PX) -> np.ndarray:
    """The frame with its longest side at most ``max_side_px`` (area interpolation)."""
    h, w = bgr.shape[:2]
    scale = max_side_px / max(h, w)
    if scale >= 1.0:
        return bgr
    return cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _reader(cap: cv2.VideoCapture, out: queue.Queue, stop: threading.Event, max_side_px: int) -> None:
    try:
        while not stop.is_set():
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            out.put(shrink(frame, max_side_px))
    finally:
        out.put(None)


def _frames_from_file(
    path: Path, max_side_px: int
) -> tuple[Iterator[np.ndarray], float, int, tuple[int, int]]:
    with quiet_native_stderr():  # FFmpeg's own complaint about a broken file
        cap, fps = open_video(path)
    expected = max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    frames: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
    stop = threading.Event()
    thread = threading.Thread(target=_reader, args=(cap, frames, stop, max_side_px), daemon=True)
    thread.start()

    def iterate() -> Iterator[np.ndarray]:
        try:
            while (frame := frames.get()) is not None:
                yield frame
        finally:
            stop.set()
            while thread.is_alive():  # unblock a reader waiting on a full queue
                try:
                    frames.get(timeout=0.05)
                except queue.Empty:
                    pass
            cap.release()

    return iterate(), fps, expected, size


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence what native libraries write to file descriptor 2 (TensorFlow Lite's and
    MediaPipe's start-up lines print before any log level applies), so the terminal shows
    our progress and our one-line messages only. Python's own stderr is untouched."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


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
    p = Path(path)
    frames, fps, expected, size = _frames_from_file(p, max_side_px)
    image, world, n = track_frames(frames, fps, expected=expected, progress=progress)
    if n == 0:
        raise VideoUnavailable(f"video file has no readable frames: {str(p)!r}")
    return Track(np.arange(n) / fps, image, world, fps, size)


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
