"""What the simulated patient does in a weight-shift level: lean the trunk toward the gate."""

from __future__ import annotations

from game.leveltypes.simulate import hand_motor
from game.leveltypes.weight_shift.exercise import Lean
from game.tracking.motor import Motor


def motor(goal: object) -> Motor:
    """A trunk lean for a gate; rest otherwise."""
    if isinstance(goal, Lean):
        return Motor(lean_deg=goal.deg)
    return hand_motor(goal)
