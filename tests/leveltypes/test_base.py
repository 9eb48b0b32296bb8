"""Shared level-type machinery: the body a level places its targets from."""

from __future__ import annotations

import numpy as np

from game.leveltypes.base import Body, body_for_level, hand_xy
from game.scoring.kinematics import hand_point
from game.tracking.simulated import SimulatedPatient


def test_calibrated_body_keeps_its_arm_length() -> None:
    frame = SimulatedPatient().poll(0.0)
    assert frame is not None
    cal = Body((0.0, 0.0), 400.0, 100.0, (0.0, 0.0), 0.61)
    live = body_for_level(None, frame, "left", (1280, 720))
    both = body_for_level(cal, frame, "left", (1280, 720))
    assert both.shoulder_px == live.shoulder_px and both.arm_px == 400.0 and both.arm_m == 0.61


def test_levels_use_the_one_hand_point() -> None:
    # Levels, the cursor, the scoring and the simulated patient share one hand point: the
    # centroid of wrist, index and pinky (formerly the mean of wrist and index here).
    rng = np.random.default_rng(0)
    image = rng.uniform(0.2, 0.8, (5, 33, 4))
    for side in ("left", "right"):
        np.testing.assert_allclose(hand_xy(image, side), hand_point(image[..., :2], side))
