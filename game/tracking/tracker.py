"""The tracker worker: runs a pose estimator on the newest picture, on its own thread.

The estimator sits behind the :class:`PoseEstimator` protocol so that pipeline tests can use a
cheap fake and the real MediaPipe models live only in ``mediapipe_source.py`` and
``mediapipe_parts.py``. An estimator that can also track hands and face
(:class:`PartsEstimator`) is given the parts last requested with
:meth:`TrackerWorker.request_parts`; a pose-only estimator ignores the request, and its frames
say so (:attr:`PoseFrame.parts` is body only). The worker
always takes the *newest* picture (older ones are skipped, never queued), stamps the pose with
the picture's capture time, and survives estimator crashes by logging and starting a fresh
estimator.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from game.tracking.pose import BODY_ONLY, N_LANDMARKS, Parts, Picture, PoseFrame, SourceStatus, parts_of
from game.tracking.quiet import StartupQuiet
from game.tracking.slots import LatestSlot

log = logging.getLogger(__name__)

SWITCH_INTERVAL_S = 0.0005
"""Interpreter switch interval for a threaded tracker. With the default 5 ms a busy render
loop held a thread worker to ~26 poses/s; 0.5 ms restored ~58/s (docs/performance-notes.md §0.3)."""


class PoseEstimator(Protocol):
    """Turns one raw, unflipped BGR picture into landmarks."""

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Landmarks of the person in ``bgr`` ``(H, W, 3) uint8``.

        Returns ``(image, world)``, both ``(33, 4) float32``, or None when nobody is found.
        """
        ...

    def close(self) -> None:
        """Release the model."""
        ...


@runtime_checkable
class PartsEstimator(Protocol):
    """A pose estimator that can also run the hand and face models on request."""

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Body landmarks only, as :meth:`PoseEstimator.process`."""
        ...

    def process_parts(self, picture: Picture, parts: Parts) -> PoseFrame:
        """The frame of one picture with the body and the requested ``parts``, stamped with
        the picture's capture time; parts not requested are None, not found are MISSING."""
        ...

    def close(self) -> None:
        """Release the models."""
        ...


EstimatorFactory = Callable[[], PoseEstimator]
"""Builds a fresh estimator; called on the worker thread, again after a crash."""


def lower_switch_interval(interval_s: float = SWITCH_INTERVAL_S) -> float:
    """Shorten the interpreter switch interval so the render loop cannot starve the worker.

    Only ever lowers it (it is process-wide). Returns the previous interval in seconds.
    """
    if interval_s <= 0:
        raise ValueError(f"interval_s must be > 0, got {interval_s}")
    previous = sys.getswitchinterval()
    if previous > interval_s:
        sys.setswitchinterval(interval_s)
    return previous


def estimate_pose(estimator: PoseEstimator, picture: Picture, parts: Parts = BODY_ONLY) -> PoseFrame:
    """Run ``estimator`` on one picture; a missing person becomes :meth:`PoseFrame.missing`.

    The pose carries the picture's capture timestamp, not the inference time, so the app
    can compute landmark age at display. A :class:`PartsEstimator` also tracks ``parts``.
    """
    if isinstance(estimator, PartsEstimator):
        return estimator.process_parts(picture, parts)
    result = estimator.process(picture.bgr)
    if result is None:
        return PoseFrame.missing(picture.t_s)
    image, world = result
    image = np.asarray(image, dtype=np.float32).reshape(N_LANDMARKS, 4)
    world = np.asarray(world, dtype=np.float32).reshape(N_LANDMARKS, 4)
    return PoseFrame(picture.t_s, image, world)


def pose_status(latest: PoseFrame | None) -> SourceStatus:
    """STARTING before the first pose, OK when a person is present, else NO_PERSON."""
    if latest is None:
        return SourceStatus.STARTING
    return SourceStatus.OK if latest.present else SourceStatus.NO_PERSON


def close_quietly(estimator: PoseEstimator | None) -> None:
    """Close an estimator, logging (not raising) if closing itself fails."""
    if estimator is None:
        return
    try:
        estimator.close()
    except Exception:
        log.exception("closing the pose estimator failed")


class TrackerWorker:
    """Thread that turns the newest picture of ``pictures`` into poses in :attr:`poses`.

    Parameters
    ----------
    pictures : LatestSlot[Picture]
        Where the camera (or video) thread publishes raw frames.
    estimator_factory : EstimatorFactory
        Builds the estimator on the worker thread; called again after each crash.
    restart_delay_s : float
        Pause before rebuilding a crashed estimator, so a persistent fault does not spin.
    """

    def __init__(
        self,
        pictures: LatestSlot[Picture],
        estimator_factory: EstimatorFactory,
        *,
        restart_delay_s: float = 0.5,
        name: str = "tracker",
    ) -> None:
        if restart_delay_s < 0:
            raise ValueError(f"restart_delay_s must be >= 0, got {restart_delay_s}")
        self.pictures = pictures
        self.poses: LatestSlot[PoseFrame] = LatestSlot()
        self.restarts = 0
        self.frames_processed = 0
        self.parts: Parts = BODY_ONLY
        """The parts the estimator runs on each picture (see :meth:`request_parts`)."""
        self._factory = estimator_factory
        self._restart_delay_s = restart_delay_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the worker thread."""
        self._thread.start()

    def request_parts(self, parts: frozenset[str]) -> None:
        """Track ``parts`` from the next picture on (validated; "body" is always tracked).

        One reference assignment of an immutable set: the worker reads it once per picture.
        """
        self.parts = parts_of(parts)

    def stop(self, timeout_s: float = 2.0) -> None:
        """Ask the thread to finish and wait up to ``timeout_s`` seconds. Safe to call twice."""
        self._stop.set()
        self.pictures.wake()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        estimator: PoseEstimator | None = None
        last_seq = 0
        quiet = StartupQuiet()  # TensorFlow Lite's and MediaPipe's start-up lines (quiet.py)
        try:
            while not self._stop.is_set():
                if estimator is None:
                    estimator = self._build()
                    continue
                item = self.pictures.wait_newer(last_seq, timeout_s=0.1)
                if item is None:
                    continue
                last_seq = item.seq
                try:
                    pose = estimate_pose(estimator, item.value, self.parts)
                except Exception:
                    log.exception("pose estimator failed on frame %d; restarting it", item.seq)
                    close_quietly(estimator)
                    estimator = None
                    self.restarts += 1
                    self._stop.wait(self._restart_delay_s)
                    continue
                quiet.end()  # the graph has started: its own lines are over
                self.frames_processed += 1
                self.poses.put(pose, pose.t_s)
        finally:
            quiet.end()
            close_quietly(estimator)

    def _build(self) -> PoseEstimator | None:
        try:
            return self._factory()
        except Exception:
            log.exception("could not start the pose estimator; retrying")
            self.restarts += 1
            self._stop.wait(self._restart_delay_s)
            return None
