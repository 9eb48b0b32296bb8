"""What the simulated patient does in the single-leg stance test: arms crossed, the free foot
lifted behind near the standing ankle (knee bent, thigh nearly vertical) until its balance runs
out (PatientModel.one_leg_s); stand, sit, step back otherwise."""

from __future__ import annotations

from game.leveltypes.one_leg_test.exercise import LiftFootBehind
from game.leveltypes.simulate_legs import leg_motor
from game.tracking.motor import Motor, Posture


def motor(goal: object) -> Motor:
    if isinstance(goal, LiftFootBehind):
        return Motor(posture=Posture(stand=True, arms="crossed", lift=((goal.free_side, 10.0, -60.0),)))
    return leg_motor(goal)
