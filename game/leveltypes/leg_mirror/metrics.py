"""What a leg mirror movement is scored on, from its recorded frames (docs/sources.md §6.11).

As for the arm mirror (docs/metrics.md, "Which arm"), the plain names measure the **driving
(unaffected) leg**, whose reflection is the leg shown on the affected side, and the
``affected_*`` names the **affected leg's own attempt**: for knee movements the straightest the
knee got (``min_knee_flexion_deg``, 0 = straight), for ankle movements the range of the ankle
angle (``ankle_range_deg``, toes up positive, largest minus smallest), world landmarks.
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.leg_mirror.exercise import LegMirrorRep
from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.metrics import seen_points
from game.scoring.grades import HIGHER, LOWER
from game.scoring.lower_limb import ankle_dorsiflexion_deg, knee_flexion_deg
from game.tracking import pose as P

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "affected_min_knee_flexion_deg": (LOWER, 1.0),
    "affected_ankle_range_deg": (HIGHER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": 0.75}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one movement (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, LegMirrorRep) or len(rep.frames.t_s[live]) < 3:
        return {}
    _, w = seen_points(rep)
    w = w[live]
    out: dict[str, float] = {}
    for prefix, side in (("", d.driving_side), ("affected_", P.other_side(d.driving_side))):
        if d.movement == "knee":
            out[f"{prefix}min_knee_flexion_deg"] = float(np.nanmin(knee_flexion_deg(w, side)))
        else:
            ankle = ankle_dorsiflexion_deg(w, side)
            out[f"{prefix}ankle_range_deg"] = float(np.nanmax(ankle) - np.nanmin(ankle))
    return out
