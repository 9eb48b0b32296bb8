"""What a stance hold is scored on, computed from its recorded frames (§6.1-§6.6).

Over the frames between cue and end: the time held inside the calm zone (and, on one leg,
with the free foot lifted), the hold asked for, the fraction of frames in the zone, Prieto
sway of the CoM proxy over the ankles (§6.2), the longest single-leg stance (§6.5 video rule
via game.scoring.single_leg_stance_s) on single-leg levels, and trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.common import LOS_DEG, lean_deg
from game.leveltypes.measure import RepData, frame_durations_s, frame_rate_hz, sway_of, trunk_metrics
from game.leveltypes.stance.exercise import StanceRep, feet_lifted
from game.scoring import com_proxy_m, single_leg_stance_s
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    # single-leg stance: time first (§6.5), steadiness second
    "single_leg_stance_s": (HIGHER, 3.0),
    "sway_rms_m": (LOWER, 1.0),
    "sway_mean_velocity_m_s": (LOWER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"single_leg_stance_s": 10.0}  # BBS item 14: > 10 s scores 4 (§6.6)
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one hold (see the module doc)."""
    out = trunk_metrics(rep)
    d = rep.outcome.detail
    live = rep.live
    t = rep.frames.t_s[live]
    if not isinstance(d, StanceRep) or not len(t):
        return out
    world = rep.frames.world[live].astype(np.float64)
    pos_pct = 100.0 * (lean_deg(world) - np.asarray(d.zero_deg)) / LOS_DEG
    inside = np.linalg.norm(pos_pct, axis=-1) <= d.zone_pct
    held = inside & (feet_lifted(world, d.stance_side) if d.single_leg else True)
    sway = sway_of(t, com_proxy_m(world, base="ankles"))
    out.update(
        {
            "hold_s": float(np.sum(frame_durations_s(t, rep.outcome.t_end_s)[held])),
            "hold_target_s": d.hold_target_s,
            "time_in_zone_frac": float(np.mean(inside)),
            "sway_rms_m": sway["rms_m"],
            "sway_mean_velocity_m_s": sway["mean_velocity_m_s"],
            "ellipse95_area_m2": sway["ellipse95_area_m2"],
        }
    )
    if d.single_leg:
        fs_hz = frame_rate_hz(t)
        out["single_leg_stance_s"] = (
            float(single_leg_stance_s(world, fs_hz, d.stance_side)) if len(t) >= 2 else math.nan
        )
    return out
