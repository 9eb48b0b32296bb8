"""Mouth-opening level type (jaw, temporomandibular disorders): open along the midline to a
target that never passes the therapist's limit (game/leveltypes/mouth_opening/)."""

from game.leveltypes.mouth_opening import draw, metrics, simulate
from game.leveltypes.mouth_opening.exercise import MouthOpeningExercise, MouthOpeningParams
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="mouth_opening",
    params=MouthOpeningParams,
    exercise=MouthOpeningExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=simulate.motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=frozenset({"body", "face"}),
)
