"""Grasp and release level type: open the hand fully, squeeze the fruit, let go
(game/leveltypes/grasp/)."""

from game.leveltypes.grasp import draw, metrics
from game.leveltypes.grasp.exercise import GraspExercise, GraspParams
from game.leveltypes.hand_common import HANDS_PARTS, hand_motor
from game.leveltypes.registry import LevelType, SettingLink


def _closure(value: float, params: GraspParams, frame_size: tuple[int, int]) -> float:
    """The patient's hand-closure setting is the fraction of a full fist asked."""
    return float(value)


LEVEL_TYPE = LevelType(
    name="grasp",
    params=GraspParams,
    exercise=GraspExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("hand_closure",),
    settings={"hand_closure": SettingLink("closure", _closure)},
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
