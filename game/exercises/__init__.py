"""Level TYPES (reach, trace, bilateral, weight shift, stance, position match, posture).

``LEVEL_TYPES`` maps the ``type`` of a level file to its parameter dataclass and its exercise
class; ``make_exercise`` builds a running exercise from a validated LevelSpec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.exercises.base import Exercise, ExerciseContext
from game.exercises.bilateral import BilateralExercise, BilateralParams
from game.exercises.position_match import PositionMatchExercise, PositionMatchParams
from game.exercises.posture import PostureExercise, PostureParams
from game.exercises.reach import ReachExercise, ReachParams
from game.exercises.stance import StanceExercise, StanceParams
from game.exercises.trace import TraceExercise, TraceParams
from game.exercises.weight_shift import WeightShiftExercise, WeightShiftParams


@dataclass(frozen=True)
class LevelType:
    """A level type: its parameters, its exercise class, and what it trains."""

    params: type
    exercise: Any
    trains: str
    balance: bool = False
    """Balance levels ask first that a chair or rail be within reach."""


LEVEL_TYPES: dict[str, LevelType] = {
    "reach": LevelType(ReachParams, ReachExercise, "reaching"),
    "trace": LevelType(TraceParams, TraceExercise, "coordination"),
    "bilateral": LevelType(BilateralParams, BilateralExercise, "bilateral coordination"),
    "weight_shift": LevelType(WeightShiftParams, WeightShiftExercise, "balance", balance=True),
    "stance": LevelType(StanceParams, StanceExercise, "balance", balance=True),
    "position_match": LevelType(PositionMatchParams, PositionMatchExercise, "proprioception"),
    "posture": LevelType(PostureParams, PostureExercise, "postural control"),
}


def make_exercise(spec: Any, ctx: ExerciseContext) -> Exercise:
    """Instantiate the running exercise of a level spec."""
    exercise: Exercise = LEVEL_TYPES[spec.type].exercise(spec.params, ctx)
    return exercise
