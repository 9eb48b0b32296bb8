"""Five-times sit-to-stand, a guided standard test (game/leveltypes/five_sts/)."""

from game.leveltypes.five_sts import metrics
from game.leveltypes.five_sts.exercise import FiveStsParams, FiveStsTest
from game.leveltypes.guided import PATIENT_LINKS
from game.leveltypes.registry import LevelType
from game.leveltypes.sit_to_stand import simulate
from game.render.leg_views import draw_guided

LEVEL_TYPE = LevelType(
    name="five_sts",
    params=FiveStsParams,
    exercise=FiveStsTest,
    draw=draw_guided,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    settings=PATIENT_LINKS,
    balance=True,
    standing=True,
)
