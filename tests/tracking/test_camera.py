"""Camera source and tracker worker with a fake capture device and a fake estimator.

No camera, no MediaPipe: the fake estimator encodes the frame's pixel value into the
landmarks, so a test can tell which picture a pose came from.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from game.tracking.camera import CameraConfig, CameraSource
from game.tracking.errors import CameraUnavailable
from game.tracking.pose import Picture, PoseFrame, SourceStatus
from game.tracking.slots import LatestSlot
from game.tracking.tracker import TrackerWorker, lower_switch_interval

DEADLINE_S = 5.0
FAST = CameraConfig(max_failed_reads=3, retry_delays_s=(0.05,))


class ValueEstimator:
    """Pose whose landmark x is the frame's first pixel / 255; None for black frames."""

    def __init__(self, fail_on: set[int] | None = None, delay_s: float = 0.0) -> None:
        self.fail_on = fail_on or set()
        self.delay_s = delay_s
        self.calls = 0
        self.closed = False

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        value = int(bgr[0, 0, 0])
        if value in self.fail_on:
            raise RuntimeError(f"fake estimator fails on {value}")
        if value == 0:
            return None
        lm = np.ones((33, 4), np.float32)
        lm[:, 0] = value / 255.0
        return lm, lm.copy()

    def close(self) -> None:
        self.closed = True


class FakeDevice:
    """A camera that works for ``good_reads`` frames, then fails until ``failed_opens`` reopen
    attempts have been refused, then works again. Frame pixel values count 1, 2, 3, ..."""

    def __init__(self, good_reads: int = 10**9, failed_opens: int = 0, size=(240, 320)) -> None:
        self.good_reads = good_reads
        self.failed_opens = failed_opens
        self.size = size
        self.opens = 0
        self.counter = 0
        self.sets: list[tuple[int, float]] = []

    def factory(self, index: int) -> FakeCapture:
        self.opens += 1
        broken_open = 1 < self.opens <= 1 + self.failed_opens
        return FakeCapture(self, opened=not broken_open, first=self.opens == 1)


class FakeCapture:
    def __init__(self, device: FakeDevice, opened: bool, first: bool) -> None:
        self.device = device
        self.opened = opened
        self.first = first
        self.reads = 0

    def isOpened(self) -> bool:  # noqa: N802
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.002)
        self.reads += 1
        if self.first and self.reads > self.device.good_reads:
            if self.reads == self.device.good_reads + 1:
                raise OSError("USB read error")  # a raising read also counts as a failure
            return False, None
        self.device.counter = self.device.counter % 250 + 1
        return True, np.full((*self.device.size, 3), self.device.counter, np.uint8)

    def set(self, prop_id: int, value: float) -> bool:
        self.device.sets.append((prop_id, value))
        return True

    def get(self, prop_id: int) -> float:
        return 0.0

    def release(self) -> None:
        self.opened = False


def poll_until(src: CameraSource, done: Callable[[], bool], on_frame=None) -> list[SourceStatus]:
    statuses = []
    deadline = time.monotonic() + DEADLINE_S
    while not done() and time.monotonic() < deadline:
        frame = src.poll(time.monotonic())
        if frame is not None and on_frame is not None:
            on_frame(frame)
        statuses.append(src.status())
        time.sleep(0.001)
    return statuses


