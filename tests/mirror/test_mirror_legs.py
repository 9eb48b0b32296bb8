"""The mirror for the legs (lower-limb mirror therapy): the affected leg's knee, ankle, heel and
foot become the reflection of the unaffected leg's, in the landmarks (avatar mode) and in the
camera picture (video mode, on a real frame of the squat clip); arms and hips stay put."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.mirror import display_pose, mirror_pose
from game.mirror.picture import affected_midline, mirror_picture, reflection_matrix
from game.mirror.transform import LEFT_LEG, RIGHT_LEG
from game.scoring.lower_limb import knee_flexion_deg
from game.tracking import pose as P
from game.tracking.motor import Posture
from game.tracking.simulated import MILD
from tests.legs import scripted
from tests.mirror.test_mirror import FRAME, _pose_px, _reflect_px, _world_pose
from tests.scoring.squat_landmarks import squat_landmarks

FRAME45 = Path(__file__).resolve().parents[1] / "data" / "squat_frame45.jpg"


@pytest.mark.parametrize("tilt_deg", [0.0, 12.0])
@pytest.mark.parametrize("side", ["left", "right"])
def test_leg_reflection_across_the_tilted_midline(tilt_deg: float, side: str) -> None:
    lm = _pose_px(tilt_deg, seed=11)
    out = mirror_pose(lm, side, FRAME, parts=("arm", "leg"))
    px = lm[:, :2] * FRAME
    mid_sh, mid_hip = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER]), 0.5 * (px[P.L_HIP] + px[P.R_HIP])
    dst, src = (LEFT_LEG, RIGHT_LEG) if side == "left" else (RIGHT_LEG, LEFT_LEG)
    for d, s in zip(dst, src, strict=True):
        np.testing.assert_allclose(out[d, :2] * FRAME, _reflect_px(px[s], mid_sh, mid_hip), atol=1e-6)
        np.testing.assert_allclose(out[d, 2:], lm[s, 2:])
    np.testing.assert_array_equal(out[[P.L_HIP, P.R_HIP]], lm[[P.L_HIP, P.R_HIP]])


def test_parts_choose_the_limbs_and_twice_gives_the_leg_back() -> None:
    lm = _pose_px(8.0, seed=12)
    arm_only = mirror_pose(lm, "left", FRAME)
    np.testing.assert_array_equal(arm_only[list(LEFT_LEG)], lm[list(LEFT_LEG)])  # legs untouched
    legs_only = mirror_pose(lm, "left", FRAME, parts=("leg",))
    np.testing.assert_array_equal(legs_only[list(P.LEFT_ARM)], lm[list(P.LEFT_ARM)])
    assert not np.allclose(legs_only[list(LEFT_LEG)], lm[list(LEFT_LEG)])
    twice = mirror_pose(legs_only, "right", FRAME, parts=("leg",))
    np.testing.assert_allclose(twice[list(RIGHT_LEG)], lm[list(RIGHT_LEG)], atol=1e-9)
    with pytest.raises(ValueError, match="parts"):
        mirror_pose(lm, "left", FRAME, parts=("tail",))
    shown = display_pose(lm, "left", FRAME, parts=("arm", "leg"))
    np.testing.assert_allclose(shown, mirror_pose(lm, "left", FRAME, parts=("arm", "leg")))


def test_world_legs_keep_their_lengths_and_the_mirrored_knee_bends_like_the_good_one() -> None:
    w = _world_pose(3)
    out = mirror_pose(w, "right", parts=("leg",))
    for (a, b), (c, d) in (
        ((P.R_KNEE, P.R_ANKLE), (P.L_KNEE, P.L_ANKLE)),
        ((P.R_ANKLE, P.R_FOOT), (P.L_ANKLE, P.L_FOOT)),
    ):
        assert np.linalg.norm(out[a, :3] - out[b, :3]) == pytest.approx(np.linalg.norm(w[c, :3] - w[d, :3]))
    # the simulated patient straightens the unaffected (right) knee, the affected left one barely
    model = replace(MILD, affected_side="left", leg_asymmetry=0.8)
    clip = scripted(model, [(0.5, Posture(lift=(("right", 87.5, 60.0), ("left", 87.5, 60.0))))], 3.0)
    world = clip.world[-1].astype(np.float64)
    shown = mirror_pose(world, "left", parts=("leg",))
    assert knee_flexion_deg(world[:, :3], "left") > knee_flexion_deg(world[:, :3], "right") + 30.0
    good = float(knee_flexion_deg(world[:, :3], "right"))
    assert knee_flexion_deg(shown[:, :3], "left") == pytest.approx(good, abs=0.5)  # hips: own noise


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_video_mirror_shows_the_good_leg_on_the_affected_side_of_a_real_frame(side: str) -> None:
    """Frame 45 of the squat clip (a real standing woman): after the video mirror, the picture
    around the affected knee and ankle is the reflection of the picture around the unaffected
    ones, and differs from what was there before."""
    bgr = cv2.imread(str(FRAME45))
    _, image, _, _ = squat_landmarks()
    lm = image[45].astype(np.float64)
    out = mirror_picture(bgr, lm, side)  # type: ignore[arg-type]
    h, w = bgr.shape[:2]
    point, normal, _ = affected_midline(lm, side, (w, h))  # type: ignore[arg-type]
    m = reflection_matrix(point, normal)
    good = (P.R_KNEE, P.R_ANKLE) if side == "left" else (P.L_KNEE, P.L_ANKLE)
    after, before = [], []
    for idx in good:
        x, y = lm[idx, :2] * (w, h)
        mx, my = (int(round(v)) for v in m @ np.array([x, y, 1.0]))
        want = bgr[int(y) - 6 : int(y) + 7, int(x) - 6 : int(x) + 7].astype(float)[:, ::-1]  # ~vertical line
        after.append(np.mean(np.abs(out[my - 6 : my + 7, mx - 6 : mx + 7].astype(float) - want)))
        before.append(np.mean(np.abs(bgr[my - 6 : my + 7, mx - 6 : mx + 7].astype(float) - want)))
    assert sum(after) < 0.6 * sum(before)  # the shoe and the knee band moved across
    assert after[1] < 25.0 < before[1]  # the white shoe on the grey floor
