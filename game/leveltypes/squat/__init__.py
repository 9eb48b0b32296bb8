"""Squat level type: bend the knees to a safe depth and stand up again (game/leveltypes/squat/)."""

from game.leveltypes.registry import LevelType, SettingLink
from game.leveltypes.squat import draw, metrics, simulate
from game.leveltypes.squat.exercise import SquatExercise, SquatParams


def _depth(value: float, params: SquatParams, frame_size: tuple[int, int]) -> float:
    """The therapist's (or the staircase's) squat depth, degrees of knee bend."""
    return float(value)


LEVEL_TYPE = LevelType(
    name="squat",
    params=SquatParams,
    exercise=SquatExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("squat_depth_deg",),
    settings={"squat_depth_deg": SettingLink("depth_deg", _depth)},
    icons=draw.ICONS,
    balance=True,
    standing=True,
)
