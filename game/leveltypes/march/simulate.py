"""What the simulated patient does in a marching level: lift the named knee (thigh up, shank
vertical) a little above the asked height; stand, sit, step back otherwise."""

from __future__ import annotations

import math

from game.leveltypes.march.exercise import THIGH_M, LiftKnee
from game.leveltypes.simulate_legs import leg_motor
from game.tracking.motor import Motor, Posture

MARGIN = 1.3
"""The simulated patient lifts this much more than asked (its model may make it less)."""


def motor(goal: object) -> Motor:
    if isinstance(goal, LiftKnee):
        thigh = math.degrees(math.acos(max(1.0 - MARGIN * goal.lift_m / THIGH_M, -1.0)))
        return Motor(posture=Posture(stand=True, lift=((goal.side, thigh, 0.0),)))
    return leg_motor(goal)
