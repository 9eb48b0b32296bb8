"""What a squat is scored on, from its recorded frames (docs/sources.md §6.7-§6.8, docs/metrics.md).

At the deepest frame of the rep (largest mean knee flexion of the legs seen, world landmarks,
0 = straight): ``peak_knee_flexion_deg`` and the trunk's tilt from vertical
(``trunk_flexion_deg``); the larger frontal-plane projection angle of the two knees at that
frame (``knee_valgus_deg``, valgus > 0; front views only, NaN from the side); the largest heel
rise over the rep against its first frames (``heel_rise_cm``); and what was asked
(``depth_target_deg``).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.metrics import seen_points, side_view
from game.leveltypes.squat.exercise import SquatRep
from game.scoring.grades import HIGHER, LOWER
from game.scoring.lower_limb import heel_rise_m, knee_valgus_deg, mean_knee_flexion_deg, trunk_flexion_deg

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "peak_knee_flexion_deg": (HIGHER, 1.0),
    "knee_valgus_deg": (LOWER, 1.0),
    "heel_rise_cm": (LOWER, 0.5),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": 0.75}
"""Default goals when the therapist set none (depth is graded against the patient's own past)."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one squat (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, SquatRep) or len(rep.frames.t_s[live]) < 3:
        return {}
    px, w = seen_points(rep)
    px, w = px[live], w[live]
    knee = mean_knee_flexion_deg(w)
    if not np.any(np.isfinite(knee)):
        return {"depth_target_deg": d.depth_deg}
    k = int(np.nanargmax(knee))
    front = side_view(px) == 0.0
    valgus = np.fmax(knee_valgus_deg(px[k], "left"), knee_valgus_deg(px[k], "right")) if front else math.nan
    heel = np.fmax(heel_rise_m(w, "left"), heel_rise_m(w, "right"))
    base = float(np.nanmedian(heel[:3]))
    return {
        "peak_knee_flexion_deg": float(knee[k]),
        "trunk_flexion_deg": float(trunk_flexion_deg(w[k])),
        "knee_valgus_deg": float(valgus),
        "heel_rise_cm": 100.0 * float(np.nanmax(heel) - base),
        "depth_target_deg": d.depth_deg,
        "side_view": float(not front),
    }
