"""Finger tapping level type: thumb-index taps, big and fast, each hand in turn
(game/leveltypes/finger_tapping/)."""

from game.leveltypes.finger_tapping import draw, metrics
from game.leveltypes.finger_tapping.exercise import TappingExercise, TappingParams
from game.leveltypes.hand_common import HANDS_PARTS, hand_motor
from game.leveltypes.registry import LevelType, SettingLink


def _time_limit(scale: float, params: TappingParams, frame_size: tuple[int, int]) -> float:
    """A faster speed setting leaves less time for the taps."""
    return params.time_limit_s / max(scale, 0.1)


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
    settings={"speed_scale": SettingLink("time_limit_s", _time_limit)},
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
