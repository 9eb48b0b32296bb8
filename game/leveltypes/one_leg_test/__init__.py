"""Single-leg stance, eyes open, a guided standard test (game/leveltypes/one_leg_test/)."""

from game.leveltypes.guided_type import guided_test_type
from game.leveltypes.one_leg_test import metrics, simulate
from game.leveltypes.one_leg_test.exercise import OneLegParams, OneLegTest

LEVEL_TYPE = guided_test_type("one_leg_test", OneLegParams, OneLegTest, metrics, simulate.motor)
