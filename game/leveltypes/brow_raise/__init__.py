"""Eyebrow-raise level type (facial palsy) (game/leveltypes/brow_raise/)."""

from game.leveltypes.brow_raise import draw, metrics
from game.leveltypes.brow_raise.exercise import BrowRaiseExercise, BrowRaiseParams
from game.leveltypes.facial import expression_motor
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="brow_raise",
    params=BrowRaiseParams,
    exercise=BrowRaiseExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=expression_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=frozenset({"body", "face"}),
)
