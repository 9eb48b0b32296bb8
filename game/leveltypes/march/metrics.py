"""What a marching bout is scored on, from its recorded frames (docs/sources.md §6.11).

Each knee's rise above its resting height (world landmarks, relative to the mid-hip) is
segmented with the game's own hysteresis (game.scoring.leg_reps.rises; up past half the asked
lift, down below a quarter): ``n_steps`` counts them as the game did; ``cadence_spm`` is steps
per minute between the first and the last step's start. Per side, every lift past a fifth of
the asked height (so a weak leg's small lifts are measured too) gives its peak rise; their
median is ``left_knee_lift_cm`` / ``right_knee_lift_cm``, the mean of the two ``knee_lift_cm``
and how unequal they are ``knee_lift_asymmetry_pct`` (the absolute symmetry index, §5; 0 = equal).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.march.exercise import DOWN, UP, MarchRep
from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.metrics import seen_points
from game.scoring import symmetry_index_pct
from game.scoring.grades import HIGHER, LOWER
from game.scoring.leg_reps import rises
from game.scoring.lower_limb import knee_height_m

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "knee_lift_cm": (HIGHER, 1.0),
    "knee_lift_asymmetry_pct": (LOWER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": 0.75}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one bout (see the module doc)."""
    d = rep.outcome.detail
    if not isinstance(d, MarchRep) or len(rep.frames) < 3:
        return {}
    _, w = seen_points(rep)
    t = rep.frames.t_s
    starts, peaks = [], {}
    for i, side in enumerate(("left", "right")):
        rise = np.nan_to_num(knee_height_m(w, side) - d.rest_height_m[i], nan=0.0)
        starts += list(t[rises(rise, DOWN * d.lift_m, UP * d.lift_m)[0]])
        _, p = rises(rise, 0.1 * d.lift_m, 0.2 * d.lift_m)
        peaks[side] = 100.0 * rise[p] if p.size else np.array([])
    n = len(starts)
    left = float(np.median(peaks["left"])) if len(peaks["left"]) else math.nan
    right = float(np.median(peaks["right"])) if len(peaks["right"]) else math.nan
    span = max(starts) - min(starts) if n >= 2 else math.nan
    return {
        "n_steps": float(n),
        "cadence_spm": 60.0 * (n - 1) / span if n >= 2 and span > 0 else math.nan,
        "left_knee_lift_cm": left,
        "right_knee_lift_cm": right,
        "knee_lift_cm": float(np.nanmean([left, right]))
        if math.isfinite(left) or math.isfinite(right)
        else math.nan,
        "knee_lift_asymmetry_pct": abs(float(symmetry_index_pct(np.asarray(right), np.asarray(left)))),
    }
