"""What the simulated patient does for the goals every level type may use (rest, hand to a point).

A level type with goals of its own has a ``simulate.py`` in its folder that turns them into a
game.tracking.motor.Motor and falls back to :func:`hand_motor` for these.
"""

from __future__ import annotations

from game.leveltypes.base import HandTo
from game.tracking.motor import REST, Motor


def hand_motor(goal: object) -> Motor:
    """The motor command for a hand target (:class:`HandTo`); rest for anything else."""
    if isinstance(goal, HandTo):
        return Motor(hand_xy=goal.xy, hidden=goal.hidden)
    return REST
