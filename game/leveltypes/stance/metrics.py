"""What a stance hold is scored on, computed from its recorded frames (§6.1-§6.6).

Over the frames between cue and end: the time held inside the calm zone (the centre of
gravity's lean about the ankles in % of the limits of stability; the trunk's, seated; and, on
one leg, with the free foot lifted), the hold asked for, the fraction of frames in the zone,
Prieto sway of the whole-body centre of mass over the ankles (§6.2; the trunk, seated), the
longest single-leg stance (§6.5 video rule via game.scoring.single_leg_stance_s) on
single-leg levels, and trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.common import LOS_DEG, balance_lean_deg
from game.leveltypes.measure import (
    SUCCESS_GOAL,
    RepData,
    frame_durations_s,
    frame_rate_hz,
    sway_of,
    trunk_metrics,
)
from game.leveltypes.stance.exercise import StanceParams, StanceRep, feet_lifted, hold_plan
from game.scoring import com_proxy_m, single_leg_stance_s
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    # single-leg stance: time first (§6.5), steadiness second; holds completed (every level)
    "single_leg_stance_s": (HIGHER, 3.0),
    "success_rate": (HIGHER, 2.0),
    "sway_rms_m": (LOWER, 1.0),
    "sway_mean_velocity_m_s": (LOWER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
SINGLE_LEG_GOAL_S = 10.0
"""Single-leg stance worth aiming at: Berg Balance Scale item 14 scores 4 above 10 s (§6.6)."""
GOALS = {"single_leg_stance_s": SINGLE_LEG_GOAL_S, "success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none (a level lowers it to what it asks: level_goals)."""


def level_goals(params: StanceParams) -> dict[str, float]:
    """The single-leg goal of one level: what holding every planned hold gives, at most 10 s.

    A level's single-leg stance is the median over its reps (game.session.summary) and each
    rep ends once its hold is done, so a patient who holds every planned hold reaches the
    median of the plan; a goal above it (formerly 10 s for holds of 3-8 s) can never be met
    and no star for it can be earned."""
    plan = hold_plan(params.hold_s, params.reps)
    return {"single_leg_stance_s": min(SINGLE_LEG_GOAL_S, float(np.median(plan)))}


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one hold (see the module doc)."""
    out = trunk_metrics(rep)
    d = rep.outcome.detail
    live = rep.live
    t = rep.frames.t_s[live]
    if not isinstance(d, StanceRep) or not len(t):
        return out
    world = rep.frames.world[live].astype(np.float64)
    pos_pct = 100.0 * (balance_lean_deg(world, d.standing) - np.asarray(d.zero_deg)) / LOS_DEG
    inside = np.linalg.norm(pos_pct, axis=-1) <= d.zone_pct
    held = inside & (feet_lifted(world, d.stance_side) if d.single_leg else True)
    sway = sway_of(t, com_proxy_m(world, base="ankles" if d.standing else "hips"))
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
