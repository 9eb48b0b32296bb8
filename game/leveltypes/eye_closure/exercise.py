"""Eye-closure level type (facial palsy): close both eyes gently and hold, in the half-face
mirror.

Each rep: "Close your eyes gently"; each upper lid comes down, measured from the face at rest
in the face's own frame (game.scoring.face.eye_closure_pct). The rep is a success when the weak
side reaches ``goal_pct`` and stays there for ``dwell_s`` (the adaptive parameter) within
``time_limit_s`` (game.leveltypes.facial.ExpressionExercise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from game.i18n import _
from game.leveltypes.facial import ExpressionExercise
from game.leveltypes.params import param
from game.scoring import face as FM


@dataclass(frozen=True)
class EyeClosureParams:
    """Parameters of a eye closure level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 30, help="eye closures")
    goal_pct: float = param(
        50.0, 10.0, 100.0, "%", "closure of the weak eye asked for, % of its opening at rest"
    )
    dwell_s: float = param(1.0, 0.3, 8.0, "s", "keep the eyes closed")
    time_limit_s: float = param(6.0, 2.0, 30.0, "s", "per rep")


class EyeClosureExercise(ExpressionExercise):
    """A running eye closure level."""

    EXPRESSION = "eye_close"
    GOAL_PARAM = "goal_pct"
    UNIT = "pct"

    def measure(self, coords: np.ndarray, rest: np.ndarray) -> Mapping[str, np.ndarray]:
        return FM.eye_closure_pct(coords, rest)

    def cue(self) -> str:
        return _("Close your eyes gently")
