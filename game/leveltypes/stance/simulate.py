"""What the simulated patient does in a stance level: stand up after the chair question and
stand still, lifting a foot on one-leg holds."""

from __future__ import annotations

from game.leveltypes.simulate_legs import leg_motor
from game.leveltypes.stance.exercise import LiftFoot, StandTall
from game.tracking.motor import Motor, Posture

STAND = Posture(stand=True)


def motor(goal: object) -> Motor:
    """Standing (with a foot lift on one-leg holds); seated rest before the chair question."""
    if isinstance(goal, LiftFoot):
        return Motor(foot_xy=goal.xy, posture=STAND)
    if isinstance(goal, StandTall):
        return Motor(posture=STAND)
    return leg_motor(goal)  # rest, or step back when the feet are out of view
