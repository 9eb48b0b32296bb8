"""Sit-to-stand level type: stand up from the chair and sit down again (game/leveltypes/sit_to_stand/)."""

from game.leveltypes.registry import LevelType, SettingLink
from game.leveltypes.sit_to_stand import draw, metrics, simulate
from game.leveltypes.sit_to_stand.exercise import SitToStandExercise, SitToStandParams


def _time_limit(speed: float, params: SitToStandParams, frame_size: tuple[int, int]) -> float:
    """The therapist's (or the staircase's) speed: a faster speed leaves less time per stand."""
    return params.time_limit_s / max(float(speed), 0.05)


LEVEL_TYPE = LevelType(
    name="sit_to_stand",
    params=SitToStandParams,
    exercise=SitToStandExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("speed_scale",),
    settings={"speed_scale": SettingLink("time_limit_s", _time_limit)},
    icons=draw.ICONS,
    balance=True,
    standing=True,
)
