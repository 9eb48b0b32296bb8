"""The video mirror picture: left and right are right, the seam is feathered, the midline
follows a lean and matches a full-frame reference built from the published reflection."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from game.mirror.picture import affected_midline, feather_mask, mirror_picture, reflection_matrix
from game.tracking import pose as P

W, H = 320, 240
RED, BLUE, GREEN = (0, 0, 255), (255, 0, 0), (0, 255, 0)  # BGR


def upright_pose(mid_x: float = 0.5, hip_shift: float = 0.0) -> np.ndarray:
    """Patient facing the camera: their left shoulder at the larger raw x (pose.py)."""
    lm = np.zeros((33, 4), np.float32)
    lm[:, 3] = 1.0
    lm[:, :2] = [mid_x, 0.5]
    lm[P.L_SHOULDER, :2] = [mid_x + 0.15, 0.35]
    lm[P.R_SHOULDER, :2] = [mid_x - 0.15, 0.35]
    lm[P.L_HIP, :2] = [mid_x + 0.1 + hip_shift, 0.85]
    lm[P.R_HIP, :2] = [mid_x - 0.1 + hip_shift, 0.85]
    lm[P.R_ELBOW, :2] = [mid_x - 0.25, 0.5]
    lm[P.R_WRIST, :2] = [mid_x - 0.3, 0.3]
    lm[P.L_ELBOW, :2] = [mid_x + 0.2, 0.6]
    lm[P.L_WRIST, :2] = [mid_x + 0.2, 0.8]
    return lm


def halves() -> np.ndarray:
    """Raw picture: red where raw x < W/2 (the patient's right side), blue on the other."""
    bgr = np.zeros((H, W, 3), np.uint8)
    bgr[:, : W // 2] = RED
    bgr[:, W // 2 :] = BLUE
    return bgr


def test_reflection_matrix_is_an_involution_across_the_line() -> None:
    m = reflection_matrix(np.array([10.0, 5.0]), np.array([0.6, 0.8]))
    pts = np.array([[3.0, 4.0, 1.0], [10.0, 5.0, 1.0]])
    once = pts @ m.T
    twice = np.c_[once, np.ones(2)] @ m.T
    assert np.allclose(twice, pts[:, :2])
    assert np.allclose(once[1], [10.0, 5.0])  # points on the line stay put
    mid = 0.5 * (once[0] + pts[0, :2])
    assert abs((mid - [10.0, 5.0]) @ [0.6, 0.8]) < 1e-9  # midpoint lies on the line


@pytest.mark.parametrize(("side", "colour"), [("left", RED), ("right", BLUE)])
def test_affected_side_shows_the_unaffected_side(side: str, colour: tuple) -> None:
    out = mirror_picture(halves(), upright_pose(), side)  # type: ignore[arg-type]
    # Away from the seam every pixel is the unaffected side's colour.
    assert np.all(out[:, : W // 2 - 30] == colour) and np.all(out[:, W // 2 + 30 :] == colour)


def test_seam_is_feathered_not_a_hard_edge() -> None:
    out = mirror_picture(halves(), upright_pose(), "left").astype(int)
    row = out[H // 2, :, 2]  # red channel across the seam
    assert row[W // 2 - 40] == 255 and row[W // 2 + 40] == 255
    bgr_row = halves()[H // 2, :, 2].astype(int)
    changed = np.flatnonzero(row != bgr_row)
    # Pixels between the two pure colours exist (a ramp), centred on the midline.
    blended = np.flatnonzero((out[H // 2, :, 0] > 10) & (out[H // 2, :, 0] < 245))
    assert blended.size >= 5 and changed.size > 0
    assert abs(blended.mean() - W / 2) < 3


def test_midline_follows_a_lean_and_matches_the_full_frame_reference() -> None:
    rng = np.random.default_rng(0)
    bgr = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    bgr = cv2.GaussianBlur(bgr, (0, 0), 3)
    lm = upright_pose(0.5, hip_shift=0.12)  # leaning: the midline is tilted
    line = affected_midline(lm, "left", (W, H))
    assert line is not None
    point, normal, width = line
    assert abs(normal[1]) > 0.1  # tilted normal
    ref = cv2.warpAffine(
        bgr, reflection_matrix(point, normal), (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    a = feather_mask((W, H), point, normal, 0.15 * width)
    expected = cv2.blendLinear(ref, bgr, a, 1.0 - a)
    got = mirror_picture(bgr, lm, "left")
    assert np.abs(got.astype(int) - expected).max() <= 6


def test_no_shoulders_leaves_the_picture_alone() -> None:
    lm = upright_pose()
    lm[P.L_SHOULDER, 3] = 0.0
    bgr = halves()
    assert mirror_picture(bgr, lm, "left") is bgr
