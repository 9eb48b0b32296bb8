"""Pose tracking of every frame of a video file for offline analysis (``analyze``).

Frames come from game.tracking's offline reader (:class:`~game.tracking.video_file.FrameStream`:
decoded and shrunk in a reader thread, so decoding overlaps tracking on two cores) and go
through MediaPipe (:class:`~game.tracking.mediapipe_source.MediaPipeEstimator`, tracking
mode; with ``parts`` containing "hands", :class:`~game.tracking.mediapipe_parts.MediaPipeTracker`,
which adds both hands on the person's own sides). No pixel is kept: only landmarks leave
this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.tracking.errors import VideoUnavailable
from game.tracking.mediapipe_parts import HandsConfig, MediaPipeTracker
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, Picture, PoseFrame, empty_landmarks
from game.tracking.quiet import quiet_native_stderr
from game.tracking.recorder import HAND_KEYS
from game.tracking.video_file import MAX_SIDE_PX, FrameStream, shrink

HAND_PARTS = frozenset({"body", "hands"})
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
    hands : mapping of "left_hand", "left_hand_world", "right_hand", "right_hand_world"
        to (T, 21, 4) float64, the person's own hands (NaN where not found); empty when
        hands were not tracked.
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    fps: float
    frame_size: tuple[int, int]
    face: np.ndarray | None = None
    hands: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def frames_tracked(self) -> int:
        """Frames in which a person was found: both shoulders visible; for a track of the face,
        the face found; when hands were tracked, a hand (a close-up of a hand shows no shoulders)."""
        if self.face is not None:
            return int(np.sum(np.isfinite(self.face[:, :, :2]).all(axis=(1, 2))))
        vis = self.image[:, [L_SHOULDER, R_SHOULDER], 3]
        person = np.all(vis >= VISIBLE, axis=-1)
        if self.hands:
            found = [np.isfinite(self.hands[f"{s}_hand"][..., 0]).any(axis=-1) for s in ("left", "right")]
            return int(np.sum(found[0] | found[1]))
        return int(np.sum(person))


def track_hand_frames(
    frames: Iterable[np.ndarray],
    fps: float,
    *,
    expected: int = 0,
    progress: Progress | None = None,
    hand_model: HandsConfig | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], int]:
    """Body ``(T, 33, 4)`` and hands (``(T, 21, 4)`` per PoseFrame hand field) of BGR frames,
    with ``hand_model`` (default: the full model, offline analysis's)."""
    with quiet_native_stderr():
        tracker = MediaPipeTracker(hands_config=hand_model or HandsConfig())
    rows: list[PoseFrame] = []
    try:
        for i, frame in enumerate(frames):
            with quiet_native_stderr() if not rows else nullcontext():
                rows.append(tracker.process_parts(Picture(i + 1, i / fps, frame), HAND_PARTS))
            if progress is not None:
                progress(len(rows), expected)
    finally:
        tracker.close()
    if not rows:
        empty = np.zeros((0, 33, 4))
        return empty, empty, {k: np.zeros((0, 21, 4)) for k in HAND_KEYS}, 0
    image = np.stack([f.image for f in rows]).astype(np.float64)
    world = np.stack([f.world for f in rows]).astype(np.float64)
    hands = {k: np.stack([getattr(f, k) for f in rows]).astype(np.float64) for k in HAND_KEYS}
    return image, world, hands, len(rows)


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
    path: str | Path,
    *,
    progress: Progress | None = None,
    max_side_px: int = MAX_SIDE_PX,
    parts: frozenset[str] = frozenset({"pose"}),
) -> Track:
    """Track every frame of a video file (the hands too when ``parts`` has "hands").

    Raises
    ------
    VideoUnavailable
        Missing, unreadable or empty file (one-line message).
    """
    stream = FrameStream(path, max_side_px)
    track = _track(stream, stream.fps, stream.frame_size, parts, stream.expected_frames, progress)
    if track.frames == 0:
        raise VideoUnavailable(f"video file has no readable frames: {str(Path(path))!r}")
    return track


def track_clip(
    frames: list[np.ndarray],
    fps: float,
    parts: frozenset[str] = frozenset({"pose"}),
    hand_model: HandsConfig | None = None,
) -> Track:
    """Track frames already in memory (clips built by tests from real photographs);
    ``hand_model`` chooses the hand model (tools/hand_models.py compares the two)."""
    if not frames:
        raise VideoUnavailable("clip has no frames")
    h, w = frames[0].shape[:2]
    return _track((shrink(f) for f in frames), fps, (w, h), parts, 0, None, hand_model)


def _track(
    frames: Iterable[np.ndarray],
    fps: float,
    frame_size: tuple[int, int],
    parts: frozenset[str],
    expected: int,
    progress: Progress | None,
    hand_model: HandsConfig | None = None,
) -> Track:
    if "hands" in parts:
        image, world, hands, n = track_hand_frames(
            frames, fps, expected=expected, progress=progress, hand_model=hand_model
        )
        return Track(np.arange(n) / fps, image, world, fps, frame_size, hands=hands)
    image, world, n = track_frames(frames, fps, expected=expected, progress=progress)
    return Track(np.arange(n) / fps, image, world, fps, frame_size)


def timed(fn: Callable[[], Track]) -> tuple[Track, float]:
    """(result, wall-clock seconds) of a tracking call, for the summary and benchmarks."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0
