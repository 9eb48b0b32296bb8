"""Offline video reading: every frame of a file, decoded (and shrunk) for pose tracking.

The live pose sources (video.py, camera.py) pace frames like a camera; offline analysis
(``analyze``), the noise-floor study and the benchmarks instead want every frame, as fast as
the decoder allows. :class:`FrameStream` decodes and shrinks frames in a reader thread while
the caller tracks the previous one: OpenCV's decoder and MediaPipe both release the GIL, so
on two cores the two stages overlap. Frames larger than ``MAX_SIDE_PX`` are shrunk first: the
pose model works on a 256 x 256 crop, image landmarks are normalised and world landmarks are
metric, so only the cost changes (benchmarks/analyze.py). No pixel leaves the caller's loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from game.tracking.quiet import quiet_native_stderr
from game.tracking.video import open_video

MAX_SIDE_PX = 640
"""Longest side of the picture given to the pose model (a 1080p frame becomes 640 x 360)."""
QUEUE_FRAMES = 8
"""Decoded frames buffered between the reader thread and the tracker."""


def shrink(bgr: np.ndarray, max_side_px: int = MAX_SIDE_PX) -> np.ndarray:
    """The frame with its longest side at most ``max_side_px`` (area interpolation)."""
    h, w = bgr.shape[:2]
    scale = max_side_px / max(h, w)
    if scale >= 1.0:
        return bgr
    return cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def read_frames(path: str | Path, first: int = 0, stop: int | None = None) -> tuple[list[np.ndarray], float]:
    """Frames ``first`` to ``stop`` (exclusive; default the end) of a video file, as BGR
    ``(H, W, 3) uint8``, and its frame rate in hertz. For short clips and measurements: a
    whole long file does not fit in memory (:class:`FrameStream` streams instead).

    Raises
    ------
    VideoUnavailable
        Missing or unreadable file.
    """
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


class FrameStream:
    """Every frame of a video file, decoded and shrunk in a reader thread.

    Attributes
    ----------
    fps : float
        The file's frame rate, hertz.
    expected_frames : int
        Frame count the file states (0 if unknown; the real count may differ).
    frame_size : (width, height)
        Pixels of the original frames.

    Iterate once (``for frame in stream``) to get ``(H, W, 3) uint8`` BGR frames with the
    longest side at most ``max_side_px``; the thread and the file are released when the
    iteration ends or is abandoned (``close``).

    Raises
    ------
    VideoUnavailable
        Missing or unreadable file (one-line message).
    """

    def __init__(self, path: str | Path, max_side_px: int = MAX_SIDE_PX) -> None:
        with quiet_native_stderr():  # FFmpeg's own complaint about a broken file
            self._cap, self.fps = open_video(path)
        self.expected_frames = max(int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
        self.frame_size = (
            int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        self._max_side_px = max_side_px
        self._frames: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="video-file", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                ok, frame = self._cap.read()
                if not ok or frame is None:
                    break
                self._frames.put(shrink(frame, self._max_side_px))
        finally:
            self._frames.put(None)

    def __iter__(self) -> Iterator[np.ndarray]:
        try:
            while (frame := self._frames.get()) is not None:
                yield frame
        finally:
            self.close()

    def close(self) -> None:
        """Stop the reader and release the file (safe to call twice)."""
        self._stop.set()
        while self._thread.is_alive():  # unblock a reader waiting on a full queue
            try:
                self._frames.get(timeout=0.05)
            except queue.Empty:
                pass
        self._cap.release()
