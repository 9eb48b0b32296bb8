"""30-second chair stand, a guided standard test (game/leveltypes/chair_stand/)."""

from game.leveltypes.chair_stand import metrics
from game.leveltypes.chair_stand.exercise import ChairStandParams, ChairStandTest
from game.leveltypes.guided import PATIENT_LINKS
from game.leveltypes.registry import LevelType
from game.leveltypes.sit_to_stand import simulate
from game.render.leg_views import draw_guided

LEVEL_TYPE = LevelType(
    name="chair_stand",
    params=ChairStandParams,
    exercise=ChairStandTest,
    draw=draw_guided,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    settings=PATIENT_LINKS,
    balance=True,
    standing=True,
)
