"""Pinch and place level type: pick a small object between thumb and finger, drop it in the
basket (game/leveltypes/pinch_place/)."""

from game.leveltypes.hand_common import HANDS_PARTS, hand_motor
from game.leveltypes.pinch_place import draw, metrics
from game.leveltypes.pinch_place.exercise import PinchExercise, PinchParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="pinch_place",
    params=PinchParams,
    exercise=PinchExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("target_radius_norm",),
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
