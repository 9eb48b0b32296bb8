"""What the simulated patient does in the functional reach test: raise the good arm forward to
shoulder height (fist) and, when asked, lean forward as far as it can (less with a shallower
model); stand, sit, step back otherwise."""

from __future__ import annotations

from game.leveltypes.reach_test.exercise import RaiseArm
from game.leveltypes.simulate_legs import leg_motor
from game.tracking.motor import Motor, Posture

LEAN_DEG = 30.0
"""Forward trunk lean of a full reach (about 25 cm of reach for a 0.5 m trunk)."""


def motor(goal: object) -> Motor:
    if isinstance(goal, RaiseArm):
        return Motor(posture=Posture(stand=True, arms="forward", trunk_deg=LEAN_DEG if goal.reach else 0.0))
    return leg_motor(goal)
