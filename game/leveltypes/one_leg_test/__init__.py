"""Single-leg stance, eyes open, a guided standard test (game/leveltypes/one_leg_test/)."""

from game.leveltypes.guided import PATIENT_LINKS
from game.leveltypes.one_leg_test import metrics, simulate
from game.leveltypes.one_leg_test.exercise import OneLegParams, OneLegTest
from game.leveltypes.registry import LevelType
from game.render.leg_views import draw_guided

LEVEL_TYPE = LevelType(
    name="one_leg_test",
    params=OneLegParams,
    exercise=OneLegTest,
    draw=draw_guided,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    settings=PATIENT_LINKS,
    balance=True,
    standing=True,
)
