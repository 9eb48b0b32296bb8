"""Mirror compositing: left and right are right in the picture and the landmarks, the seam is
feathered, the midline follows a lean, and each mode draws what it should."""

from __future__ import annotations

import cv2
import numpy as np
import pygame
import pytest

from game.mirror import display_pose
from game.render.camera_view import (
    draw_mirror,
    draw_picture,
    feather_mask,
    mirror_picture,
    reflection_matrix,
    status_message,
)
from game.render.viewport import Viewport
from game.tracking import pose as P
from game.tracking.pose import Picture, SourceStatus

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


@pytest.fixture()
def surface() -> pygame.Surface:
    pygame.display.init()
    return pygame.Surface((W, H))


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
def test_affected_side_shows_the_unaffected_side(side: str, colour: tuple, surface) -> None:
    out = mirror_picture(halves(), upright_pose(), side)  # type: ignore[arg-type]
    # Away from the seam every pixel is the unaffected side's colour.
    assert np.all(out[:, : W // 2 - 30] == colour) and np.all(out[:, W // 2 + 30 :] == colour)
    # The display flips: the patient's left (raw right) appears on the screen's left.
    raw = halves()
    raw[:, W // 2 :] = GREEN  # mark the patient's left side
    draw_picture(surface, raw, Viewport((W, H), (0, 0, W, H)))
    assert tuple(surface.get_at((10, H // 2)))[:3] == (0, 255, 0)


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
    from game.render.camera_view import _affected_midline

    line = _affected_midline(lm, "left", (W, H))
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


def test_picture_and_landmarks_agree_on_screen(surface) -> None:
    """A green blob on the good (right) hand shows up where the mirrored left hand is drawn."""
    lm = upright_pose()
    bgr = np.full((H, W, 3), 90, np.uint8)
    wx, wy = (lm[P.R_WRIST, :2] * [W, H]).astype(int)
    cv2.circle(bgr, (int(wx), int(wy)), 8, GREEN, -1)
    vp = Viewport((W, H), (0, 0, W, H))
    shown = display_pose(lm, "left", (W, H))
    draw_mirror(surface, "video", Picture(1, 0.0, bgr), lm, shown, "left", vp)
    sx, sy = vp.to_screen(shown[P.L_WRIST, :2])
    assert tuple(surface.get_at((int(round(sx)), int(round(sy)))))[:3] == (0, 255, 0)
    # And it is on the screen's left half: the patient's left side in a mirror.
    assert sx < W / 2


def test_modes_draw_picture_or_avatar(surface) -> None:
    lm = upright_pose()
    vp = Viewport((W, H), (0, 0, W, H))
    pic = Picture(1, 0.0, halves())
    shown = display_pose(lm, "left", (W, H))
    surface.fill((0, 0, 0))
    draw_mirror(surface, "avatar", pic, lm, shown, "left", vp)
    assert tuple(surface.get_at((5, 5)))[:3] == (0, 0, 0)  # no picture in avatar mode
    draw_mirror(surface, "shared", pic, lm, shown, "left", vp)
    # shared: plain mirrored picture (patient's left = raw blue half on the screen's left)
    assert tuple(surface.get_at((5, 5)))[:3] == (0, 0, 255)
    surface.fill((0, 0, 0))
    draw_mirror(surface, "video", None, None, shown, "left", vp)  # no pixels: avatar
    assert pygame.transform.average_color(surface)[:3] != (0, 0, 0)


def test_status_messages() -> None:
    assert "reconnecting" in (status_message(SourceStatus.DEVICE_LOST) or "")
    assert status_message(SourceStatus.OK) is None
