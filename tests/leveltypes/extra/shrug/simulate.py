"""What the simulated patient does in a shrug level: both shoulders (and the arms hanging from
them) move up, with the generic landmark-offset motor primitive."""

from __future__ import annotations

from game.leveltypes.simulate import hand_motor
from game.tracking.motor import Motor
from game.tracking.pose import LEFT_ARM, RIGHT_ARM
from tests.leveltypes.extra.shrug.exercise import Shrug


def motor(goal: object) -> Motor:
    """Shoulder girdle up by the asked rise plus a margin (world y is down); rest otherwise."""
    if isinstance(goal, Shrug):
        up = (0.0, -1.3 * goal.lift_m, 0.0)
        return Motor(landmarks_m={i: up for i in LEFT_ARM + RIGHT_ARM})
    return hand_motor(goal)
