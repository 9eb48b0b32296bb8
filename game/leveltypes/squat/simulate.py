"""What the simulated patient does in a squat level: bend the knees a little past the goal (its
model may make it shallower), stand, sit, step back."""

from __future__ import annotations

from game.leveltypes.simulate_legs import leg_motor
from game.leveltypes.squat.exercise import SquatDown
from game.tracking.motor import Motor, Posture

MARGIN_DEG = 8.0
"""The simulated patient aims this far past the goal (people overshoot a little)."""


def motor(goal: object) -> Motor:
    if isinstance(goal, SquatDown):
        return Motor(posture=Posture(stand=True, knee_deg=goal.knee_deg + MARGIN_DEG))
    return leg_motor(goal)
