"""Finger tapping level type: thumb-index taps, big and fast, each hand in turn
(game/leveltypes/finger_tapping/)."""

from game.leveltypes.finger_tapping import draw, metrics
from game.leveltypes.finger_tapping.exercise import TappingExercise, TappingParams
from game.leveltypes.hand_common import HANDS_PARTS, hand_motor, time_for_speed
from game.leveltypes.registry import LevelType, SettingLink

LEVEL_TYPE = LevelType(
    name="finger_tapping",
    params=TappingParams,
    exercise=TappingExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("speed_scale",),
    settings={"speed_scale": SettingLink("time_limit_s", time_for_speed("time_limit_s"))},
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
