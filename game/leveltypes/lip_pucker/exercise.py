"""Lip-pucker level type (facial palsy): purse the lips as for a kiss and hold, in the half-face
mirror.

Each rep: "Pucker your lips!"; each mouth corner moves towards the middle, measured from the
face at rest in the face's own frame (game.scoring.face.pucker_excursion_mm). The rep is a
success when the weak side reaches ``goal_mm`` and stays there for ``dwell_s`` (the adaptive
parameter) within ``time_limit_s`` (game.leveltypes.facial.ExpressionExercise).
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
class LipPuckerParams:
    """Parameters of a lip pucker level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 30, help="puckers")
    goal_mm: float = param(
        2.0, 0.5, 15.0, "mm", "mouth-corner travel towards the middle asked of the weak side"
    )
    dwell_s: float = param(1.0, 0.3, 8.0, "s", "hold the pucker")
    time_limit_s: float = param(6.0, 2.0, 30.0, "s", "per rep")


class LipPuckerExercise(ExpressionExercise):
    """A running lip pucker level."""

    EXPRESSION = "pucker"
    GOAL_PARAM = "goal_mm"
    UNIT = "mm"

    def measure(self, coords: np.ndarray, rest: np.ndarray) -> Mapping[str, np.ndarray]:
        return FM.pucker_excursion_mm(coords, rest)

    def cue(self) -> str:
        return _("Pucker your lips!")
