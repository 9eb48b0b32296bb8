"""Live camera pose source: OpenCV capture thread → tracker worker → newest pose.

This is the only module that opens camera devices. The capture thread asks for MJPG and a
one-frame driver buffer (docs/performance-notes.md §4.1: YUYV is bandwidth-limited on USB 2 and
V4L2 queues 4 buffers by default), reads back the size actually granted, and overwrites a
single "latest picture" slot: stale frames are dropped, never queued.

When reads fail the source reports DEVICE_LOST, keeps retrying to open the device in the
background with growing pauses, and resumes when it is back. No exception escapes the
threads; only a camera that cannot be opened at start raises :class:`CameraUnavailable`.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from game.tracking.errors import CameraUnavailable
from game.tracking.mediapipe_parts import tracker_factory
from game.tracking.pose import Picture, PoseFrame, SourceStatus
from game.tracking.slots import LatestSlot
from game.tracking.tracker import (
    EstimatorFactory,
    TrackerWorker,
    lower_switch_interval,
    pose_status,
)

log = logging.getLogger(__name__)

__all__ = [
    "CameraConfig",
    "CameraGrabber",
    "CameraSource",
    "CameraUnavailable",
    "CaptureFactory",
    "CaptureLike",
    "open_system_capture",
]


class CaptureLike(Protocol):
    """The part of ``cv2.VideoCapture`` the camera thread uses (fakes implement this)."""

    def isOpened(self) -> bool: ...  # noqa: N802 (OpenCV's name)

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def get(self, prop_id: int) -> float: ...

    def release(self) -> None: ...


CaptureFactory = Callable[[int], CaptureLike]


def open_system_capture(index: int) -> CaptureLike:
    """Open camera ``index`` with the platform's low-latency backend.

    V4L2 on Linux (OpenCV's auto choice may pick GStreamer); DirectShow on Windows, because
    MSMF can take seconds to open a camera (docs/performance-notes.md §4.1).
    """
    if sys.platform.startswith("linux"):
        return cv2.VideoCapture(index, cv2.CAP_V4L2)
    if sys.platform == "win32":
        return cv2.VideoCapture(index, cv2.CAP_DSHOW)
    return cv2.VideoCapture(index)


@dataclass(frozen=True)
class CameraConfig:
    """What to ask the camera for, and how to react when it fails.

    Attributes
    ----------
    width_px, height_px : int
        Requested frame size; the granted size is read back from the first frame.
    fps : float
        Requested frame rate in hertz.
    max_failed_reads : int
        Consecutive failed reads after which the device counts as lost.
    retry_delays_s : tuple of float
        Pauses in seconds between reopen attempts; the last one repeats.
    """

    width_px: int = 640
    height_px: int = 480
    fps: float = 30.0
    max_failed_reads: int = 5
    retry_delays_s: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0)

    def __post_init__(self) -> None:
        if self.width_px <= 0 or self.height_px <= 0:
            raise ValueError(f"CameraConfig size must be > 0, got {self.width_px}x{self.height_px}")
        if self.fps <= 0:
            raise ValueError(f"CameraConfig.fps must be > 0, got {self.fps}")
        if self.max_failed_reads < 1:
            raise ValueError(f"CameraConfig.max_failed_reads must be >= 1, got {self.max_failed_reads}")
        if not self.retry_delays_s or min(self.retry_delays_s) < 0:
            raise ValueError(f"CameraConfig.retry_delays_s must be non-negative, got {self.retry_delays_s}")


def configure_capture(cap: CaptureLike, config: CameraConfig) -> None:
    """Ask for MJPG, size, rate and a one-frame buffer. Backends may ignore any of these.

    FOURCC goes first: some drivers reset the size when the pixel format changes.
    """
    cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
    cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(config.width_px))
    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(config.height_px))
    cap.set(cv2.CAP_PROP_FPS, float(config.fps))
    cap.set(cv2.CAP_PROP_BUFFERSIZE, 1.0)


def _read(cap: CaptureLike) -> np.ndarray | None:
    """One frame, or None on a failed or raising read."""
    try:
        ok, frame = cap.read()
    except Exception:
        log.exception("camera read raised")
        return None
    if not ok or frame is None or getattr(frame, "ndim", 0) != 3:
        return None
    return frame


def _release(cap: CaptureLike) -> None:
    try:
        cap.release()
    except Exception:
        log.exception("releasing the camera failed")


class CameraGrabber:
    """Capture thread writing :class:`Picture` objects into :attr:`pictures`.

    The constructor opens the device and reads one frame, raising :class:`CameraUnavailable`
    if either fails; after that nothing raises. Sequence numbers keep increasing across
    reconnects. ``clock`` gives the monotonic capture timestamps in seconds.
    """

    def __init__(
        self,
        index: int,
        capture_factory: CaptureFactory = open_system_capture,
        config: CameraConfig | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if index < 0:
            raise ValueError(f"camera index must be >= 0, got {index}")
        self.index = index
        self.config = config or CameraConfig()
        self.pictures: LatestSlot[Picture] = LatestSlot()
        self.reconnects = 0
        self._factory = capture_factory
        self._clock = clock
        self._seq = 0
        self._lost = False
        self._stop = threading.Event()
        self._cap: CaptureLike | None = self._open_first()
        self._thread = threading.Thread(target=self._run, name=f"camera-{index}", daemon=True)

    @property
    def lost(self) -> bool:
        """True while the device is failing and being reopened."""
        return self._lost

    @property
    def frame_size_px(self) -> tuple[int, int]:
        """(width, height) of the newest picture actually delivered."""
        item = self.pictures.latest()
        if item is None:
            return (0, 0)
        h, w = item.value.bgr.shape[:2]
        return (int(w), int(h))

    def start(self) -> None:
        """Start the capture thread."""
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop the thread and release the device. Safe to call twice."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        if self._cap is not None and not self._thread.is_alive():
            _release(self._cap)
            self._cap = None

    def _open_first(self) -> CaptureLike:
        what = f"camera {self.index}"
        try:
            cap = self._factory(self.index)
        except Exception as exc:
            raise CameraUnavailable(f"{what} could not be opened: {exc}") from exc
        if not cap.isOpened():
            _release(cap)
            raise CameraUnavailable(f"{what} could not be opened (unplugged or in use?)")
        configure_capture(cap, self.config)
        frame = _read(cap)
        if frame is None:
            _release(cap)
            raise CameraUnavailable(f"{what} opened but delivered no picture")
        self._publish(frame)
        w, h = self.frame_size_px
        log.info("%s opened at %dx%d", what, w, h)
        return cap

    def _publish(self, frame: np.ndarray) -> None:
        t_s = self._clock()
        self._seq += 1
        self.pictures.put(Picture(self._seq, t_s, frame), t_s)

    def _run(self) -> None:
        failed = 0
        while not self._stop.is_set():
            if self._cap is None:
                self._cap = self._reopen()
                continue
            frame = _read(self._cap)
            if frame is not None:
                failed = 0
                self._lost = False
                self._publish(frame)
                continue
            failed += 1
            if failed >= self.config.max_failed_reads:
                log.warning("camera %d lost after %d failed reads; reconnecting", self.index, failed)
                self._lost = True
                _release(self._cap)
                self._cap = None
                failed = 0
            else:
                self._stop.wait(0.01)

    def _reopen(self) -> CaptureLike | None:
        """Try to open the device until it works or we are stopped."""
        delays = self.config.retry_delays_s
        for attempt in range(sys.maxsize):
            if self._stop.wait(delays[min(attempt, len(delays) - 1)]):
                return None
            try:
                cap = self._factory(self.index)
            except Exception:
                log.debug("reopening camera %d raised", self.index, exc_info=True)
                continue
            if cap.isOpened():
                configure_capture(cap, self.config)
                self.reconnects += 1
                log.info("camera %d reconnected", self.index)
                return cap
            _release(cap)
        return None


class CameraSource:
    """PoseSource for a live camera: capture thread + tracker worker.

    Parameters
    ----------
    index : int
        Camera index (``--camera N``).
    estimator_factory : EstimatorFactory, optional
        Builds the pose estimator on the worker thread; by default the real MediaPipe
        tracker, which also runs hands and face on :meth:`request_parts`.
    capture_factory : CaptureFactory
        Opens the device; tests pass a fake.
    config : CameraConfig, optional
    clock : callable
        Monotonic clock in seconds for capture timestamps (``time.perf_counter``).

    Raises
    ------
    CameraUnavailable
        The camera cannot be opened or gives no picture at start.
    """

    def __init__(
        self,
        index: int = 0,
        *,
        estimator_factory: EstimatorFactory | None = None,
        capture_factory: CaptureFactory = open_system_capture,
        config: CameraConfig | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if estimator_factory is None:
            estimator_factory = tracker_factory()
        self.name = f"camera {index}"
        self.grabber = CameraGrabber(index, capture_factory, config, clock)
        self.worker = TrackerWorker(self.grabber.pictures, estimator_factory)
        self._last_seq = 0
        self._closed = False
        lower_switch_interval()
        self.grabber.start()
        self.worker.start()

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest pose not yet returned, or None. Never blocks."""
        item = self.worker.poses.newer_than(self._last_seq)
        if item is None:
            return None
        self._last_seq = item.seq
        return item.value

    def wait_new(self, timeout_s: float) -> bool:
        """Block up to ``timeout_s`` for a pose not yet polled (lets the loop show it at once)."""
        return self.worker.poses.wait_newer(self._last_seq, max(timeout_s, 0.0)) is not None

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        """Block up to ``timeout_s`` for a picture captured after ``after_t_s`` (PictureWaitable)."""
        item = self.grabber.pictures.wait_after(after_t_s, max(timeout_s, 0.0))
        return None if item is None else item.t_s

    def request_parts(self, parts: frozenset[str]) -> None:
        """Run the hand and face models only when asked (PartsSelectable); body by default."""
        self.worker.request_parts(parts)

    def picture(self) -> Picture | None:
        """Newest raw camera picture (carries its capture timestamp ``t_s``)."""
        item = self.grabber.pictures.latest()
        return None if item is None else item.value

    def status(self) -> SourceStatus:
        """DEVICE_LOST while reconnecting, else STARTING / OK / NO_PERSON from the newest pose."""
        if self.grabber.lost:
            return SourceStatus.DEVICE_LOST
        latest = self.worker.poses.latest()
        return pose_status(None if latest is None else latest.value)

    def close(self) -> None:
        """Stop both threads and release the camera. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.worker.stop()
        self.grabber.stop()
