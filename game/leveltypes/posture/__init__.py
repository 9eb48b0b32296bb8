"""Posture level type: sit tall with level shoulders during a light task (game/leveltypes/posture/)."""

from game.leveltypes.posture import draw, metrics
from game.leveltypes.posture.exercise import PostureExercise, PostureParams
from game.leveltypes.registry import LevelType
from game.leveltypes.simulate import hand_motor

LEVEL_TYPE = LevelType(
    name="posture",
    params=PostureParams,
    exercise=PostureExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    pain_region="body",  # the trunk: neither an arm nor the legs
)
