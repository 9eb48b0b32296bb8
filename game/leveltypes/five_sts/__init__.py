"""Five-times sit-to-stand, a guided standard test (game/leveltypes/five_sts/)."""

from game.leveltypes.five_sts import metrics
from game.leveltypes.five_sts.exercise import FiveStsParams, FiveStsTest
from game.leveltypes.guided_type import guided_test_type
from game.leveltypes.sit_to_stand import simulate

LEVEL_TYPE = guided_test_type("five_sts", FiveStsParams, FiveStsTest, metrics, simulate.motor)
