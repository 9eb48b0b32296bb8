"""The mirror transform on constructed poses: true reflections, involution, sides, untouched rest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.mirror import blend_arm, mirror_pose
from game.tracking import pose as P

FRAME = (1280, 720)


def _pose_px(tilt_deg: float = 0.0, hips: bool = True, seed: int = 0) -> np.ndarray:
    """A frontal pose built in pixels around a midline tilted by ``tilt_deg``, as normalised."""
    rng = np.random.default_rng(seed)
    lm = np.zeros((33, 4))
    lm[:, 3] = 0.99
    a = math.radians(tilt_deg)
    down = np.array([math.sin(a), math.cos(a)])  # along the body, towards the hips
    across = np.array([math.cos(a), -math.sin(a)])  # towards the patient's left (image right)
    centre = np.array([640.0, 300.0])
    for idx, (u, v) in {
        P.L_SHOULDER: (90, 0),
        P.R_SHOULDER: (-90, 0),
        P.L_HIP: (60, 240),
        P.R_HIP: (-60, 240),
        P.NOSE: (0, -110),
    }.items():
        lm[idx, :2] = centre + u * across + v * down
    for idx in range(33):
        if idx not in (P.L_SHOULDER, P.R_SHOULDER, P.L_HIP, P.R_HIP, P.NOSE):
            lm[idx, :2] = centre + rng.uniform(-250, 250) * across + rng.uniform(-150, 300) * down
            lm[idx, 2] = rng.uniform(-0.3, 0.3)
    if not hips:
        lm[[P.L_HIP, P.R_HIP], 3] = 0.1
    lm[:, :2] /= np.array(FRAME)
    return lm


def _reflect_px(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Reference reflection of point p across the line through a and b (pixels)."""
    d = (b - a) / np.linalg.norm(b - a)
    rel = p - a
    return a + 2 * np.dot(rel, d) * d - rel


@pytest.mark.parametrize("tilt_deg", [0.0, 12.0, -20.0])
@pytest.mark.parametrize("side", ["left", "right"])
def test_image_reflection_across_tilted_midline_is_geometric_in_pixels(tilt_deg: float, side: str) -> None:
    lm = _pose_px(tilt_deg)
    out = mirror_pose(lm, side, FRAME)
    px = lm[:, :2] * FRAME
    mid_sh = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER])
    mid_hip = 0.5 * (px[P.L_HIP] + px[P.R_HIP])
    dst, src = (P.LEFT_ARM, P.RIGHT_ARM) if side == "left" else (P.RIGHT_ARM, P.LEFT_ARM)
    for d, s in zip(dst, src, strict=True):
        want = _reflect_px(px[s], mid_sh, mid_hip)
        np.testing.assert_allclose(out[d, :2] * FRAME, want, atol=1e-6)
        np.testing.assert_allclose(out[d, 2:], lm[s, 2:])
    # The shoulders are on the midline's two sides: each shoulder maps onto the other.
    sh_dst = P.L_SHOULDER if side == "left" else P.R_SHOULDER
    sh_src = P.R_SHOULDER if side == "left" else P.L_SHOULDER
    np.testing.assert_allclose(out[sh_dst, :2], lm[sh_dst, :2], atol=1e-9)
    assert not np.allclose(out[sh_dst, :2], lm[sh_src, :2])


def test_reflection_is_not_done_in_normalised_units() -> None:
    """A 16:9 frame: reflecting normalised coordinates would be wrong for a tilted patient."""
    lm = _pose_px(25.0)
    out = mirror_pose(lm, "left", FRAME)
    naive = mirror_pose(lm, "left", (1, 1))
    assert np.max(np.abs(out[P.L_WRIST, :2] - naive[P.L_WRIST, :2])) > 1e-3


def test_without_hips_uses_perpendicular_bisector_of_shoulders() -> None:
    lm = _pose_px(10.0, hips=False)
    lm[[P.L_HIP, P.R_HIP], :2] += 0.2  # garbage hips must be ignored
    out = mirror_pose(lm, "right", FRAME)
    px = lm[:, :2] * FRAME
    m = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER])
    n = px[P.L_SHOULDER] - px[P.R_SHOULDER]
    n /= np.linalg.norm(n)
    p = px[P.L_WRIST]
    want = p - 2 * np.dot(p - m, n) * n
    np.testing.assert_allclose(out[P.R_WRIST, :2] * FRAME, want, atol=1e-6)


@pytest.mark.parametrize("side", ["left", "right"])
def test_applying_twice_gives_the_unaffected_arm_back(side: str) -> None:
    lm = _pose_px(15.0, seed=3)
    once = mirror_pose(lm, side, FRAME)
    other = "right" if side == "left" else "left"
    twice = mirror_pose(once, other, FRAME)
    keep = list(P.arm_indices(other))
    np.testing.assert_allclose(twice[keep], lm[keep], atol=1e-9)


