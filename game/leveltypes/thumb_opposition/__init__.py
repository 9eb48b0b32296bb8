"""Thumb opposition level type: touch each fingertip with the thumb, in order
(game/leveltypes/thumb_opposition/)."""

from game.leveltypes.hand_common import HANDS_PARTS, hand_motor, time_for_speed
from game.leveltypes.registry import LevelType, SettingLink
from game.leveltypes.thumb_opposition import draw, metrics
from game.leveltypes.thumb_opposition.exercise import OppositionExercise, OppositionParams

LEVEL_TYPE = LevelType(
    name="thumb_opposition",
    params=OppositionParams,
    exercise=OppositionExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("speed_scale",),
    settings={"speed_scale": SettingLink("time_per_touch_s", time_for_speed("time_per_touch_s"))},
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
