"""Lip-pucker level type (facial palsy) (game/leveltypes/lip_pucker/)."""

from game.leveltypes.facial import expression_motor
from game.leveltypes.lip_pucker import draw, metrics
from game.leveltypes.lip_pucker.exercise import LipPuckerExercise, LipPuckerParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="lip_pucker",
    params=LipPuckerParams,
    exercise=LipPuckerExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=expression_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=frozenset({"body", "face"}),
)