def test_non_arm_landmarks_untouched_and_input_not_modified() -> None:
    lm = _pose_px(5.0, seed=4)
    before = lm.copy()
    out = mirror_pose(lm, "left", FRAME)
    arm = set(P.LEFT_ARM)
    rest = [i for i in range(33) if i not in arm]
    np.testing.assert_array_equal(out[rest], lm[rest])
    np.testing.assert_array_equal(lm, before)


def test_left_and_right_are_the_patients_sides() -> None:
    """Affected left: the left arm rows change, the right arm rows do not (and vice versa)."""
    lm = _pose_px(0.0, seed=5)
    out_left = mirror_pose(lm, "left", FRAME)
    assert not np.allclose(out_left[list(P.LEFT_ARM)], lm[list(P.LEFT_ARM)])
    np.testing.assert_array_equal(out_left[list(P.RIGHT_ARM)], lm[list(P.RIGHT_ARM)])
    # On a frontal, upright pose the mirrored left wrist lies on the left of the raw midline
    # exactly as far as the right wrist lies on the right (raw x of the patient's left is larger).
    mid_x = 0.5 * (lm[P.L_SHOULDER, 0] + lm[P.R_SHOULDER, 0])
    assert math.isclose(out_left[P.L_WRIST, 0] - mid_x, mid_x - lm[P.R_WRIST, 0], abs_tol=1e-9)
    assert math.isclose(out_left[P.L_WRIST, 1], lm[P.R_WRIST, 1], abs_tol=1e-9)


def _world_pose(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = np.zeros((33, 4))
    w[:, :3] = rng.normal(0, 0.3, (33, 3))
    w[:, 3] = 0.9
    w[P.L_HIP, :3], w[P.R_HIP, :3] = [0.1, 0, 0.02], [-0.1, 0, -0.02]
    w[P.L_SHOULDER, :3], w[P.R_SHOULDER, :3] = [0.2, -0.5, 0.05], [-0.18, -0.48, -0.04]
    return w


def test_world_reflection_across_sagittal_plane() -> None:
    w = _world_pose(1)
    out = mirror_pose(w, "left")
    xyz = w[:, :3]
    m_sh = 0.5 * (xyz[P.L_SHOULDER] + xyz[P.R_SHOULDER])
    m_hip = 0.5 * (xyz[P.L_HIP] + xyz[P.R_HIP])
    axis = (m_sh - m_hip) / np.linalg.norm(m_sh - m_hip)
    n = xyz[P.L_SHOULDER] - xyz[P.R_SHOULDER]
    n -= np.dot(n, axis) * axis
    n /= np.linalg.norm(n)
    for d, s in zip(P.LEFT_ARM, P.RIGHT_ARM, strict=True):
        p = xyz[s]
        want = p - 2 * np.dot(p - m_sh, n) * n
        np.testing.assert_allclose(out[d, :3], want, atol=1e-9)
        # distance to the plane flips sign, distance along the trunk axis is kept
        assert math.isclose(np.dot(out[d, :3] - m_sh, n), -np.dot(p - m_sh, n), abs_tol=1e-9)
    twice = mirror_pose(out, "right")
    np.testing.assert_allclose(twice[list(P.RIGHT_ARM)], w[list(P.RIGHT_ARM)], atol=1e-9)


def test_batched_equals_per_frame() -> None:
    batch = np.stack([_pose_px(t, seed=i) for i, t in enumerate((0.0, 8.0, -14.0))])
    out = mirror_pose(batch, "right", FRAME)
    for i in range(3):
        np.testing.assert_allclose(out[i], mirror_pose(batch[i], "right", FRAME))


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(ValueError, match="landmarks"):
        mirror_pose(np.zeros((32, 4)), "left", FRAME)
    with pytest.raises(ValueError, match="affected_side"):
        mirror_pose(np.zeros((33, 4)), "up", FRAME)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="frame_size"):
        mirror_pose(_pose_px(), "left", (0, 720))


def test_shared_control_gain_blends_between_mirror_and_own_arm() -> None:
    lm = _pose_px(0.0, seed=7)
    mirrored = mirror_pose(lm, "left", FRAME)
    idx = list(P.LEFT_ARM)
    np.testing.assert_allclose(blend_arm(lm, mirrored, "left", 0.0)[idx], mirrored[idx])
    np.testing.assert_allclose(blend_arm(lm, mirrored, "left", 1.0)[idx, :3], lm[idx, :3])
    half = blend_arm(lm, mirrored, "left", 0.5)
    np.testing.assert_allclose(half[idx, :3], 0.5 * (lm[idx, :3] + mirrored[idx, :3]))
    lm_lost = lm.copy()
    lm_lost[P.L_WRIST, 3] = 0.0  # own wrist not tracked: show the mirror there
    np.testing.assert_allclose(
        blend_arm(lm_lost, mirrored, "left", 1.0)[P.L_WRIST, :3], mirrored[P.L_WRIST, :3]
    )
    with pytest.raises(ValueError, match="gain"):
        blend_arm(lm, mirrored, "left", 1.5)
