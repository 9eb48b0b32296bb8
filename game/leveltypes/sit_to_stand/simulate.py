"""What the simulated patient does in a sit-to-stand level: stand up and sit down with the arms
as asked (pushing on the thighs if its model says so); the shared leg goals otherwise."""

from __future__ import annotations

from game.leveltypes.simulate_legs import leg_motor
from game.leveltypes.sit_to_stand.exercise import SitDown, StandUp
from game.tracking.motor import Motor, Posture


def motor(goal: object) -> Motor:
    """Stand up or sit down; sit, stand or step back for the shared goals."""
    if isinstance(goal, StandUp):
        return Motor(posture=Posture(stand=True, arms=goal.arms))
    if isinstance(goal, SitDown):
        return Motor(posture=Posture(arms=goal.arms))
    return leg_motor(goal)
