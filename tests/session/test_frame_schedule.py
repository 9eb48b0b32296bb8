"""The live loop's wake-up rules (game/app.py, game/frame_timing.py): a new pose at once, a
short wait for a pose that comes about once a frame rather than showing the last one again,
and, with the picture wake turned on (SLOW_PICTURES_FRAMES, off in the shipped game), a 30 fps
camera's next picture at once, before its pose; with 30 Hz poses, the frame after a pose's
first showing drawn at once and shown on its time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import game.app as app_module
import game.frame_timing as timing
from game.app import App
from game.frame_timing import FIRST_REPEAT_GRACE_FRAMES, repeat_grace_s, slow_pictures
from game.levels import load_all
from game.render.window import Window
from game.scenes.base import Scene
from game.settings import Settings
from game.storage import open_database
from game.tracking.pose import Picture, PictureWaitable, PoseFrame, SourceStatus, WaitableSource

DT_S = 1 / 60
HANDS = frozenset({"body", "hands"})


class FakeCamera:
    """A live source whose waits answer at once: records what the loop waited for."""

    name = "fake camera"
    uses_wall_clock = True

    def __init__(self, picture_t_s: float, pose_ready: bool = False, new_picture: bool = True) -> None:
        self.picture_t_s = picture_t_s
        self.pose_ready = pose_ready
        self.new_picture = new_picture
        self.pose_waits_s: list[float] = []
        self.picture_waits: list[tuple[float, float]] = []

    def wait_new(self, timeout_s: float) -> bool:
        self.pose_waits_s.append(timeout_s)
        return self.pose_ready

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        self.picture_waits.append((after_t_s, timeout_s))
        return after_t_s + 1 / 30 if self.new_picture else None

    def picture(self) -> Picture:
        return Picture(1, self.picture_t_s, np.zeros((4, 4, 3), np.uint8))

    def poll(self, now_s: float) -> PoseFrame | None:
        return None

    def status(self) -> SourceStatus:
        return SourceStatus.OK

    def close(self) -> None:
        pass


PICTURE_WAKE_FRAMES = 1.5
"""The threshold the picture wake is tested (and benchmarked) with."""


@pytest.fixture
def picture_wake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timing, "SLOW_PICTURES_FRAMES", PICTURE_WAKE_FRAMES)


@pytest.fixture
def new_app(tmp_path: Path) -> Iterator:
    """Builds apps on a fake camera that has already drawn two pictures ``picture_gap_s`` apart
    (the loop knows the camera's interval); closes them after the test."""
    made: list[tuple[Window, object]] = []

    def make(source: FakeCamera, picture_gap_s: float) -> App:
        window, db = Window(headless=True), open_database(tmp_path / "s.db")
        made.append((window, db))
        app = App(Settings(headless=False, mute=True), window, db, source, (640, 480), load_all())
        app._note_picture()
        source.picture_t_s += picture_gap_s
        app._note_picture()  # two pictures drawn: the loop knows the camera's interval
        return app

    yield make
    for window, db in made:
        window.close()
        db.close()  # type: ignore[attr-defined]


@pytest.fixture
def make_app(new_app, picture_wake: None):  # type: ignore[no-untyped-def]
    """Apps with the picture wake switched on."""
    return new_app


def test_fake_camera_is_what_the_loop_takes_for_a_camera() -> None:
    cam = FakeCamera(10.0)
    assert isinstance(cam, WaitableSource) and isinstance(cam, PictureWaitable)


def test_the_shipped_loop_has_the_picture_wake_off() -> None:
    assert not slow_pictures(1 / 30, DT_S) and not slow_pictures(1.0, DT_S)


def test_slow_pictures_means_a_30_fps_camera_at_60_hz(picture_wake: None) -> None:
    assert slow_pictures(1 / 30, DT_S) and slow_pictures(1 / 15, DT_S)
    assert not slow_pictures(1 / 60, DT_S) and not slow_pictures(1 / 50, DT_S)
    assert not slow_pictures(0.0, DT_S)  # before two pictures were drawn


def test_30_fps_camera_frame_after_a_new_pose_wakes_for_the_next_picture(make_app) -> None:
    cam = FakeCamera(10.0)
    app = make_app(cam, 1 / 30)
    now = time.perf_counter()
    assert app._show_new_pose_early(now - DT_S, now + 0.010, DT_S) is False  # grid not re-anchored
    assert app._repeats == 1  # that pose has been shown twice now: next wait is for a pose
    ((after_t_s, timeout_s),) = cam.picture_waits
    assert after_t_s == pytest.approx(10.0 + 1 / 30)  # newer than the picture drawn last
    assert 0.0 < timeout_s <= 0.010  # never later than the frame was due
    assert cam.pose_waits_s == [0.0]  # only asked whether a pose was already there


def test_no_new_picture_before_the_frame_is_due_waits_for_the_pose_as_before(make_app) -> None:
    cam = FakeCamera(10.0, new_picture=False)
    app = make_app(cam, 1 / 30)
    now = time.perf_counter()
    app._show_new_pose_early(now - DT_S, now + 0.005, DT_S)
    assert len(cam.picture_waits) == 1 and len(cam.pose_waits_s) == 2
    assert app._repeats == 1


def test_60_fps_camera_waits_for_the_pose_not_the_picture(make_app) -> None:
    cam = FakeCamera(10.0)
    app = make_app(cam, 1 / 60)
    now = time.perf_counter()
    app._show_new_pose_early(now - DT_S, now + 0.005, DT_S)
    assert cam.picture_waits == []
    assert len(cam.pose_waits_s) == 1 and cam.pose_waits_s[0] > 0.0


def test_a_pose_already_there_is_shown_first(make_app) -> None:
    cam = FakeCamera(10.0, pose_ready=True)
    app = make_app(cam, 1 / 30)
    now = time.perf_counter()
    assert app._show_new_pose_early(now - DT_S, now + 0.005, DT_S) is True  # re-anchor on the pose
    assert cam.picture_waits == [] and app._repeats == 0


def test_a_pose_shown_twice_waits_for_its_successor_not_a_picture(make_app) -> None:
    cam = FakeCamera(10.0)
    app = make_app(cam, 1 / 30)
    app._repeats = 1
    now = time.perf_counter()
    app._show_new_pose_early(now - DT_S, now + 0.002, DT_S)
    assert cam.picture_waits == [] and app._repeats == 2


def test_the_pose_after_an_early_picture_is_waited_for_without_the_half_frame_rest(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    rests: list[float] = []
    monkeypatch.setattr(app_module, "_sleep_until", rests.append)
    cam = FakeCamera(10.0)
    app = make_app(cam, 1 / 30)
    now = time.perf_counter()
    app._show_new_pose_early(now, now + DT_S, DT_S)  # the picture comes early
    assert rests == [now + 0.5 * DT_S] and app._picture_early
    app._show_new_pose_early(now + 0.005, now + 2 * DT_S, DT_S)  # its pose comes next
    assert rests == [now + 0.5 * DT_S]  # no second rest: that pose is shown as soon as it is there
    assert not app._picture_early and app._repeats == 2
    app._show_new_pose_early(now + 0.03, now + 3 * DT_S, DT_S)  # and then the usual rule again
    assert rests[-1] == pytest.approx(now + 0.03 + 0.5 * DT_S)


def test_a_frame_waits_a_little_for_a_pose_only_when_poses_come_about_once_a_frame() -> None:
    assert repeat_grace_s(0, 1.05, DT_S) == pytest.approx(FIRST_REPEAT_GRACE_FRAMES * DT_S)  # 60 fps
    assert repeat_grace_s(0, 2.0, DT_S) == 0.0  # 30 Hz poses: the next one is a frame away
    assert repeat_grace_s(1, 1.05, DT_S) == repeat_grace_s(1, 2.0, DT_S) == 0.5 * DT_S  # shown twice


@pytest.mark.parametrize(("frames_per_pose", "grace_frames"), [(1.0, FIRST_REPEAT_GRACE_FRAMES), (2.0, 0.0)])
def test_the_loop_waits_past_the_due_time_by_the_grace(make_app, frames_per_pose, grace_frames) -> None:
    cam = FakeCamera(10.0)  # no pose comes
    app = make_app(cam, 1 / 60)  # a 60 fps camera: no picture wake
    app._frames_per_pose = frames_per_pose
    before = time.perf_counter()
    due = before + 0.004
    assert app._show_new_pose_early(before - DT_S, due, DT_S) is (grace_frames > 0)  # late: re-anchor
    after = time.perf_counter()
    assert cam.picture_waits == [] and app._repeats == 1
    until = due + grace_frames * DT_S  # the wait's timeout was computed between before and after
    assert until - after <= cam.pose_waits_s[0] <= until - before


def test_the_loop_learns_how_many_frames_each_pose_is_shown(make_app) -> None:
    cam = FakeCamera(10.0, pose_ready=True)
    app = make_app(cam, 1 / 60)
    assert app._frames_per_pose == 2.0  # until it knows, the loop assumes 30 Hz poses
    for _ in range(30):  # a new pose for every frame
        now = time.perf_counter()
        app._show_new_pose_early(now - DT_S, now + 0.001, DT_S)
    assert app._frames_per_pose < 1.1
    cam.pose_ready = False
    for _ in range(30):  # then a new pose every other frame
        now = time.perf_counter()
        app._show_new_pose_early(now - DT_S, now + 0.001, DT_S)  # shown again
        cam.pose_ready = True
        app._show_new_pose_early(now - DT_S, now + 0.001, DT_S)  # the next pose
        cam.pose_ready = False
    assert app._frames_per_pose > 1.9


@pytest.fixture
def shipped_app(new_app):  # type: ignore[no-untyped-def]
    """An app with a fake 30 fps camera, as shipped (the picture wake off), tracking the
    hands (a hand level) unless told otherwise."""

    def make(source: FakeCamera, frames_per_pose: float = 2.0, parts: frozenset[str] = HANDS) -> App:
        app = new_app(source, 1 / 30)
        app.request_parts(parts)
        app._frames_per_pose = frames_per_pose
        return app

    return make


def test_30_hz_poses_draw_the_frame_after_a_first_showing_at_once(shipped_app) -> None:
    cam = FakeCamera(10.0)
    app = shipped_app(cam)
    assert app._draw_next_ahead() is True
    assert app._repeats == 1  # that frame shows the pose a second time
    assert cam.pose_waits_s == [0.0] and cam.picture_waits == []  # it did not wait for anything


@pytest.mark.parametrize(
    ("why", "frames_per_pose", "repeats", "pose_ready"),
    [
        ("a new pose is already there: shown at once, as usual", 2.0, 0, True),
        ("poses about once a frame (60 fps): the next one may come in time", 1.05, 0, False),
        ("the pose was shown twice already: wait for its successor", 2.0, 1, False),
    ],
)
def test_no_frame_is_drawn_ahead_when_a_newer_pose_may_be_shown(
    shipped_app, why: str, frames_per_pose: float, repeats: int, pose_ready: bool
) -> None:
    app = shipped_app(FakeCamera(10.0, pose_ready=pose_ready), frames_per_pose)
    app._repeats = repeats
    assert app._draw_next_ahead() is False, why
    assert app._repeats == repeats


@pytest.mark.parametrize(
    ("parts", "ahead"), [(HANDS, True), (frozenset({"face"}), True), (frozenset(), False)]
)
def test_only_a_tracker_running_hands_or_face_beside_the_pose_has_frames_drawn_ahead(
    shipped_app, parts: frozenset[str], ahead: bool
) -> None:
    app = shipped_app(FakeCamera(10.0), parts=parts)
    assert app._draw_next_ahead() is ahead


def test_the_picture_wake_switched_on_keeps_that_frame_for_the_new_picture(make_app) -> None:
    app = make_app(FakeCamera(10.0), 1 / 30)
    assert app._draw_next_ahead() is False


class CountingScene(Scene):
    """Counts its fixed updates; draws nothing."""

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.updates = 0

    def update(self, dt: float) -> None:
        self.updates += 1
        return None

    def draw(self, surface: object) -> None:
        pass


class FlipClock:
    """Wraps the window: notes when each frame is flipped."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.flips_s: list[float] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.window, name)

    def flip(self) -> None:
        self.window.flip()
        self.flips_s.append(time.perf_counter())


def test_a_frame_drawn_ahead_is_flipped_on_its_time_and_its_game_time_counts_to_it(shipped_app) -> None:
    cam = FakeCamera(10.0)
    app = shipped_app(cam)
    clock = FlipClock(app.window)
    app.window = clock  # type: ignore[assignment]
    scene = CountingScene(app)
    app.start(scene)
    cam.pose_ready = True
    assert app.frame()  # the first frame of a run also starts the scoring's warm-up: not timed
    assert app._present_s is None  # a new pose was there: shown at once, as usual
    cam.pose_ready = False
    assert app.frame()  # a new pose's first frame: the next one is drawn ahead
    first_s = clock.flips_s[-1]
    present_s = app._present_s
    assert present_s is not None and app._repeats == 1
    assert DT_S <= present_s - first_s < 1.5 * DT_S  # one frame after the first
    updates = scene.updates
    assert app.frame()  # drawn at once...
    assert clock.flips_s[-1] >= present_s  # ...but shown on its time, not before
    assert scene.updates - updates == 1  # one frame of game time, though drawn a frame early
    assert app._present_s is None


def poses_every(app: App, cam: FakeCamera, there_when_shown: bool, n: int) -> int:
    """``n`` poses of a camera whose next pose is (or is not) there when the frame drawn ahead
    of it is shown; returns how many frames were drawn ahead."""
    ahead = 0
    for _ in range(n):
        cam.pose_ready = False
        if app._draw_next_ahead():
            ahead += 1
            cam.pose_ready = there_when_shown
            app._check_ahead()  # the frame drawn ahead is shown
        cam.pose_ready = True  # the next pose
        now = time.perf_counter()
        app._show_new_pose_early(now - DT_S, now + 0.001, DT_S)
    return ahead


def test_the_loop_that_starts_out_drawing_ahead_for_a_60_fps_camera_soon_stops(shipped_app) -> None:
    cam = FakeCamera(10.0)
    app = shipped_app(cam)  # it assumes 30 Hz poses until it knows
    ahead = poses_every(app, cam, there_when_shown=True, n=30)
    assert 1 <= ahead <= 8  # a pose already there when each was shown: one frame per pose
    assert app._frames_per_pose < 1.1
    assert not app._draw_next_ahead()


def test_30_hz_poses_keep_the_frame_drawn_ahead(shipped_app) -> None:
    cam = FakeCamera(10.0)
    app = shipped_app(cam)
    assert poses_every(app, cam, there_when_shown=False, n=20) == 20
    assert app._frames_per_pose == pytest.approx(2.0)
