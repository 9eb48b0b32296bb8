"""Leg mirror level type: seated lower-limb mirror therapy (game/leveltypes/leg_mirror/)."""

from game.leveltypes.leg_mirror import draw, metrics, simulate
from game.leveltypes.leg_mirror.exercise import LegMirrorExercise, LegMirrorParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="leg_mirror",
    params=LegMirrorParams,
    exercise=LegMirrorExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    mirrors=("arm", "leg"),
)
