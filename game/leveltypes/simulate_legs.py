"""What the simulated patient does for the goals every leg level type shares (game/leveltypes/
standing.py): sit, stand, step back from the camera. A leg type's simulate.py handles its own
goals and falls back to :func:`leg_motor`."""

from __future__ import annotations

from game.leveltypes.simulate import hand_motor
from game.leveltypes.standing import SitStill, StandStill, StepBack
from game.tracking.motor import Motor, Posture
from game.tracking.sim_legs import WHOLE_BODY_BACK_M


def leg_motor(goal: object) -> Motor:
    """Sit, stand or step back; rest (the hand primitives) for anything else."""
    if isinstance(goal, StandStill):
        return Motor(posture=Posture(stand=True, arms=goal.arms))
    if isinstance(goal, SitStill):
        return Motor(posture=Posture(arms=goal.arms))
    if isinstance(goal, StepBack):
        return Motor(posture=Posture(stand=goal.stand, back_m=WHOLE_BODY_BACK_M))
    return hand_motor(goal)
