"""Position-match level type: see an arm position, find it again unseen (game/leveltypes/position_match/)."""

from game.leveltypes.position_match import draw, metrics
from game.leveltypes.position_match.exercise import PositionMatchExercise, PositionMatchParams
from game.leveltypes.registry import LevelType
from game.leveltypes.simulate import hand_motor

LEVEL_TYPE = LevelType(
    name="position_match",
    params=PositionMatchParams,
    exercise=PositionMatchExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    icons=draw.ICONS,
)
