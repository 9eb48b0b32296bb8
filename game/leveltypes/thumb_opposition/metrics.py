"""What a pass of thumb opposition is scored on (docs/metrics.md "Thumb opposition").

From the recorded hands between the cue and the end: when the thumb tip first came within the
touch distance of each fingertip in the order asked (game.scoring.hand.touch_times_s); the
mean time per opposition (cue to the first touch, then touch to touch), the number of
fingertips reached, and the thumb's active range; for the good hand that drives the mirror,
and for the affected hand's own attempt (``affected_`` names).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.hand_common import hand_track
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.leveltypes.thumb_opposition.exercise import OppositionRep
from game.scoring import hand as SH
from game.scoring.grades import HIGHER, LOWER
from game.tracking.pose import other_side

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "opposition_time_s": (LOWER, 1.0),
    "thumb_active_range_deg": (HIGHER, 1.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def touches(
    t_s: np.ndarray, world: np.ndarray, d: OppositionRep, t_cue_s: float, prefix: str
) -> dict[str, float]:
    """Touch count and mean time per opposition of one hand over a pass."""
    times = SH.touch_times_s(t_s, world, d.order, d.touch_norm)
    reached = np.isfinite(times)
    n = int(reached.sum())
    steps = np.diff(np.concatenate([[t_cue_s], times[reached]]))
    return {
        f"{prefix}opposition_touches": float(n),
        f"{prefix}opposition_time_s": float(np.mean(steps)) if n else math.nan,
    }


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one pass along the fingers (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, OppositionRep) or live.stop - live.start < 2:
        return {}
    t = rep.frames.t_s[live]
    good = hand_track(rep, other_side(rep.affected_side))[live]
    own = hand_track(rep, rep.affected_side)[live]
    out = touches(t, good, d, rep.outcome.t_cue_s, "")
    out.update(touches(t, own, d, rep.outcome.t_cue_s, "affected_"))
    out["thumb_active_range_deg"] = float(SH.active_range_deg(SH.total_flexion_deg(good)["thumb"]))
    out["touch_distance_norm"] = d.touch_norm
    return out
