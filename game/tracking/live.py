"""Wiring the command line to pose sources: camera, video file, replay, recording.

Which clock a source is polled with (``App.now_s``):

- live sources (camera, real-time video) stamp poses with ``time.perf_counter`` and say so with
  ``uses_wall_clock = True``; the app then polls them with the same clock, so landmark age
  (``now_s - pose.t_s``) is meaningful;
- the simulated patient, replays and fast video (:class:`GameClockVideo`) run on game time:
  a headless run is then deterministic and as fast as the machine allows.

``--record PATH.npz`` wraps whatever source was chosen in :class:`Recorded`, which keeps the
wrapped source's clock and, for the simulated patient, its steering (``set_goal``). Only
landmarks are stored, never pixels (docs/design.md, "Decisions").
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.tracking.camera import CameraSource
from game.tracking.errors import RecordingError
from game.tracking.pose import (
    Goal,
    Picture,
    PictureWaitable,
    PoseFrame,
    PoseSource,
    SourceStatus,
    Steerable,
    WaitableSource,
    forward_parts,
    wall_clocked,
)
from game.tracking.recorder import RecordingSource
from game.tracking.replay import ReplaySource
from game.tracking.simulated import FRAME_SIZE
from game.tracking.video import VideoSource

log = logging.getLogger(__name__)

FAST_WAIT_S = 10.0
"""Longest a fast-video poll waits for the tracker before giving the frame up for this step."""


def wait_for_pose(source: object, timeout_s: float) -> bool:
    """``source.wait_new(timeout_s)`` for a :class:`WaitableSource`, else sleep; False."""
    if isinstance(source, WaitableSource):
        return bool(source.wait_new(timeout_s))
    if timeout_s > 0:
        time.sleep(timeout_s)
    return False


def wait_for_picture(source: object, after_t_s: float, timeout_s: float) -> float | None:
    """``source.wait_picture(...)`` for a :class:`PictureWaitable`, else None at once (the
    loop then waits for the pose as before)."""
    if isinstance(source, PictureWaitable):
        return source.wait_picture(after_t_s, timeout_s)
    return None


class Wrapped:
    """A pose source around another one: delegates everything, subclasses change one thing."""

    uses_wall_clock = False

    def __init__(self, source: PoseSource) -> None:
        self.source = source
        self.name = source.name

    def poll(self, now_s: float) -> PoseFrame | None:
        return self.source.poll(now_s)

    def wait_new(self, timeout_s: float) -> bool:
        """Wait for a new pose when the wrapped source can; else just sleep the timeout."""
        return wait_for_pose(self.source, timeout_s)

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        """Wait for a new picture when the wrapped source can; else None at once."""
        return wait_for_picture(self.source, after_t_s, timeout_s)

    def request_parts(self, parts: frozenset[str]) -> None:
        """Pass the request on to a wrapped :class:`PartsSelectable`; others track the body."""
        forward_parts(self.source, parts)

    def picture(self) -> Picture | None:
        return self.source.picture()

    def status(self) -> SourceStatus:
        return self.source.status()

    def close(self) -> None:
        self.source.close()


class WallClock(Wrapped):
    """Marks a live source as polled with ``time.perf_counter`` (its capture clock)."""

    uses_wall_clock = True


class GameClockVideo(Wrapped):
    """Fast video (``--video PATH --fast``) on game time: every frame, in order, deterministic.

    Frame ``i`` is due at game time ``start + i / fps``; a poll waits (up to
    :data:`FAST_WAIT_S`) for the tracker to deliver each due frame, so no frame is skipped and
    the run goes exactly as fast as MediaPipe allows. Poses are re-stamped onto game time so
    that scoring windows and the recording share one clock.

    Parameters
    ----------
    source : VideoSource
        Opened with ``fast=True`` (one pose per frame, none dropped).
    fps : float
        The file's frame rate in hertz.
    """

    def __init__(self, source: Any, fps: float, wait_s: float = FAST_WAIT_S) -> None:
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        super().__init__(source)
        self.fps = float(fps)
        self._wait_s = wait_s
        self._start_s: float | None = None
        self._next = 0

    def poll(self, now_s: float) -> PoseFrame | None:
        """The newest frame due at game time ``now_s`` (waits for the tracker if needed)."""
        if self._start_s is None:
            self._start_s = now_s
        due = math.floor((now_s - self._start_s) * self.fps + 1e-6)
        newest: PoseFrame | None = None
        while self._next <= due:
            frame = self._take()
            if frame is None:
                break
            newest = frame.restamped(self._start_s + self._next / self.fps)
            self._next += 1
        return newest

    def _take(self) -> PoseFrame | None:
        deadline = time.perf_counter() + self._wait_s
        while True:
            frame = self.source.poll(0.0)
            if frame is not None:
                return frame
            if self.source.status() is SourceStatus.ENDED or time.perf_counter() > deadline:
                return None
            time.sleep(0.0005)


class Recorded(RecordingSource):
    """The recorder of ``--record PATH.npz`` as the game uses it: keeps the wrapped source's
    name and clock (``uses_wall_clock``) and lets the loop wait for new poses. Use
    :func:`record` to get a steerable wrapper around a steerable source.
    """

    def __init__(self, source: PoseSource, path: str | Path) -> None:
        super().__init__(source, path)
        self.name = source.name
        self.uses_wall_clock = wall_clocked(source)

    def wait_new(self, timeout_s: float) -> bool:
        return wait_for_pose(self.source, timeout_s)

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        return wait_for_picture(self.source, after_t_s, timeout_s)

    def close(self) -> None:
        """Close the wrapped source, then write the recording. Safe to call twice."""
        first = not self._closed
        super().close()
        if first:
            log.info("saved %d poses to %s", len(self.recorder), self.path)


class SteerableRecorded(Recorded):
    """A :class:`Recorded` simulated patient that can still be steered by the game."""

    def set_goal(self, goal: Goal | None) -> None:
        self.source.set_goal(goal)  # type: ignore[attr-defined]


def record(source: PoseSource, path: str | Path) -> Recorded:
    """Wrap ``source`` so that what it produces is saved to ``path`` (.npz) on close.

    Raises :class:`RecordingError` at once (not at the end of the session) if ``path`` does
    not end in .npz or its folder does not exist.
    """
    target = Path(path)
    if target.suffix.lower() != ".npz":
        raise RecordingError(f"--record must name a .npz file, got {str(target)!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RecordingError(f"folder for the recording does not exist: {str(folder)!r}")
    if isinstance(source, Steerable):
        return SteerableRecorded(source, path)
    return Recorded(source, path)


def open_camera_source(settings: Any) -> tuple[PoseSource, tuple[int, int]]:
    """The live camera ``settings.camera`` (threaded capture + MediaPipe worker).

    Raises :class:`~game.tracking.errors.CameraUnavailable` when the camera cannot be opened;
    the launcher then offers the demo.
    """
    cam = CameraSource(settings.camera)
    size = cam.grabber.frame_size_px
    return WallClock(cam), size


def open_video_source(
    path: str | Path, *, fast: bool, estimator_factory: Callable[[], Any] | None = None
) -> tuple[PoseSource, tuple[int, int]]:
    """A video file with real MediaPipe on every frame; at the file's pace or ``fast``.

    Raises :class:`~game.tracking.errors.VideoUnavailable` with one line if it cannot be read.
    """
    video = VideoSource(path, fast=fast, estimator_factory=estimator_factory)
    picture = _wait_picture(video)
    h, w = picture.bgr.shape[:2] if picture is not None else (480, 640)
    source: PoseSource = GameClockVideo(video, video.fps) if fast else WallClock(video)
    return source, (int(w), int(h))


def _wait_picture(video: VideoSource, timeout_s: float = 5.0) -> Picture | None:
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        picture = video.picture()
        if picture is not None or video.status() is SourceStatus.ENDED:
            return picture
        time.sleep(0.002)
    return None


def open_replay_source(path: str | Path) -> tuple[PoseSource, tuple[int, int]]:
    """A landmark recording played in game time. The frame size is nominal (no pixels)."""
    return ReplaySource(path), FRAME_SIZE
