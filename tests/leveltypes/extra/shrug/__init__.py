"""Shrug level type (a test fixture, not shipped): raise both shoulders and lower them again.

The proof of the level-type layout: a new movement added as one folder plus a level file.
"""

from game.leveltypes.registry import LevelType
from tests.leveltypes.extra.shrug import draw, metrics, simulate
from tests.leveltypes.extra.shrug.exercise import ShrugExercise, ShrugParams

LEVEL_TYPE = LevelType(
    name="shrug",
    params=ShrugParams,
    exercise=ShrugExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    icons=draw.ICONS,
)
