"""The mirror on screen: the display flips the raw picture, picture and landmarks agree, and
each mirror mode draws what it should."""

from __future__ import annotations

import cv2
import numpy as np
import pygame
import pytest

from game.mirror import display_pose
from game.mirror.picture import mirror_picture
from game.render import camera_view
from game.render.camera_view import draw_mirror, draw_picture, status_message
from game.render.viewport import Viewport
from game.tracking import pose as P
from game.tracking.pose import Picture, SourceStatus
from game.tracking.testimages import astronaut_frame
from tests.mirror.test_picture import GREEN, H, W, halves, upright_pose


@pytest.fixture()
def surface() -> pygame.Surface:
    pygame.display.init()
    return pygame.Surface((W, H))


def test_the_display_flips_the_raw_picture(surface) -> None:
    """The patient's left (raw right) appears on the screen's left, as in a mirror."""
    raw = halves()
    raw[:, W // 2 :] = GREEN  # mark the patient's left side
    draw_picture(surface, raw, Viewport((W, H), (0, 0, W, H)))
    assert tuple(surface.get_at((10, H // 2)))[:3] == (0, 255, 0)
    assert tuple(surface.get_at((W - 10, H // 2)))[:3] == (255, 0, 0)  # raw red (BGR) half on the right


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


def test_a_1080p_mirror_is_composited_at_screen_size_and_looks_the_same() -> None:
    """From a 1920x1080 picture the video mirror is made at the 1280x720 it is shown at (memory:
    no full-size copies); it matches the full-size composite fitted afterwards, seam included."""
    pygame.display.init()
    big = astronaut_frame(1920, 1080, shift_px=-90.0)  # a real photo: texture on both sides
    lm = upright_pose(mid_x=0.47, hip_shift=0.03)  # a slight lean: the midline is not vertical
    vp = Viewport((1920, 1080), (0, 0, 1280, 720))
    shown = display_pose(lm, "left", (1920, 1080))
    screen = pygame.Surface((1280, 720))
    draw_mirror(screen, "video", Picture(1, 0.0, big), lm, shown, "left", vp)
    full = pygame.Surface((1280, 720))
    draw_picture(full, mirror_picture(big, lm, "left"), vp)  # the old order: composite, then fit
    a = pygame.surfarray.array3d(screen).astype(int)
    b = pygame.surfarray.array3d(full).astype(int)
    plain = pygame.Surface((1280, 720))
    draw_picture(plain, big, vp)
    changed = np.abs(b - pygame.surfarray.array3d(plain).astype(int)).mean()
    assert changed > 10  # the mirror really replaced half the picture
    assert np.abs(a - b).mean() < 1.5  # same picture up to resampling
    assert np.percentile(np.abs(a - b), 99.5) < 40  # no shifted seam or misplaced half


def test_a_small_camera_is_mirrored_at_its_own_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 640x480 picture shown at 960x720 is mirrored before it is enlarged (2.25 times fewer
    pixels to reflect), so its mirror is exactly the old order's: composite, then fit."""
    pygame.display.init()
    sizes: list[tuple[int, ...]] = []
    real = camera_view.mirror_picture
    monkeypatch.setattr(
        camera_view, "mirror_picture", lambda bgr, *a: sizes.append(bgr.shape) or real(bgr, *a)
    )
    small = astronaut_frame(640, 480, shift_px=-30.0)
    lm = upright_pose(mid_x=0.47, hip_shift=0.03)
    vp = Viewport((640, 480), (160, 0, 960, 720))
    screen = pygame.Surface((1280, 720))
    draw_mirror(screen, "video", Picture(1, 0.0, small), lm, display_pose(lm, "left", (640, 480)), "left", vp)
    old = pygame.Surface((1280, 720))
    draw_picture(old, real(small, lm, "left"), vp)
    assert sizes == [(480, 640, 3)]
    assert np.array_equal(pygame.surfarray.array3d(screen), pygame.surfarray.array3d(old))


def test_status_messages() -> None:
    assert "reconnecting" in (status_message(SourceStatus.DEVICE_LOST) or "")
    assert status_message(SourceStatus.OK) is None
