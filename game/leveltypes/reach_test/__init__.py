"""Functional reach, a guided standard test (game/leveltypes/reach_test/)."""

from game.leveltypes.guided_type import guided_test_type
from game.leveltypes.reach_test import draw, metrics, simulate
from game.leveltypes.reach_test.exercise import ReachTest, ReachTestParams

LEVEL_TYPE = guided_test_type(
    "reach_test", ReachTestParams, ReachTest, metrics, simulate.motor, draw=draw.draw, icons=draw.ICONS
)
