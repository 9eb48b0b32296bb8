"""Reach level type: collect targets placed around the mirrored arm (game/leveltypes/reach/)."""

from game.leveltypes.reach import draw, metrics
from game.leveltypes.reach.exercise import ReachExercise, ReachParams
from game.leveltypes.registry import LevelType
from game.leveltypes.simulate import hand_motor

LEVEL_TYPE = LevelType(
    name="reach",
    params=ReachParams,
    exercise=ReachExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("target_reach_fraction",),
    compares_rom=True,
)
