"""Trace level type: follow a moving target along a path (game/leveltypes/trace/)."""

from game.leveltypes.registry import LevelType, SettingLink
from game.leveltypes.simulate import hand_motor
from game.leveltypes.trace import draw, metrics
from game.leveltypes.trace.exercise import TraceExercise, TraceParams


def _speed(scale: float, params: TraceParams, frame_size: tuple[int, int]) -> float:
    """The therapist's speed setting scales the level's own target speed."""
    return params.speed_arm_s * scale


LEVEL_TYPE = LevelType(
    name="trace",
    params=TraceParams,
    exercise=TraceExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("speed_scale",),
    settings={"speed_scale": SettingLink("speed_arm_s", _speed)},
    icons=draw.ICONS,
)
