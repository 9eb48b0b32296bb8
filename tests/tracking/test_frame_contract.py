"""The tracked frame: body always, hands and face optional, and the source capability Protocols."""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking.live import GameClockVideo, WallClock, record
from game.tracking.pose import (
    BODY_ONLY,
    MISSING_FACE,
    MISSING_HAND,
    ClockedSource,
    PartsSelectable,
    PoseFrame,
    WaitableSource,
    empty_landmarks,
    forward_parts,
    found,
    parts_of,
    wall_clocked,
)
from game.tracking.recorder import Recording, RecordingSource
from game.tracking.replay import ReplaySource
from game.tracking.simulated import SimulatedPatient
from game.tracking.smoothing import PoseSmoother

ALL = frozenset({"body", "hands", "face"})


def body(seed: int = 0) -> np.ndarray:
    arr = np.random.default_rng(seed).random((33, 4)).astype(np.float32)
    arr[:, 3] = 0.9
    return arr


def hand(seed: int = 1) -> np.ndarray:
    arr = np.random.default_rng(seed).random((21, 4)).astype(np.float32)
    arr[:, 3] = 0.95
    return arr


def test_three_argument_frame_is_body_only_and_allocates_nothing_more() -> None:
    frame = PoseFrame(1.0, body(), body(1))
    assert frame.parts == BODY_ONLY
    assert frame.left_hand is frame.right_hand is frame.face is None
    assert frame.left_hand_world is frame.right_hand_world is None
    assert frame.hand("left") is None and not frame.hand_found("right") and not frame.face_found


def test_tracked_but_missing_parts_share_read_only_nan_constants() -> None:
    a, b = PoseFrame.missing(0.0, ALL), PoseFrame.missing(1.0, ALL)
    assert a.parts == ALL
    assert a.left_hand is b.right_hand_world is MISSING_HAND  # one array for every frame
    assert a.face is b.face is MISSING_FACE
    assert MISSING_HAND.shape == (21, 4) and MISSING_FACE.shape == (478, 4)
    for arr in (MISSING_HAND, MISSING_FACE):
        assert np.isnan(arr[:, :3]).all() and (arr[:, 3] == 0).all()
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0, 0] = 1.0
    assert not found(a.left_hand) and not a.face_found
    assert PoseFrame.missing(0.0).parts == BODY_ONLY  # the old call still means body only


def test_hands_carry_the_persons_sides() -> None:
    left, right = hand(1), hand(2)
    frame = PoseFrame(0.0, body(), body(), left, left + 1, right, right + 1)
    assert frame.parts == frozenset({"body", "hands"})
    assert frame.hand("left") is left and frame.hand("right") is right
    np.testing.assert_array_equal(frame.hand_world("right"), right + 1)
    assert frame.hand_found("left") and frame.hand_found("right")
    with pytest.raises(ValueError, match="side"):
        frame.hand("middle")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"left_hand": np.zeros((20, 4), np.float32)}, r"left_hand must have shape \(21, 4\)"),
        ({"face": np.zeros((468, 4), np.float32)}, r"face must have shape \(478, 4\)"),
        ({"left_hand": MISSING_HAND, "right_hand": MISSING_HAND, "right_hand_world": MISSING_HAND}, "both"),
        ({"left_hand": MISSING_HAND, "left_hand_world": MISSING_HAND}, "tracked together"),
    ],
)
def test_malformed_parts_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PoseFrame(0.0, body(), body(), **kwargs)


def test_restamped_keeps_hands_and_face_without_copying() -> None:
    face = np.zeros((478, 4), np.float32)
    frame = PoseFrame(5.0, body(), body(), hand(), hand(), MISSING_HAND, MISSING_HAND, face)
    moved = frame.restamped(7.5)
    assert moved.t_s == 7.5 and moved.face is face and moved.left_hand is frame.left_hand
    assert moved.parts == frame.parts


def test_parts_requests_are_validated_and_always_track_the_body() -> None:
    assert parts_of({"hands"}) == frozenset({"body", "hands"})
    assert parts_of(frozenset()) == BODY_ONLY
    with pytest.raises(ValueError, match="unknown part.*feet"):
        parts_of({"hands", "feet"})
    with pytest.raises(TypeError, match="set of part names"):
        parts_of("hands")


def test_smoothing_passes_hands_and_face_through() -> None:
    frame = PoseFrame(0.0, body(), body(), hand(), hand(), hand(3), hand(3), MISSING_FACE)
    out = PoseSmoother()(frame)
    assert out.left_hand is frame.left_hand and out.face is MISSING_FACE


class _Parts:
    """A stand-in for a camera: records the parts it was asked for, waits for poses."""

    name = "fake camera"

    def __init__(self) -> None:
        self.requests: list[frozenset[str]] = []

    def request_parts(self, parts: frozenset[str]) -> None:
        self.requests.append(parts)

    def wait_new(self, timeout_s: float) -> bool:
        return False

    def poll(self, now_s: float) -> PoseFrame | None:
        return None

    def picture(self) -> None:
        return None

    def status(self):  # noqa: ANN201
        return None

    def close(self) -> None:
        pass


def test_wrappers_pass_parts_requests_on(tmp_path) -> None:
    cam = _Parts()
    wrapped = record(WallClock(cam), tmp_path / "r.npz")  # type: ignore[arg-type]
    assert isinstance(wrapped, PartsSelectable)
    wrapped.request_parts(frozenset({"body", "hands"}))
    RecordingSource(cam, tmp_path / "s.npz").request_parts(frozenset({"body", "face"}))  # type: ignore[arg-type]
    assert cam.requests == [frozenset({"body", "hands"}), frozenset({"body", "face"})]


def test_sources_without_models_ignore_parts_requests() -> None:
    sim = SimulatedPatient()
    replay = ReplaySource(Recording(np.zeros(1), body()[None], body()[None]))
    assert not isinstance(replay, PartsSelectable)
    forward_parts(replay, frozenset({"body", "hands"}))  # no error, nothing to do
    # the simulated patient has fingers (game/tracking/sim_hands.py): it makes hands on request
    assert isinstance(sim, PartsSelectable)
    forward_parts(WallClock(sim), frozenset({"body", "face"}))  # a wrapper of one: no error
    frame = sim.poll(0.0)
    assert frame is not None and frame.parts == frozenset({"body"})  # no face model: body only


def test_capability_protocols_replace_attribute_probing() -> None:
    sim = SimulatedPatient()
    assert not isinstance(sim, WaitableSource)
    assert isinstance(WallClock(sim), WaitableSource) and isinstance(WallClock(sim), ClockedSource)
    assert wall_clocked(WallClock(sim)) and not wall_clocked(sim)
    assert not wall_clocked(GameClockVideo(sim, 30.0))
    assert wall_clocked(record(WallClock(sim), "x.npz"))
    assert isinstance(_Parts(), WaitableSource) and not isinstance(_Parts(), ClockedSource)


def test_empty_landmarks_of_any_length() -> None:
    arr = empty_landmarks(21)
    assert arr.shape == (21, 4) and arr.flags.writeable and np.isnan(arr[:, :3]).all()
