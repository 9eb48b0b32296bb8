"""What the simulated patient does in a mouth-opening level: its jaw follows the target."""

from __future__ import annotations

from game.leveltypes.mouth_opening.exercise import MouthOpen
from game.leveltypes.simulate import hand_motor
from game.tracking.motor import Motor


def motor(goal: object) -> Motor:
    """The jaw to the target opening; rest otherwise."""
    if isinstance(goal, MouthOpen):
        return Motor(face={"jaw_open_mm": goal.target_mm})
    return hand_motor(goal)
