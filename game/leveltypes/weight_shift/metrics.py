"""What a weight-shift gate is scored on, computed from its recorded frames (§6.2-§6.3).

The trunk lean (hip→shoulder axis) of every frame between cue and end, in % of the limits of
stability from the upright start: the maximum excursion towards the gate (§6.3), the fraction
of frames inside the gate, sway of the trunk proxy (Prieto RMS, §6.2) while inside, and the
gate asked for; plus trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.common import lean_deg
from game.leveltypes.measure import RepData, sway_of, trunk_metrics
from game.leveltypes.weight_shift.exercise import WeightShiftRep
from game.scoring import com_proxy_m
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    # weight shift: limits-of-stability excursion and target zone (§6.3)
    "los_excursion_pct": (HIGHER, 2.0),
    "time_in_zone_frac": (HIGHER, 2.0),
    "sway_rms_m": (LOWER, 0.5),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"time_in_zone_frac": 0.6}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one gate (see the module doc)."""
    out = trunk_metrics(rep)
    d = rep.outcome.detail
    if not isinstance(d, WeightShiftRep):
        return out
    live = rep.live
    t, world = rep.frames.t_s[live], rep.frames.world[live]
    pos_pct = 100.0 * (lean_deg(world) - np.asarray(d.zero_deg)) / d.los_deg
    seen = np.all(np.isfinite(pos_pct), axis=-1)
    inside = seen & (np.linalg.norm(pos_pct - np.asarray(d.target_pct), axis=-1) <= d.zone_pct)
    hold = com_proxy_m(world[inside], base="hips") if inside.any() else np.zeros((0, 2))
    out.update(
        {
            "los_excursion_pct": excursion_pct(pos_pct, d.direction),
            "time_in_zone_frac": float(np.mean(inside[seen])) if seen.any() else math.nan,
            "sway_rms_m": sway_of(t[inside], hold)["rms_m"],
            "target_pct": float(np.linalg.norm(d.target_pct)),
            "los_deg": d.los_deg,
        }
    )
    return out


def excursion_pct(lean_pct: np.ndarray, direction: tuple[float, float]) -> float:
    """Largest lean along ``direction`` in % LOS (§6.3 maximum excursion); lean_pct (T, 2)."""
    d = np.asarray(lean_pct, dtype=np.float64) @ np.asarray(direction, dtype=np.float64)
    d = d[np.isfinite(d)]
    return float(max(np.max(d), 0.0)) if len(d) else math.nan
