"""Marching level type: stepping in place to a beat (game/leveltypes/march/)."""

from game.leveltypes.march import draw, metrics, simulate
from game.leveltypes.march.exercise import MarchExercise, MarchParams
from game.leveltypes.registry import LevelType, SettingLink


def _cadence(speed: float, params: MarchParams, frame_size: tuple[int, int]) -> float:
    """The therapist's (or the staircase's) speed scales the beat (1 = the level's own)."""
    return min(max(params.cadence_spm * float(speed), 30.0), 120.0)


LEVEL_TYPE = LevelType(
    name="march",
    params=MarchParams,
    exercise=MarchExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("speed_scale",),
    settings={"speed_scale": SettingLink("cadence_spm", _cadence)},
    icons=draw.ICONS,
    balance=True,
    standing=True,
)
