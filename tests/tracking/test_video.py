"""Video-file source: every frame processed, pacing, end of file, recording to .npz.

Videos are written inside the tests with cv2.VideoWriter (MJPG in .avi). The last test runs
real MediaPipe on a clip made from the astronaut photo.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.tracking.errors import VideoUnavailable
from game.tracking.pose import L_SHOULDER, NOSE, R_SHOULDER, PoseFrame, PoseSource, SourceStatus
from game.tracking.recorder import RecordingSource, load_recording
from game.tracking.testimages import astronaut_frame
from game.tracking.video import VideoSource

DEADLINE_S = 20.0


class ValueEstimator:
    """Landmark x = mean pixel value / 255 (MJPG keeps a flat frame's value within a few DN)."""

    def __init__(self, fail_on_call: int = 0) -> None:
        self.fail_on_call = fail_on_call
        self.calls = 0

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("fake estimator crash")
        lm = np.ones((33, 4), np.float32)
        lm[:, 0] = float(bgr.mean()) / 255.0
        return lm, lm.copy()

    def close(self) -> None:
        pass


def write_video(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), "OpenCV could not write an MJPG .avi"
    for f in frames:
        writer.write(f)
    writer.release()
    return path


def flat_video(tmp_path: Path, n: int, fps: float) -> Path:
    frames = [np.full((48, 64, 3), 20 * (i + 1), np.uint8) for i in range(n)]
    return write_video(tmp_path / "flat.avi", frames, fps)


def drain(src: PoseSource) -> tuple[list[PoseFrame], list[SourceStatus]]:
    frames, statuses = [], []
    deadline = time.monotonic() + DEADLINE_S
    while src.status() is not SourceStatus.ENDED and time.monotonic() < deadline:
        f = src.poll(time.monotonic())
        if f is not None:
            frames.append(f)
        statuses.append(src.status())
        time.sleep(0.0005)
    return frames, statuses


def test_fast_mode_gives_one_pose_per_frame_in_order(tmp_path) -> None:
    src = VideoSource(flat_video(tmp_path, 10, 25.0), estimator_factory=ValueEstimator, fast=True)
    try:
        assert isinstance(src, PoseSource) and src.name == "video flat.avi"
        frames, _ = drain(src)
        assert src.status() is SourceStatus.ENDED
        assert len(frames) == 10
        xs = np.array([f.image[0, 0] for f in frames]) * 255
        np.testing.assert_allclose(xs, 20 * np.arange(1, 11), atol=3)
        np.testing.assert_allclose(np.diff([f.t_s for f in frames]), 1 / 25.0, rtol=1e-9)
        pic = src.picture()
        assert pic is not None and pic.bgr.shape == (48, 64, 3) and pic.seq == 10
    finally:
        src.close()
        src.close()


def test_real_time_mode_paces_at_file_rate(tmp_path) -> None:
    fps = 25.0
    start = time.perf_counter()
    src = VideoSource(flat_video(tmp_path, 8, fps), estimator_factory=ValueEstimator)
    try:
        frames, _ = drain(src)
        elapsed = time.perf_counter() - start
    finally:
        src.close()
    assert src.status() is SourceStatus.ENDED
    assert src.frames_processed == 8  # every frame went through the estimator
    assert elapsed >= 7 / fps  # released no faster than the file's rate
    assert frames and frames[-1].image[0, 0] * 255 == pytest.approx(160, abs=3)
    steps = np.diff([f.t_s for f in frames]) * fps
    # Stamped at release like a camera: increasing, typically one frame period apart (the median,
    # so one late wake-up of the thread on a loaded machine does not decide the test).
    assert np.all(steps > 0) and abs(float(np.median(steps)) - 1.0) < 0.2


def test_estimator_crash_gives_missing_frame_and_continues(tmp_path) -> None:
    built: list[ValueEstimator] = []

    def factory() -> ValueEstimator:
        built.append(ValueEstimator(fail_on_call=3 if not built else 0))
        return built[-1]

    src = VideoSource(flat_video(tmp_path, 6, 30.0), estimator_factory=factory, fast=True)
    try:
        frames, _ = drain(src)
    finally:
        src.close()
    assert len(frames) == 6
    assert [f.present for f in frames] == [True, True, False, True, True, True]
    assert src.restarts == 1 and len(built) == 2


def test_unreadable_video_is_one_clear_error(tmp_path) -> None:
    with pytest.raises(VideoUnavailable, match="not found"):
        VideoSource(tmp_path / "missing.mp4", estimator_factory=ValueEstimator)
    junk = tmp_path / "junk.avi"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(VideoUnavailable, match="junk.avi") as info:
        VideoSource(junk, estimator_factory=ValueEstimator)
    assert "\n" not in str(info.value)


def test_real_mediapipe_video_recorded_to_npz(tmp_path) -> None:
    n, fps, w, h = 24, 30.0, 640, 480
    i = np.arange(n)
    shifts_px = 30.0 * np.sin(2 * np.pi * i / 12)
    scales = np.linspace(0.9, 1.0, n)
    clip = [astronaut_frame(w, h, float(s), float(k)) for s, k in zip(shifts_px, scales, strict=True)]
    video = write_video(tmp_path / "astronaut.avi", clip, fps)
    out = tmp_path / "landmarks.npz"
    src = RecordingSource(VideoSource(video, fast=True), out)  # real MediaPipe
    try:
        frames, _ = drain(src)
        assert src.status() is SourceStatus.ENDED
    finally:
        src.close()
    assert len(frames) == n

    with np.load(out) as data:
        assert sorted(data.files) == ["image", "t_s", "world"]
        assert all(data[k].dtype.kind == "f" for k in data.files)  # no uint8 pixels
        assert sum(data[k].size for k in data.files) == n * (1 + 2 * 33 * 4)
    rec = load_recording(out)
    assert rec.image.shape == rec.world.shape == (n, 33, 4) and rec.t_s.shape == (n,)
    assert np.all(np.diff(rec.t_s) > 0)
    np.testing.assert_allclose(np.diff(rec.t_s), 1 / fps, rtol=1e-6)
    upper = [NOSE, L_SHOULDER, R_SHOULDER]
    assert not np.isnan(rec.image[:, upper, :3]).any()
    assert not np.isnan(rec.world[:, upper, :3]).any()
    assert (rec.image[:, upper, 3] > 0.8).all()
    # The nose follows the horizontal shift of the photo, frame by frame.
    nose_dx = rec.image[:, NOSE, 0] - rec.image[:, NOSE, 0].mean()
    expected_dx = (shifts_px - shifts_px.mean()) / w
    assert np.corrcoef(nose_dx, expected_dx)[0, 1] > 0.95
    assert np.abs(nose_dx - expected_dx).max() < 0.015
