"""What an eye closure is scored on (game.leveltypes.facial.expression_metrics, docs/metrics.md):
each eye's closure at the fullest closure as a percentage of its opening at rest, and their
symmetry, with each upper lid's travel in mm at the same frame."""

from __future__ import annotations

from game.leveltypes.facial import SYMMETRY_GOAL_PCT, expression_metrics
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import face as FM
from game.scoring.grades import HIGHER

GRADED = {"success_rate": (HIGHER, 1.0), "eye_closure_symmetry_pct": (HIGHER, 2.0)}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL, "eye_closure_symmetry_pct": SYMMETRY_GOAL_PCT}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one eye closure: closure % per side and symmetry, and the lids' travel in mm at the
    same (fullest) frame (both measures peak together: the closure is the lid's travel over
    the opening at rest)."""
    out = expression_metrics(rep, "eye_closure", FM.eye_closure_pct, unit="pct")
    lids = expression_metrics(rep, "eyelid", FM.eyelid_excursion_mm)
    out.update({k: v for k, v in lids.items() if k in ("eyelid_left_mm", "eyelid_right_mm")})
    return out
