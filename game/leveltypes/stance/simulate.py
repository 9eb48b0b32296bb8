"""What the simulated patient does in a stance level: stand still, lifting a foot on one-leg holds."""

from __future__ import annotations

from game.leveltypes.simulate import hand_motor
from game.leveltypes.stance.exercise import LiftFoot
from game.tracking.motor import Motor


def motor(goal: object) -> Motor:
    """A foot lift for a one-leg hold; rest otherwise."""
    if isinstance(goal, LiftFoot):
        return Motor(foot_xy=goal.xy)
    return hand_motor(goal)
