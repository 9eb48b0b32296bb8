"""Eye-closure level type (facial palsy) (game/leveltypes/eye_closure/)."""

from game.leveltypes.eye_closure import draw, metrics
from game.leveltypes.eye_closure.exercise import EyeClosureExercise, EyeClosureParams
from game.leveltypes.facial import expression_motor
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="eye_closure",
    params=EyeClosureParams,
    exercise=EyeClosureExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=expression_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=frozenset({"body", "face"}),
)
