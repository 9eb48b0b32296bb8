"""Stance level type: stand steady, on one leg if asked (game/leveltypes/stance/)."""

from game.leveltypes.registry import LevelType
from game.leveltypes.stance import draw, metrics, simulate
from game.leveltypes.stance.exercise import StanceExercise, StanceParams

LEVEL_TYPE = LevelType(
    name="stance",
    params=StanceParams,
    exercise=StanceExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    level_goals=metrics.level_goals,
    simulate=simulate.motor,
    icons=draw.ICONS,
    balance=True,
    standing=True,
)
