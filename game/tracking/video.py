"""Video-file pose source (``--video PATH``): real pose estimation on every frame of a file.

Two paces:

- real time (default): frame ``i`` is released at ``t0 + i / fps`` like a camera would, and
  the render loop gets the newest pose (stale ones dropped). If inference is slower than the
  file, the file plays slower; no frame is skipped.
- ``fast=True``: as fast as inference and the consumer allow. Each pose waits until the
  previous one was polled, so every frame yields exactly one pose, in order (for offline
  analysis and recording). Timestamps are still ``t0 + i / fps`` (video time).

When the file ends and the last pose was polled, :meth:`VideoSource.status` is ENDED.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from game.tracking.errors import ModelUnavailable, VideoUnavailable
from game.tracking.mediapipe_parts import tracker_factory
from game.tracking.pose import BODY_ONLY, Parts, Picture, PoseFrame, SourceStatus, parts_of
from game.tracking.quiet import StartupQuiet, quiet_native_stderr
from game.tracking.slots import LatestSlot
from game.tracking.tracker import (
    EstimatorFactory,
    PoseEstimator,
    close_quietly,
    estimate_pose,
    lower_switch_interval,
    pose_status,
)

log = logging.getLogger(__name__)

DEFAULT_FPS = 30.0
"""Frame rate assumed when the file does not state one."""


def first_line(err: BaseException) -> str:
    """The first line of an exception's message (a model error runs to many lines)."""
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


def open_video(path: str | Path) -> tuple[cv2.VideoCapture, float]:
    """Open a video file; returns the capture and its frame rate in hertz.

    Raises :class:`VideoUnavailable` with a one-line message if the file is missing or unreadable.
    """
    p = Path(path)
    if not p.is_file():
        raise VideoUnavailable(f"video file not found: {str(p)!r}")
    cap = cv2.VideoCapture(str(p))
    if not cap.isOpened():
        cap.release()
        raise VideoUnavailable(f"video file could not be opened: {str(p)!r}")
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    if not math.isfinite(fps) or fps <= 0:
        log.warning("%s does not state a frame rate; assuming %.0f fps", p, DEFAULT_FPS)
        fps = DEFAULT_FPS
    return cap, fps


