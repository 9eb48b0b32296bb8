"""What a posture flower is scored on, computed from its recorded frames (§3, §6.2).

Over the frames between cue and end: the fraction of frames in the upright zone (trunk lean
and shoulder tilt within the thresholds), the median trunk lean (deg), the largest shoulder
tilt (deg), sway mean velocity of the trunk proxy (Prieto MVELO, §6.2), the thresholds used,
and trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.measure import SUCCESS_GOAL, RepData, sway_of, trunk_metrics
from game.leveltypes.posture.exercise import PostureRep, shoulder_tilt_deg, total_lean_deg
from game.scoring import com_proxy_m
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    "time_in_zone_frac": (HIGHER, 2.0),
    "trunk_lean_deg": (LOWER, 1.0),
    "sway_mean_velocity_m_s": (LOWER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"time_in_zone_frac": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one flower (see the module doc)."""
    out = trunk_metrics(rep)
    d = rep.outcome.detail
    live = rep.live
    t = rep.frames.t_s[live]
    if not isinstance(d, PostureRep) or not len(t):
        return out
    world = rep.frames.world[live]
    lean, tilt = total_lean_deg(world), shoulder_tilt_deg(world)
    with np.errstate(invalid="ignore"):
        upright = ~((lean > d.lean_max_deg) | (tilt > d.tilt_max_deg))
    out.update(
        {
            "time_in_zone_frac": float(np.mean(upright)),
            "trunk_lean_deg": float(np.nanmedian(lean)) if np.isfinite(lean).any() else math.nan,
            "shoulder_tilt_deg": float(np.nanmax(tilt)) if np.isfinite(tilt).any() else math.nan,
            "sway_mean_velocity_m_s": sway_of(t, com_proxy_m(world, base="hips"))["mean_velocity_m_s"],
            "lean_threshold_deg": d.lean_max_deg,
            "tilt_threshold_deg": d.tilt_max_deg,
        }
    )
    return out
