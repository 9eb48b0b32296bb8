"""What a squeeze is scored on, from its recorded hands (docs/metrics.md "Grasp and release").

From the cue to the end of the rep: the good hand that drives the mirror -- its widest and
tightest aperture (palm lengths), each finger's active range (largest minus smallest total
flexion, degrees: the ASSH total active motion, docs/sources.md §12.1) and their mean over
the four long fingers, the mean MCP, PIP and DIP flexion at the tightest moment -- and the
affected hand's own attempt (``affected_`` names). Then the closure that was asked.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.grasp.exercise import GraspRep
from game.leveltypes.hand_common import hand_track, range_metrics
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import hand as SH
from game.scoring.grades import HIGHER, LOWER
from game.tracking.pose import other_side

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "hand_active_range_deg": (HIGHER, 1.0),
    "affected_hand_active_range_deg": (HIGHER, 2.0),
    "min_aperture_norm": (LOWER, 1.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def fist_flexion(world: np.ndarray) -> dict[str, float]:
    """Mean flexion of the four long fingers' MCP, PIP and DIP joints at the frame where the
    hand is most closed (smallest aperture), degrees (0 = straight)."""
    aperture = SH.hand_aperture_norm(world)
    if not np.isfinite(aperture).any():
        return {f"fist_{j}_flexion_deg": math.nan for j in ("mcp", "pip", "dip")}
    k = int(np.nanargmin(aperture))
    flex = SH.finger_flexion_deg(world[k])
    return {
        f"fist_{j}_flexion_deg": float(np.mean([flex[f"{f}_{j}"] for f in SH.LONG_FINGERS]))
        for j in ("mcp", "pip", "dip")
    }


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one squeeze (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, GraspRep) or live.stop - live.start < 2:
        return {}
    good = hand_track(rep, other_side(rep.affected_side))[live]
    own = hand_track(rep, rep.affected_side)[live]
    out = range_metrics(good)
    out.update(fist_flexion(good))
    out.update(range_metrics(own, prefix="affected_"))
    out["closure_asked_frac"] = d.closure
    return out
