"""Lower-limb angles and postures (game.scoring.lower_limb): closed forms, signs, both views."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from game.scoring.lower_limb import (
    ankle_dorsiflexion_deg,
    hands_on_thighs,
    heel_rise_m,
    hip_height_shanks,
    knee_flexion_deg,
    knee_valgus_deg,
    lateral_shift_m,
    mean_knee_flexion_deg,
    trunk_flexion_deg,
    trunk_forward_lean_deg,
)
from game.tracking import pose as P
from game.tracking.motor import Motor, Posture
from game.tracking.simulated import MILD, SimulatedPatient
from tests.legs import scripted


def _leg_pose(knee_deg: float) -> np.ndarray:
    """Both legs with the shank vertical and the thigh ``knee_deg`` from vertical (forward);
    hips at x = +-0.1, shanks 0.4 m, thighs 0.45 m (world, y down, z away)."""
    p = np.zeros((33, 3))
    a = math.radians(knee_deg)
    for hip, knee, ankle, heel, toe, x in ((23, 25, 27, 29, 31, 0.1), (24, 26, 28, 30, 32, -0.1)):
        p[hip] = [x, 0.0, 0.0]
        p[knee] = [x, 0.45 * math.cos(a), -0.45 * math.sin(a)]
        p[ankle] = p[knee] + [0.0, 0.4, 0.0]
        p[heel] = p[ankle] + [0.0, 0.0, 0.05]
        p[toe] = p[ankle] + [0.0, 0.0, -0.15]
    p[11], p[12] = [0.18, -0.5, 0.0], [-0.18, -0.5, 0.0]
    return p


def test_knee_flexion_closed_forms_and_missing_points() -> None:
    for deg in (0.0, 30.0, 90.0, 120.0):
        p = _leg_pose(deg)
        assert knee_flexion_deg(p, "left") == pytest.approx(deg, abs=1e-9)
        assert mean_knee_flexion_deg(p) == pytest.approx(deg, abs=1e-9)
    p = _leg_pose(60.0)
    p[P.R_ANKLE] = np.nan
    assert math.isnan(float(knee_flexion_deg(p, "right")))
    assert mean_knee_flexion_deg(p) == pytest.approx(60.0)  # the leg still seen
    assert knee_flexion_deg(np.stack([_leg_pose(10.0), _leg_pose(80.0)]), "left") == pytest.approx(
        [10.0, 80.0]
    )


def test_hip_height_in_shank_lengths_standing_and_seated() -> None:
    standing, seated = _leg_pose(0.0), _leg_pose(90.0)
    assert hip_height_shanks(standing) == pytest.approx(0.85 / 0.4)
    assert hip_height_shanks(seated) == pytest.approx(1.0)
    # the same from the picture, in pixels of any scale (a side view: z becomes image x)
    side = standing[:, [2, 1]] * 500.0
    assert hip_height_shanks(side) == pytest.approx(0.85 / 0.4)


def test_trunk_flexion_reads_the_same_from_the_front_and_the_side() -> None:
    p = _leg_pose(0.0)
    lean = math.radians(30.0)
    for i, x in ((11, 0.18), (12, -0.18)):
        p[i] = [x, -0.5 * math.cos(lean), -0.5 * math.sin(lean)]
    assert trunk_flexion_deg(p) == pytest.approx(30.0)
    yawed = p[:, [2, 1, 0]]  # a side view: forward is across
    assert trunk_flexion_deg(yawed) == pytest.approx(30.0)


def test_knee_valgus_sign_follows_the_person_not_the_picture() -> None:
    """A left knee 3 cm towards the other hip is valgus (> 0) in the raw and the flipped picture;
    pushed outwards it is varus (< 0). Closed form: 2 * atan(0.03 / 0.45) for a knee halfway."""
    img = np.zeros((33, 2))
    img[P.L_HIP], img[P.R_HIP] = [0.6, 0.0], [0.4, 0.0]
    img[P.L_ANKLE], img[P.R_ANKLE] = [0.6, 0.9], [0.4, 0.9]
    img[P.L_KNEE], img[P.R_KNEE] = [0.57, 0.45], [0.4, 0.45]
    want = math.degrees(2 * math.atan(0.03 / 0.45))
    assert knee_valgus_deg(img, "left") == pytest.approx(want)
    flipped = img * [-1.0, 1.0]
    assert knee_valgus_deg(flipped, "left") == pytest.approx(want)
    img[P.L_KNEE] = [0.63, 0.45]
    assert knee_valgus_deg(img, "left") == pytest.approx(-want)
    assert knee_valgus_deg(img, "right") == pytest.approx(0.0, abs=1e-9)


def test_ankle_heel_shift_and_hands() -> None:
    p = _leg_pose(0.0)
    assert ankle_dorsiflexion_deg(p, "left") == pytest.approx(0.0, abs=1e-9)
    up = math.radians(20.0)
    p[P.L_FOOT] = p[P.L_ANKLE] + [0.0, -0.15 * math.sin(up), -0.15 * math.cos(up)]
    p[P.L_HEEL] = p[P.L_ANKLE] + [0.0, 0.05 * math.sin(up), 0.05 * math.cos(up)]
    assert ankle_dorsiflexion_deg(p, "left") == pytest.approx(20.0)
    q = _leg_pose(0.0)
    q[P.L_HEEL, 1] -= 0.04  # heel 4 cm up
    assert heel_rise_m(q, "left") - heel_rise_m(_leg_pose(0.0), "left") == pytest.approx(0.04)
    q[11:13, 0] += 0.05  # shoulders 5 cm to the person's left
    assert lateral_shift_m(q) == pytest.approx(0.05)
    q[P.L_WRIST] = q[P.L_KNEE] * 0.5 + [0.05, 0.0, 0.0]  # resting on the left thigh
    q[P.R_WRIST] = [-0.2, -0.45, -0.1]  # at the chest
    assert bool(hands_on_thighs(q, ("left",))) and not bool(hands_on_thighs(q, ("right",)))


@pytest.mark.parametrize("yaw", [0.0, 45.0, 90.0])
def test_the_simulated_patient_sits_and_stands_in_every_view(yaw: float) -> None:
    """Seated knees near 87.5 deg and hips near 1.2 shank lengths; standing near 4 deg and 2.0,
    from the world landmarks and from the picture alike."""
    clip = scripted(
        replace(MILD, view_yaw_deg=yaw),
        [(0.0, Posture(back_m=1.0)), (3.0, Posture(stand=True, back_m=1.0))],
        7.0,
    )
    seated, standing = slice(50, 80), slice(-40, None)
    w, px = clip.world_seen, clip.image_px
    assert np.median(mean_knee_flexion_deg(w[seated])) == pytest.approx(87.5, abs=4.0)
    assert np.median(mean_knee_flexion_deg(w[standing])) == pytest.approx(4.0, abs=4.0)
    for pts in (w, px):
        assert 1.0 < np.median(hip_height_shanks(pts[seated])) < 1.45
        assert np.median(hip_height_shanks(pts[standing])) > 1.85


def test_a_patient_who_starts_standing_has_the_feet_in_the_picture() -> None:
    """A standing level's patient starts stepped back: heels and toes seen from the first frame,
    hips above the knees (a seated start at the seated place would put the feet off the bottom)."""
    clip = scripted(replace(MILD, standing=True), [], 0.5)
    feet = clip.image_px[0, [P.L_HEEL, P.R_HEEL, P.L_FOOT, P.R_FOOT]]
    assert np.all(np.isfinite(feet))
    assert np.all(feet[:, 1] < clip.frame_size[1])
    assert np.median(hip_height_shanks(clip.world_seen[:5])) > 1.85


def test_a_patient_who_starts_standing_stays_standing_for_a_lean_or_a_reach() -> None:
    """A command without a Posture (a weight-shift lean, an arm reach) keeps the starting
    posture: a standing patient does not sit down when a balance level starts (it did, and the
    standing boat-steer then scored one failed gate instead of four)."""
    sim = SimulatedPatient(replace(MILD, standing=True), seed=0)
    knees = []
    for i, goal in enumerate([None, Motor(lean_deg=(6.0, 0.0)), Motor(hand_xy=(0.6, 0.4))]):
        sim.set_goal(goal)
        for k in range(90):
            frame = sim.poll(3.0 * i + k / 30.0)
            assert frame is not None
            knees.append(float(mean_knee_flexion_deg(frame.world[None, :, :3].astype(float))[0]))
    assert max(knees) < 15.0


@pytest.mark.parametrize("yaw_deg", [0.0, 45.0, 90.0, 180.0])
@pytest.mark.parametrize("lean_deg", [-20.0, 0.0, 30.0])
def test_forward_lean_is_signed_by_the_thighs_and_reads_the_same_from_any_side(
    yaw_deg: float, lean_deg: float
) -> None:
    """Seated (thighs horizontal, pointing -z), the trunk tilted ``lean_deg`` towards the knees
    (negative: reclined), the whole body turned ``yaw_deg`` about the vertical: the forward lean
    is ``lean_deg`` (closed form), while the unsigned tilt cannot tell leaning back from forward."""
    p = _leg_pose(90.0)
    a = math.radians(lean_deg)
    for i, x in ((11, 0.18), (12, -0.18)):
        p[i] = [x, -0.5 * math.cos(a), -0.5 * math.sin(a)]
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    turned = p.copy()
    turned[:, 0], turned[:, 2] = p[:, 0] * c + p[:, 2] * s, -p[:, 0] * s + p[:, 2] * c
    assert float(trunk_forward_lean_deg(turned)) == pytest.approx(lean_deg, abs=1e-9)
    assert float(trunk_flexion_deg(turned)) == pytest.approx(abs(lean_deg), abs=1e-9)


def test_forward_lean_is_undefined_with_the_thighs_vertical() -> None:
    """Standing straight the thighs give no forward direction: NaN, not a guess."""
    assert math.isnan(float(trunk_forward_lean_deg(_leg_pose(0.0))))
