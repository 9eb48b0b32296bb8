"""What a shrug is scored on, computed from its recorded frames: how far each shoulder rose
above its hip (game.scoring.shoulder_hiking_mm) and how evenly (game.scoring.symmetry_index_pct)."""

from __future__ import annotations

import numpy as np

from game.leveltypes.measure import RepData
from game.scoring import shoulder_hiking_mm, symmetry_index_pct
from game.scoring.grades import HIGHER, LOWER
from game.tracking import pose as P
from tests.leveltypes.extra.shrug.exercise import ShrugRep

GRADED = {"success_rate": (HIGHER, 1.0), "shrug_mm": (HIGHER, 2.0), "abs_symmetry_index_pct": (LOWER, 1.0)}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"shrug_mm": 30.0}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one shrug from the frames between its cue and its end."""
    world = rep.frames.world[rep.live].astype(np.float64)
    if len(world) < 2 or not isinstance(rep.outcome.detail, ShrugRep):
        return {}
    left = float(shoulder_hiking_mm(world[:, P.L_SHOULDER, :3], world[:, P.L_HIP, :3]))
    right = float(shoulder_hiking_mm(world[:, P.R_SHOULDER, :3], world[:, P.R_HIP, :3]))
    si = float(symmetry_index_pct(np.asarray(right), np.asarray(left)))
    return {
        "shrug_left_mm": left,
        "shrug_right_mm": right,
        "shrug_mm": 0.5 * (left + right),
        "abs_symmetry_index_pct": abs(si),
        "lift_asked_mm": 1000.0 * rep.outcome.detail.lift_m,
    }
