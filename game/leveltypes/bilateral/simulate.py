"""What the simulated patient does in a bilateral level: both hands to the shelf."""

from __future__ import annotations

from game.leveltypes.bilateral.exercise import Lift
from game.leveltypes.simulate import hand_motor
from game.tracking.motor import Motor


def motor(goal: object) -> Motor:
    """Both hands for a lift (the good one straight to its end of the shelf, the affected one
    attempting its own); rest otherwise."""
    if isinstance(goal, Lift):
        return Motor(hand_xy=goal.affected_xy, unaffected_xy=goal.unaffected_xy)
    return hand_motor(goal)
