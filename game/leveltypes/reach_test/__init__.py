"""Functional reach, a guided standard test (game/leveltypes/reach_test/)."""

from game.leveltypes.guided import PATIENT_LINKS
from game.leveltypes.reach_test import draw, metrics, simulate
from game.leveltypes.reach_test.exercise import ReachTest, ReachTestParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="reach_test",
    params=ReachTestParams,
    exercise=ReachTest,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    settings=PATIENT_LINKS,
    icons=draw.ICONS,
    balance=True,
    standing=True,
)
