"""The half-face mirror's geometry on a picture where the answer is exact: a real face's
landmarks (game/tracking/face_mesh.py) placed symmetric about the column x = 200 of a random
picture, so the reflection of pixel (x, y) is pixel (400 - x, y)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.mirror import face as M
from game.tracking.face_mesh import MIDLINE, NEUTRAL_MM, PARTNER

N = np.asarray(NEUTRAL_MM, dtype=np.float64)
W, H = 400, 300


def face_at(roll_deg: float = 0.0, yaw_deg: float = 0.0, px_per_mm: float = 1.2) -> np.ndarray:
    """``(478, 4)`` normalised landmarks: the face centred on x = 200 px, turned and tilted."""
    y, r = math.radians(yaw_deg), math.radians(roll_deg)
    x3 = N[:, 0] * math.cos(y) - N[:, 2] * math.sin(y)
    z3 = N[:, 0] * math.sin(y) + N[:, 2] * math.cos(y)
    u = 200.0 + px_per_mm * (x3 * math.cos(r) - N[:, 1] * math.sin(r))
    v = 110.0 + px_per_mm * (x3 * math.sin(r) + N[:, 1] * math.cos(r))
    out = np.ones((478, 4))
    out[:, 0], out[:, 1], out[:, 2] = u / W, v / H, px_per_mm * z3 / W
    return out


@pytest.fixture(scope="module")
def picture() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (H, W, 3), dtype=np.uint8)


@pytest.mark.parametrize("weak", ["left", "right"])
def test_the_weak_half_is_the_exact_reflection_and_the_rest_is_untouched(picture, weak: str) -> None:
    out = M.half_face_mirror(picture, face_at(), weak)  # type: ignore[arg-type]
    assert out.weight == 1.0 and out.midline is not None and not out.turned
    assert out.midline.point[0] == pytest.approx(200.0) and abs(out.midline.direction[0]) < 1e-9
    changed = np.any(out.bgr != picture, axis=2)
    cols = np.flatnonzero(changed.any(axis=0))
    # The person's left is the picture's larger x (raw camera picture).
    healthy = slice(0, 201) if weak == "left" else slice(200, W)
    assert not changed[:, healthy].any(), "a pixel of the healthy half changed"
    assert cols.size > 40  # the mirror did reach into the weak half
    mirrored = out.bgr.astype(int)
    inner = (slice(140, 200), slice(215, 250) if weak == "left" else slice(150, 185))  # deep inside
    src_cols = 400 - np.arange(W)[inner[1]]
    assert np.array_equal(mirrored[inner], picture[inner[0]][:, src_cols].astype(int))
    assert not changed[:15].any() and not changed[-15:].any()  # far from the face: untouched


def test_landmarks_of_the_weak_half_become_the_reflected_healthy_ones() -> None:
    px = face_at(roll_deg=25.0)[:, :2] * [W, H]
    moved = px.copy()
    moved[291] += [6.0, -9.0]  # the left mouth corner smiles, the right does not
    line = M.face_midline_px(moved)
    assert line is not None
    shown = M.mirror_face_landmarks(moved, "right", line)
    partner = np.asarray(PARTNER)
    assert np.allclose(shown[M.RIGHT_HALF], M.reflect_px(moved[partner[M.RIGHT_HALF]], line))
    assert np.array_equal(shown[M.LEFT_HALF], moved[M.LEFT_HALF])
    assert np.allclose((shown[list(MIDLINE)] - line.point) @ line.normal, 0.0, atol=1e-9)
    # the shown face is symmetric: its right corner smiles like the left one
    assert np.allclose(M.reflect_px(shown[61], line), shown[291])


def test_the_midline_follows_the_tilt_and_ignores_a_deviating_mouth() -> None:
    for roll in (-35.0, 0.0, 20.0):
        px = face_at(roll_deg=roll)[:, :2] * [W, H]
        px[[13, 14, 15, 16, 17, 18, 200, 199, 175, 152]] += [9.0, 0.0]  # lower lip and chin pulled aside
        line = M.face_midline_px(px)
        assert line is not None
        tilt = math.degrees(math.atan2(-line.direction[0], line.direction[1]))  # from straight down
        assert tilt == pytest.approx(roll, abs=1.0)
        assert line.normal @ (px[263] - line.point) > 0  # the normal points into the left half


def test_a_turned_head_fades_the_mirror_out_and_asks_to_face_the_camera(picture) -> None:
    assert M.mirror_weight(10.0) == 1.0 and M.mirror_weight(-20.0) == pytest.approx(0.5)
    assert M.mirror_weight(30.0) == 0.0 and M.mirror_weight(float("nan")) == 0.0
    half = M.half_face_mirror(picture, face_at(yaw_deg=20.0), "left")
    assert half.turned and half.weight == pytest.approx(0.5, abs=0.05)
    away = M.half_face_mirror(picture, face_at(yaw_deg=-30.0), "left")
    assert away.bgr is picture and away.weight == 0.0 and away.turned
    missing = M.half_face_mirror(picture, np.full((478, 4), np.nan), "left")
    assert missing.bgr is picture and missing.midline is None


def test_bad_input_is_named(picture) -> None:
    with pytest.raises(ValueError, match="weak_side"):
        M.half_face_mirror(picture, face_at(), "middle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="uint8"):
        M.half_face_mirror(picture.astype(np.float32), face_at(), "left")
    with pytest.raises(ValueError, match="478"):
        M.face_midline_px(np.zeros((468, 2)))
