"""What a weight-shift gate is scored on, computed from its recorded frames (§6.2-§6.3).

The lean of every frame between cue and end, from the upright start, in % of 8° (or the
patient's own limit): standing, the whole-body centre of gravity about the ankles, whose
maximum excursion towards the gate is the §6.3 ``los_excursion_pct``; seated, the trunk
(hip→shoulder axis), whose excursion is stored as ``trunk_lean_excursion_pct`` (a trunk lean is
not a limit-of-stability measure). Also the fraction of frames inside the gate, sway while
inside (Prieto RMS, §6.2: the whole-body centre of mass standing, the trunk seated), the gate
asked for, and trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.common import balance_lean_deg
from game.leveltypes.measure import RepData, sway_of, trunk_metrics
from game.leveltypes.weight_shift.exercise import WeightShiftRep
from game.scoring import com_proxy_m
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    # weight shift: limits-of-stability excursion and target zone (§6.3)
    "los_excursion_pct": (HIGHER, 2.0),
    "trunk_lean_excursion_pct": (HIGHER, 2.0),  # seated: only one of the two is ever present
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
    pos_pct = 100.0 * (balance_lean_deg(world, d.standing) - np.asarray(d.zero_deg)) / d.los_deg
    seen = np.all(np.isfinite(pos_pct), axis=-1)
    inside = seen & (np.linalg.norm(pos_pct - np.asarray(d.target_pct), axis=-1) <= d.zone_pct)
    base = "ankles" if d.standing else "hips"
    hold = com_proxy_m(world[inside], base=base) if inside.any() else np.zeros((0, 2))
    excursion = "los_excursion_pct" if d.standing else "trunk_lean_excursion_pct"
    out.update(
        {
            excursion: excursion_pct(pos_pct, d.direction),
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
