"""Smile level type (facial palsy) (game/leveltypes/smile/)."""

from game.leveltypes.facial import expression_motor
from game.leveltypes.registry import LevelType
from game.leveltypes.smile import draw, metrics
from game.leveltypes.smile.exercise import SmileExercise, SmileParams

LEVEL_TYPE = LevelType(
    name="smile",
    params=SmileParams,
    exercise=SmileExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=expression_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=frozenset({"body", "face"}),
)
