"""The simulated patient's fingers: hands only when asked for, on the pose's wrists, on the
person's own sides, doing the asked shape with the affected hand's impairment."""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring import hand as SH
from game.tracking import hands as H
from game.tracking import sim_hands as S
from game.tracking.motor import Fingers, Motor
from game.tracking.pose import L_WRIST, R_WRIST, PoseFrame
from game.tracking.simulated import MILD, MODERATE, PatientModel, SimulatedPatient

HANDS = frozenset({"body", "hands"})


def run(model: PatientModel, motor: Motor, seconds: float, seed: int = 1, parts=HANDS) -> list[PoseFrame]:
    sim = SimulatedPatient(model, seed=seed)
    sim.request_parts(parts)
    sim.set_goal(motor)
    frames = [sim.poll(i / model.fps_hz) for i in range(int(seconds * model.fps_hz))]
    return [f for f in frames if f is not None]


def test_hands_only_when_asked_for_and_on_the_pose_wrists() -> None:
    body = run(MILD, Motor(), 0.5, parts=frozenset({"body"}))
    assert all(f.left_hand is None and f.parts == frozenset({"body"}) for f in body)
    frames = run(MILD, Motor(fingers=Fingers(curl=(0, 0, 0, 0, 0))), 1.0)
    for f in frames:
        assert f.parts == HANDS
        for side, wrist in (("left", L_WRIST), ("right", R_WRIST)):
            hand = f.hand(side)
            assert hand is not None and hand.shape == (21, 4) and hand.dtype == np.float32
            assert np.linalg.norm(hand[H.WRIST, :2] - f.image[wrist, :2]) < 0.004  # within 5 px
            world = f.hand_world(side)
            assert float(np.linalg.norm(world[:, :3].mean(axis=0))) < 1e-6  # about its centre
            assert 0.085 < float(SH.palm_length(world)) < 0.105


def test_each_hand_is_found_on_its_own_side_by_the_trackers_side_assignment() -> None:
    """The side-assignment of the real tracker (pose wrists first) gives each simulated hand
    back its own side, even with MediaPipe's label deliberately wrong."""
    f = run(MILD, Motor(fingers=Fingers(curl=(0, 0, 0, 0, 0))), 0.5)[-1]
    found = [H.DetectedHand(f.hand(s), f.hand_world(s), s, 0.9) for s in ("left", "right")]  # labels wrong
    sides = H.assign_sides(found, f.image, (1280, 720))
    assert sides["left"] is found[0] and sides["right"] is found[1]


def test_a_hand_held_up_palm_forward_has_its_thumb_towards_the_midline() -> None:
    """As on the real close-up (tests/data/README.md): a right hand shown palm to the camera
    has its thumb at the picture's right (larger raw x), a left hand at its left."""
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "right")
    right = S.hand_points(S.shape_vector(Fingers(curl=(0, 0, 0, 0, 0))), np.zeros(3), frame)
    assert right[H.THUMB_TIP, 0] > right[H.PINKY_TIP, 0]  # world x = raw image x direction
    left_frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "left")
    left = S.hand_points(S.shape_vector(Fingers(curl=(0, 0, 0, 0, 0))), np.zeros(3), left_frame)
    assert left[H.THUMB_TIP, 0] < left[H.PINKY_TIP, 0]


def test_the_asked_flexion_is_what_the_unaffected_hand_shows() -> None:
    exact = PatientModel(fingers=S.FingerModel(noise_m=0.0, tremor_deg=0.0))
    f = run(exact, Motor(fingers=Fingers(curl=(1, 1, 1, 1, 1))), 2.0)[-1]
    good = SH.finger_flexion_deg(f.hand_world("right"))  # the model's affected side is left
    for finger in ("index", "middle", "ring", "pinky"):
        for joint, want in zip(("mcp", "pip", "dip"), S.FIST_DEG, strict=True):
            assert good[f"{finger}_{joint}"] == pytest.approx(want, abs=0.01)
    affected = SH.finger_flexion_deg(f.hand_world("left"))
    rest = S.shape_vector(S.RELAXED)[1]
    want_pip = S.FIST_DEG[1] * (rest + exact.fingers.range * (1 - rest))
    assert affected["index_pip"] == pytest.approx(want_pip, abs=0.5)


def tapping(model: PatientModel, side: str) -> dict[str, float]:
    frames = run(model, Motor(fingers=Fingers(tap=side)), 5.0)  # type: ignore[arg-type]
    t = np.array([f.t_s for f in frames])
    gap = np.array([float(SH.pinch_aperture_norm(f.hand_world(side))) for f in frames])
    return SH.tapping_metrics(t, gap)


def test_the_moderate_affected_hand_taps_slower_smaller_and_fades_more() -> None:
    mild, moderate = tapping(MILD, "left"), tapping(MODERATE, "left")
    good = tapping(MODERATE, "right")
    assert good["tap_rate_hz"] == pytest.approx(MILD.fingers.tap_rate_hz, rel=0.1)
    assert good["tap_count"] > mild["tap_count"] > moderate["tap_count"] >= 4
    assert mild["tap_rate_hz"] > moderate["tap_rate_hz"]
    assert mild["tap_amplitude_norm"] > moderate["tap_amplitude_norm"]
    assert moderate["tap_amplitude_decrement_pct"] > good["tap_amplitude_decrement_pct"] + 10


def test_individuation_is_worse_with_more_coupling() -> None:
    def index_of(model: PatientModel, side: str) -> float:
        sim = SimulatedPatient(model, seed=3)
        sim.request_parts(HANDS)
        rows = []
        for i in range(90):
            if i == 10:
                sim.set_goal(Motor(fingers=Fingers(curl=(0.1, 0.1, 0.9, 0.1, 0.1))))
            f = sim.poll(i / 30)
            total = SH.total_flexion_deg(f.hand_world(side))
            rows.append([float(total[k]) for k in SH.LONG_FINGERS])
        return SH.individuation_index(np.array(rows), 1)

    healthy, mild, moderate = index_of(MILD, "right"), index_of(MILD, "left"), index_of(MODERATE, "left")
    assert healthy > 0.85 and healthy > mild > moderate
    assert moderate < 0.75
