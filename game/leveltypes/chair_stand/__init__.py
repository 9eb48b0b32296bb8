"""30-second chair stand, a guided standard test (game/leveltypes/chair_stand/)."""

from game.leveltypes.chair_stand import metrics
from game.leveltypes.chair_stand.exercise import ChairStandParams, ChairStandTest
from game.leveltypes.guided_type import guided_test_type
from game.leveltypes.sit_to_stand import simulate

LEVEL_TYPE = guided_test_type("chair_stand", ChairStandParams, ChairStandTest, metrics, simulate.motor)
