"""What the simulated patient does in a weight-shift level: lean the trunk toward the gate."""

from __future__ import annotations

from game.leveltypes.simulate import hand_motor
from game.leveltypes.weight_shift.exercise import Lean
from game.tracking.motor import Motor

HIP_STRATEGY_GAIN = 3.0
"""The simulated patient leans at the hips only (its legs stay still): a trunk lean moves its
whole-body centre of gravity about a third as far (the trunk, head and arms are about two thirds
of the body mass, Winter 2009, and their centre sits low on the trunk), so it leans its trunk
three times the centre-of-gravity angle a standing gate asks for."""


def motor(goal: object) -> Motor:
    """A trunk lean for a gate; rest otherwise."""
    if isinstance(goal, Lean):
        gain = HIP_STRATEGY_GAIN if goal.standing else 1.0
        return Motor(lean_deg=(gain * goal.deg[0], gain * goal.deg[1]))
    return hand_motor(goal)
