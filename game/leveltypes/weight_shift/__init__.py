"""Weight-shift level type: steer a boat between buoys by leaning (game/leveltypes/weight_shift/)."""

from game.leveltypes.registry import LevelType, SettingLink
from game.leveltypes.weight_shift import draw, metrics, simulate
from game.leveltypes.weight_shift.exercise import WeightShiftExercise, WeightShiftParams


def _excursion(fraction: float, params: WeightShiftParams, frame_size: tuple[int, int]) -> float:
    """The therapist's balance zone (a fraction of the limits of stability) as % LOS."""
    return 100.0 * fraction


LEVEL_TYPE = LevelType(
    name="weight_shift",
    params=WeightShiftParams,
    exercise=WeightShiftExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("balance_zone_fraction",),
    settings={"balance_zone_fraction": SettingLink("excursion_pct", _excursion)},
    icons=draw.ICONS,
    balance=True,
    pain_region="body",  # the trunk: neither an arm nor the legs
)
