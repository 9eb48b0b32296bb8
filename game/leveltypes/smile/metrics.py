"""What a smile is scored on (game.leveltypes.facial.expression_metrics, docs/metrics.md): each
mouth corner's movement from rest at the fullest smile, in mm (Jorge et al. 2012; iris-scaled
as in the SMILE system, Bray et al. 2010), and their symmetry."""

from __future__ import annotations

from game.leveltypes.facial import SYMMETRY_GOAL_PCT, expression_metrics
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import face as FM
from game.scoring.grades import HIGHER

GRADED = {"success_rate": (HIGHER, 1.0), "smile_symmetry_pct": (HIGHER, 2.0)}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL, "smile_symmetry_pct": SYMMETRY_GOAL_PCT}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one smile."""
    return expression_metrics(rep, "smile", FM.corner_excursion_mm)