class VideoSource:
    """PoseSource that runs the estimator on every frame of a video file.

    Parameters
    ----------
    path : str or Path
        Video file (anything OpenCV reads: .mp4, .avi, ...).
    estimator_factory : EstimatorFactory, optional
        Real MediaPipe by default (pose, and hands and face on :meth:`request_parts`).
    fast : bool
        Process as fast as possible, one pose per frame, none dropped (see module docstring).
    clock : callable
        Monotonic clock in seconds (``time.perf_counter``).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        estimator_factory: EstimatorFactory | None = None,
        fast: bool = False,
        clock: Callable[[], float] = time.perf_counter,
        restart_delay_s: float = 0.5,
    ) -> None:
        if estimator_factory is None:
            estimator_factory = tracker_factory()
        self.name = f"video {Path(path).name}"
        self.fast = fast
        self.pictures: LatestSlot[Picture] = LatestSlot()
        self.poses: LatestSlot[PoseFrame] = LatestSlot()
        self.frames_processed = 0
        self.restarts = 0
        self.dropped = 0
        """Frames skipped because the estimator fell behind the file's frame rate."""
        self.parts: Parts = BODY_ONLY
        """The parts tracked on each frame (see :meth:`request_parts`)."""
        self._cap, self.fps = open_video(path)
        first = self._read()
        if first is None:
            self._cap.release()
            raise VideoUnavailable(f"video file has no readable frames: {str(path)!r}")
        self._first: np.ndarray | None = first
        self._factory = estimator_factory
        # Built here, not on the thread: a missing or broken pose model is one clear failure
        # at start, not a retry loop of tracebacks on a thread that tracks nothing.
        # TensorFlow Lite's and MediaPipe's start-up lines stay off the terminal until the
        # first picture is tracked (game/tracking/quiet.py)
        self._startup_quiet = StartupQuiet()
        try:
            self._estimator: PoseEstimator | None = estimator_factory()
        except Exception as err:
            self._startup_quiet.end()
            self._cap.release()
            raise ModelUnavailable(f"the pose model could not start ({first_line(err)})") from err
        self._clock = clock
        self._restart_delay_s = restart_delay_s
        self._returned_seq = 0
        self._taken = threading.Condition()
        self._finished = False
        self._closed = False
        self._stop = threading.Event()
        lower_switch_interval()
        self._thread = threading.Thread(target=self._run, name="video", daemon=True)
        self._thread.start()

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest pose not yet returned, or None. Never blocks."""
        item = self.poses.newer_than(self._returned_seq)
        if item is None:
            return None
        with self._taken:
            self._returned_seq = item.seq
            self._taken.notify_all()
        return item.value

    def wait_new(self, timeout_s: float) -> bool:
        """Block up to ``timeout_s`` for a pose not yet polled (lets the loop show it at once)."""
        return self.poses.wait_newer(self._returned_seq, max(timeout_s, 0.0)) is not None

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        """Block up to ``timeout_s`` for a frame released after ``after_t_s`` (PictureWaitable)."""
        item = self.pictures.wait_after(after_t_s, max(timeout_s, 0.0))
        return None if item is None else item.t_s

    def request_parts(self, parts: frozenset[str]) -> None:
        """Run the hand and face models only when asked (PartsSelectable), from the next frame."""
        self.parts = parts_of(parts)

    def picture(self) -> Picture | None:
        """Newest video frame handed to the estimator."""
        item = self.pictures.latest()
        return None if item is None else item.value

    def status(self) -> SourceStatus:
        """ENDED when the file is done and its last pose was polled; else from the newest pose."""
        if self._finished and self.poses.newer_than(self._returned_seq) is None:
            return SourceStatus.ENDED
        latest = self.poses.latest()
        return pose_status(None if latest is None else latest.value)

    def close(self) -> None:
        """Stop the thread and release the file. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        with self._taken:
            self._taken.notify_all()
        self._thread.join(5.0)

    def _read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        return frame if ok and frame is not None else None

    def _run(self) -> None:
        estimator: PoseEstimator | None = None
        try:
            estimator = self._warm_up()
            t0_s = self._clock()
            frame, i = self._first, 0
            self._first = None
            while frame is not None and not self._stop.is_set():
                t_s = t0_s + i / self.fps
                if not self.fast:
                    self._stop.wait(max(0.0, t_s - self._clock()))
                    # Like a live camera: a frame is stamped when it becomes available, and
                    # frames the estimator fell behind on are dropped, never queued.
                    while frame is not None and self._clock() - (t0_s + (i + 1) / self.fps) > 0:
                        frame, i = self._read(), i + 1
                        self.dropped += 1
                    if frame is None:
                        break
                    t_s = self._clock()
                picture = Picture(i + 1, t_s, frame)
                self.pictures.put(picture, t_s)
                estimator, pose = self._estimate(estimator, picture)
                if pose is None:
                    break  # stopped while (re)starting the estimator
                if self.fast and not self._wait_taken():
                    break
                self._startup_quiet.end()
                self.frames_processed += 1
                self.poses.put(pose, t_s)
                frame, i = self._read(), i + 1
        except Exception:
            log.exception("video source stopped on an unexpected error")
        finally:
            self._startup_quiet.end()
            close_quietly(estimator)
            self._cap.release()
            self._finished = True

    def _warm_up(self) -> PoseEstimator | None:
        """The estimator built at start (model start-up is not video time)."""
        estimator, self._estimator = self._estimator, None
        return estimator

    def _estimate(
        self, estimator: PoseEstimator | None, picture: Picture
    ) -> tuple[PoseEstimator | None, PoseFrame | None]:
        """Pose of one picture, rebuilding the estimator after a crash (frame → missing)."""
        parts = self.parts
        while estimator is None and not self._stop.is_set():
            try:
                with quiet_native_stderr():
                    estimator = self._factory()
            except Exception:
                log.exception("could not start the pose estimator; retrying")
                self.restarts += 1
                self._stop.wait(self._restart_delay_s)
        if estimator is None:
            return None, None
        try:
            return estimator, estimate_pose(estimator, picture, parts)
        except Exception:
            log.exception("pose estimator failed on video frame %d; restarting it", picture.seq)
            close_quietly(estimator)
            self.restarts += 1
            return None, PoseFrame.missing(picture.t_s, parts)

    def _wait_taken(self) -> bool:
        """Fast mode: block until the previous pose was polled. False if stopped."""
        with self._taken:
            while self.poses.seq > self._returned_seq:
                if self._stop.is_set():
                    return False
                self._taken.wait(0.1)
        return not self._stop.is_set()
