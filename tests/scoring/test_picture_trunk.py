"""Trunk compensation measured in the picture (game.scoring.compensation): closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.scoring.compensation import picture_trunk_displacement_mm, trunk_shift_mm


def _shoulders(xl: float, xr: float, y: float) -> np.ndarray:
    img = np.zeros((33, 4))
    img[11, :2], img[12, :2] = (xl / 1280, y / 720), (xr / 1280, y / 720)
    img[:, 3] = 1.0
    return img


def test_trunk_shift_from_the_picture_closed_form() -> None:
    a = _shoulders(800.0, 600.0, 300.0)  # 200 px shoulders = 0.38 m
    assert trunk_shift_mm(a, _shoulders(820.0, 620.0, 300.0), (1280, 720)) == pytest.approx(38.0)
    assert trunk_shift_mm(a, _shoulders(800.0, 600.0, 320.0), (1280, 720)) == pytest.approx(38.0)
    # leaning toward the camera: shoulders 200 → 210 px; distance f·S/w with f = 0.8 × 1280
    forward = 0.8 * 1280 * 0.38 * (1 / 200 - 1 / 210) * 1000
    assert trunk_shift_mm(a, _shoulders(805.0, 595.0, 300.0), (1280, 720)) == pytest.approx(forward)
    assert math.isnan(trunk_shift_mm(a, np.full((33, 4), np.nan), (1280, 720)))


def test_picture_trunk_displacement_is_the_largest_smoothed_shift() -> None:
    """A 20 px sideways step held for half the rep (200 px shoulders = 0.38 m): after the
    0.3 s moving mean the largest shift is the full 38 mm; before the step there is none."""
    t = np.arange(60) / 30.0
    poses = np.stack(
        [
            _shoulders(800.0 + (20.0 if k >= 30 else 0.0), 600.0 + (20.0 if k >= 30 else 0.0), 300.0)
            for k in range(60)
        ]
    )
    assert picture_trunk_displacement_mm(t, poses, (1280, 720)) == pytest.approx(38.0)
    assert picture_trunk_displacement_mm(t, poses, (1280, 720), live=slice(0, 20)) == pytest.approx(0.0)
    assert math.isnan(picture_trunk_displacement_mm(t, np.full((60, 33, 4), np.nan), (1280, 720)))
