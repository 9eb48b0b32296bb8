"""Bilateral level type: lift a tray with both hands and keep it level (game/leveltypes/bilateral/)."""

from game.leveltypes.bilateral import draw, metrics, simulate
from game.leveltypes.bilateral.exercise import BilateralExercise, BilateralParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="bilateral",
    params=BilateralParams,
    exercise=BilateralExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    icons=draw.ICONS,
)
