"""Parts on request: only the models the active level asks for run (real MediaPipe, real clip)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from game.tracking.camera import CameraSource
from game.tracking.mediapipe_parts import HandsConfig, MediaPipeTracker
from game.tracking.pose import BODY_ONLY, MISSING_FACE, PartsSelectable, Picture, PoseFrame, SourceStatus
from game.tracking.slots import LatestSlot
from game.tracking.tracker import TrackerWorker
from game.tracking.video import VideoSource
from tests.tracking.footage import CLOSEUP_FRAMES, FIST_THUMBS_UP, closeup_frames, read_frames
from tests.tracking.test_camera import FAST, FakeDevice, ValueEstimator
from tests.tracking.test_video import write_video

DEADLINE_S = 30.0
HANDS = frozenset({"body", "hands"})
ALL = frozenset({"body", "hands", "face"})
LAG_FRAMES = 2
"""A request reaches the tracker within two frames (fast video reads one frame ahead)."""


class Spy:
    """Estimator factory that keeps the trackers it builds, so a test can look inside."""

    def __init__(self) -> None:
        self.trackers: list[MediaPipeTracker] = []

    def __call__(self) -> MediaPipeTracker:
        self.trackers.append(MediaPipeTracker())
        return self.trackers[-1]


def take(src: VideoSource, n: int) -> list[PoseFrame]:
    """The next ``n`` poses of a fast video source, in order."""
    out: list[PoseFrame] = []
    deadline = time.monotonic() + DEADLINE_S
    while len(out) < n and time.monotonic() < deadline and src.status() is not SourceStatus.ENDED:
        frame = src.poll(0.0)
        if frame is None:
            time.sleep(0.0005)
        else:
            out.append(frame)
    assert len(out) == n, f"got {len(out)} of {n} poses"
    return out


@pytest.fixture(scope="module")
def closeup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand close-up's first 3 s as a file a VideoSource can play."""
    return write_video(tmp_path_factory.mktemp("clips") / "closeup.avi", closeup_frames(), 25.0)


def test_body_only_run_never_builds_the_hand_or_face_graphs(closeup: Path) -> None:
    spy = Spy()
    src = VideoSource(closeup, fast=True, estimator_factory=spy)
    try:
        frames = take(src, CLOSEUP_FRAMES)  # the whole clip
    finally:
        src.close()
    (tracker,) = spy.trackers
    assert tracker.builds == {"body": 1} and tracker.runs == {"body": CLOSEUP_FRAMES}
    assert all(f.parts == BODY_ONLY and f.left_hand is None and f.face is None for f in frames)


def test_requesting_hands_builds_them_and_dropping_the_request_stops_them(closeup: Path) -> None:
    spy = Spy()
    src = VideoSource(closeup, fast=True, estimator_factory=spy)
    assert isinstance(src, PartsSelectable)
    try:
        before = take(src, 5)
        src.request_parts(frozenset({"hands"}))  # "body" is implied
        during = take(src, 20)
        tracker = spy.trackers[0]
        assert tracker.built == HANDS
        src.request_parts(BODY_ONLY)
        after = take(src, 20)
        hands_runs = tracker.runs["hands"]
        take(src, 5)
        assert tracker.runs["hands"] == hands_runs  # no longer run...
        assert tracker.built == HANDS  # ...but kept, so coming back costs no start-up
    finally:
        src.close()
    assert all(f.parts == BODY_ONLY for f in before)
    assert all(f.parts == HANDS for f in during[LAG_FRAMES:])
    # the clip shows one right hand in every frame: found once hands are tracked
    assert all(f.hand_found("right") for f in during[LAG_FRAMES:])
    assert all(f.parts == BODY_ONLY and f.right_hand is None for f in after[LAG_FRAMES:])
    assert tracker.builds["hands"] == 1 and tracker.builds["face"] == 0


class PartsSpy:
    """A fake PartsEstimator: records which parts it was asked for on each picture."""

    def __init__(self) -> None:
        self.asked: list[frozenset[str]] = []

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        raise AssertionError("a PartsEstimator is given the parts")

    def process_parts(self, picture: Picture, parts: frozenset[str]) -> PoseFrame:
        self.asked.append(parts)
        return PoseFrame.missing(picture.t_s, parts)

    def close(self) -> None:
        pass


def test_camera_passes_the_request_to_its_tracker() -> None:
    spy = PartsSpy()
    cam = CameraSource(0, estimator_factory=lambda: spy, capture_factory=FakeDevice().factory, config=FAST)
    try:
        deadline = time.monotonic() + 5.0
        while not spy.asked and time.monotonic() < deadline:
            time.sleep(0.002)
        cam.request_parts(frozenset({"body", "face"}))
        frame = None
        while (frame is None or "face" not in frame.parts) and time.monotonic() < deadline:
            frame = cam.poll(time.monotonic())
            time.sleep(0.002)
    finally:
        cam.close()
    assert spy.asked[0] == BODY_ONLY
    assert spy.asked[-1] == frozenset({"body", "face"})
    assert frame is not None and frame.parts == frozenset({"body", "face"})
    assert frame.face is MISSING_FACE  # tracked, nobody found


def test_pose_only_estimators_ignore_the_request_and_say_so() -> None:
    cam = CameraSource(0, estimator_factory=ValueEstimator, capture_factory=FakeDevice().factory, config=FAST)
    try:
        cam.request_parts(HANDS)
        deadline = time.monotonic() + 5.0
        frame = None
        while frame is None and time.monotonic() < deadline:
            frame = cam.poll(time.monotonic())
            time.sleep(0.002)
    finally:
        cam.close()
    assert frame is not None and frame.parts == BODY_ONLY  # not tracked, not "not found"


def test_bad_requests_and_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown part"):
        TrackerWorker(LatestSlot(), ValueEstimator).request_parts(frozenset({"tail"}))
    with pytest.raises(ValueError, match="model_complexity"):
        HandsConfig(model_complexity=2)  # only full (1) and lite (0) are in the wheel
    with pytest.raises(ValueError, match="max_num_hands"):
        HandsConfig(max_num_hands=3)


def test_hands_and_face_beside_the_pose_give_the_same_frames_as_after_it() -> None:
    frames = read_frames(FIST_THUMBS_UP)[:20]
    parallel, sequential = MediaPipeTracker(parallel=True), MediaPipeTracker(parallel=False)
    try:
        for i, bgr in enumerate(frames):
            picture = Picture(i + 1, i / 25, bgr)
            a, b = parallel.process_parts(picture, ALL), sequential.process_parts(picture, ALL)
            assert a.parts == b.parts == ALL
            for key in ("image", "world", "left_hand", "right_hand", "right_hand_world", "face"):
                np.testing.assert_allclose(getattr(a, key), getattr(b, key), atol=1e-5)
    finally:
        parallel.close()
        sequential.close()
    assert parallel.runs == sequential.runs == {"body": 20, "hands": 20, "face": 20}