def test_requests_mjpg_small_buffer_and_reports_granted_size() -> None:
    device = FakeDevice(size=(240, 320))
    src = CameraSource(0, estimator_factory=ValueEstimator, capture_factory=device.factory, config=FAST)
    try:
        props = [p for p, _ in device.sets]
        assert props[0] == cv2.CAP_PROP_FOURCC  # format before size, or drivers reset it
        assert (cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG"))) in device.sets
        assert (cv2.CAP_PROP_BUFFERSIZE, 1.0) in device.sets
        assert (cv2.CAP_PROP_FRAME_WIDTH, 640.0) in device.sets
        assert src.grabber.frame_size_px == (320, 240)  # granted, not requested
        pic = src.picture()
        assert isinstance(pic, Picture) and pic.bgr.shape == (240, 320, 3)
        frames: list[PoseFrame] = []
        poll_until(src, lambda: len(frames) >= 5, frames.append)
        assert len(frames) >= 5
        assert src.status() is SourceStatus.OK
        # each pose carries the capture time of its picture; times increase
        assert all(b.t_s > a.t_s for a, b in zip(frames, frames[1:], strict=False))
    finally:
        src.close()
        src.close()  # twice is safe


def test_device_lost_reconnects_and_resumes() -> None:
    device = FakeDevice(good_reads=15, failed_opens=2)
    src = CameraSource(0, estimator_factory=ValueEstimator, capture_factory=device.factory, config=FAST)
    seqs: list[int] = []
    poses: list[PoseFrame] = []

    def record(frame: PoseFrame) -> None:
        poses.append(frame)
        pic = src.picture()
        if pic is not None:
            seqs.append(pic.seq)

    try:
        statuses = poll_until(src, lambda: src.grabber.reconnects >= 1 and len(seqs) > 40, record)
        lost_at = statuses.index(SourceStatus.DEVICE_LOST)
        assert SourceStatus.OK in statuses[lost_at:]  # resumed after the loss
        assert src.grabber.reconnects == 1
        assert device.opens == 4  # first open + 2 refused + the successful reopen
        assert len(seqs) > 40
        assert all(b >= a for a, b in zip(seqs, seqs[1:], strict=False))
        assert seqs[-1] > 15  # sequence numbers continue across the reconnect
        assert all(b.t_s > a.t_s for a, b in zip(poses, poses[1:], strict=False))
        assert src.grabber._thread.is_alive()
    finally:
        src.close()
    assert not src.grabber._thread.is_alive()


def test_no_person_gives_missing_frames() -> None:
    class BlackCapture(FakeCapture):
        def read(self) -> tuple[bool, np.ndarray | None]:
            time.sleep(0.002)
            return True, np.zeros((48, 64, 3), np.uint8)

    src = CameraSource(
        1,
        estimator_factory=ValueEstimator,
        capture_factory=lambda i: BlackCapture(FakeDevice(), True, True),
        config=FAST,
    )
    try:
        frames: list[PoseFrame] = []
        poll_until(src, lambda: len(frames) >= 3, frames.append)
        assert len(frames) >= 3
        assert all(np.isnan(f.image[:, :3]).all() and not f.present for f in frames)
        assert src.status() is SourceStatus.NO_PERSON
        assert src.name == "camera 1"
    finally:
        src.close()


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (
            lambda i: FakeCapture(FakeDevice(), opened=False, first=True),
            "camera 2 could not be opened",
        ),
        (lambda i: (_ for _ in ()).throw(OSError("no /dev/video2")), "no /dev/video2"),
        (lambda i: FakeCapture(FakeDevice(good_reads=0), True, True), "delivered no picture"),
    ],
)
def test_camera_unavailable_at_start(factory, message: str) -> None:
    with pytest.raises(CameraUnavailable, match=message) as info:
        CameraSource(2, estimator_factory=ValueEstimator, capture_factory=factory, config=FAST)
    assert "\n" not in str(info.value)


def feed(slot: LatestSlot[Picture], values: list[int], gap_s: float) -> None:
    for i, v in enumerate(values, start=1):
        slot.put(Picture(i, float(i), np.full((4, 4, 3), v, np.uint8)), float(i))
        time.sleep(gap_s)


def test_worker_restarts_after_estimator_crash(caplog: pytest.LogCaptureFixture) -> None:
    built: list[ValueEstimator] = []

    def factory() -> ValueEstimator:
        built.append(ValueEstimator(fail_on={3}))
        return built[-1]

    slot: LatestSlot[Picture] = LatestSlot()
    worker = TrackerWorker(slot, factory, restart_delay_s=0.0)
    worker.start()
    got: list[float] = []
    with caplog.at_level(logging.ERROR):
        for i in range(1, 6):
            slot.put(Picture(i, float(i), np.full((4, 4, 3), i, np.uint8)), float(i))
            # wait until this picture was handled (pose made, or estimator crashed)
            deadline = time.monotonic() + DEADLINE_S
            while worker.frames_processed + worker.restarts < i and time.monotonic() < deadline:
                time.sleep(0.001)
            item = worker.poses.latest()
            if item is not None and (not got or item.t_s != got[-1]):
                got.append(item.t_s)
    worker.stop()
    assert worker.restarts == 1
    assert len(built) == 2 and built[0].closed and built[1].closed
    assert got == [1.0, 2.0, 4.0, 5.0]  # the crashing frame gave no pose; later ones did
    assert "restarting" in caplog.text


def test_worker_drops_stale_frames_instead_of_queueing() -> None:
    slot: LatestSlot[Picture] = LatestSlot()
    worker = TrackerWorker(slot, lambda: ValueEstimator(delay_s=0.02))
    worker.start()
    producer = threading.Thread(target=feed, args=(slot, list(range(1, 101)), 0.001))
    producer.start()
    producer.join()
    deadline = time.monotonic() + DEADLINE_S
    while (worker.poses.latest() is None or worker.poses.latest().t_s < 100.0) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.005)
    worker.stop()
    latest = worker.poses.latest()
    assert latest is not None and latest.t_s == 100.0  # the newest frame was processed
    assert worker.frames_processed < 50  # most of the 100 frames were skipped, not queued


def test_switch_interval_only_lowered() -> None:
    import sys

    old = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        assert lower_switch_interval(0.001) == 0.005
        assert sys.getswitchinterval() == pytest.approx(0.001)
        lower_switch_interval(0.002)
        assert sys.getswitchinterval() == pytest.approx(0.001)
    finally:
        sys.setswitchinterval(old)
