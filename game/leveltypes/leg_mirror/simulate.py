"""What the simulated patient does in a leg mirror level: move both legs as asked (the good one
fully, the affected one as its model allows), a little past the goal; sit and step back
otherwise."""

from __future__ import annotations

from game.leveltypes.leg_mirror.exercise import MoveLeg
from game.leveltypes.simulate_legs import leg_motor
from game.tracking.motor import Motor, Posture
from game.tracking.pose import Side
from game.tracking.sim_legs import SIT

BOTH: tuple[Side, Side] = ("left", "right")

MARGIN_DEG = 8.0


def motor(goal: object) -> Motor:
    if isinstance(goal, MoveLeg):
        if goal.movement == "knee":
            shank = SIT[0] - goal.knee_deg + MARGIN_DEG  # knee flexion = thigh - shank pitch
            return Motor(posture=Posture(lift=tuple((s, SIT[0], shank) for s in BOTH)))
        return Motor(posture=Posture(ankle=tuple((s, goal.ankle_deg + MARGIN_DEG) for s in BOTH)))
    return leg_motor(goal)
