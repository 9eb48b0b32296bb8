"""What a lip pucker is scored on (game.leveltypes.facial.expression_metrics, docs/metrics.md):
each mouth corner's travel towards the midline at the fullest pucker, in mm, and their
symmetry."""

from __future__ import annotations

from game.leveltypes.facial import SYMMETRY_GOAL_PCT, expression_metrics
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import face as FM
from game.scoring.grades import HIGHER

GRADED = {"success_rate": (HIGHER, 1.0), "pucker_symmetry_pct": (HIGHER, 2.0)}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL, "pucker_symmetry_pct": SYMMETRY_GOAL_PCT}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one lip pucker."""
    return expression_metrics(rep, "pucker", FM.pucker_excursion_mm)
