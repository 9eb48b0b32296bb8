"""What a berry is scored on (docs/metrics.md "Pinch and place").

From the rep's events: the time to pick the berry up (cue to the last pick-up), to carry it
to the basket (pick-up to release), and how often it was dropped; from the recorded hands:
the tightest thumb-index gap of the good hand that drives the mirror and of the affected
hand's own attempt (palm lengths, game.scoring.hand.pinch_aperture_norm).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.hand_common import finite_or_nan, hand_track
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.leveltypes.pinch_place.exercise import PinchRep
from game.scoring import hand as SH
from game.scoring.grades import HIGHER, LOWER
from game.tracking.pose import other_side

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "pick_time_s": (LOWER, 1.0),
    "carry_time_s": (LOWER, 1.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one berry (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, PinchRep):
        return {}
    o = rep.outcome
    picked = math.isfinite(d.t_pick_s)
    good = hand_track(rep, other_side(rep.affected_side))[live]
    own = hand_track(rep, rep.affected_side)[live]
    return {
        "pick_time_s": d.t_pick_s - o.t_cue_s if picked else math.nan,
        "carry_time_s": o.t_end_s - d.t_pick_s if picked and o.success else math.nan,
        "drops": float(d.drops),
        "min_pinch_aperture_norm": finite_or_nan(np.min, SH.pinch_aperture_norm(good)),
        "affected_min_pinch_aperture_norm": finite_or_nan(np.min, SH.pinch_aperture_norm(own)),
        "target_radius_norm": d.radius_norm,
    }
