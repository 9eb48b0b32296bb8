"""Stance level type: hold plan and foot detection."""

from __future__ import annotations

import numpy as np

from game.leveltypes.stance.exercise import feet_lifted, foot_lifted, hold_plan
from game.tracking import pose as P


def test_stance_hold_plan_and_foot_detection() -> None:
    assert hold_plan((3.0, 5.0), 4) == [3.0, 5.0, 5.0, 5.0]
    world = np.zeros((33, 4))
    world[P.L_ANKLE, 1], world[P.R_ANKLE, 1] = 0.88, 0.80  # right foot 8 cm up
    assert foot_lifted(world, "left") and not foot_lifted(world, "right")
    frames = np.stack([world, np.zeros((33, 4)), np.full((33, 4), np.nan)])
    assert feet_lifted(frames, "left").tolist() == [True, False, False]  # a lost ankle is down
