"""What a position-match trial is scored on, computed from its recorded frames (proprioception).

The reproduced angle is the 2-D arm elevation of shoulder→hand in the image as the patient saw
it (docs/sources.md §4.2) in the frame shown when the answer was taken; joint reposition
error in degrees, absolute and signed (> 0 overshoot; game.scoring.reposition_error_deg), and
on the level's last trial the variable and constant error across its trials
(game.scoring.reposition_summary_deg); plus trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.common import elevation_of_px
from game.leveltypes.measure import RepData, trunk_metrics
from game.leveltypes.position_match.exercise import PositionMatchRep
from game.scoring import reposition_error_deg, reposition_summary_deg
from game.scoring.grades import LOWER
from game.tracking import pose as P

GRADED = {
    # position matching: joint reposition error (proprioception)
    "absolute_error_deg": (LOWER, 2.0),
    "variable_error_deg": (LOWER, 1.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"absolute_error_deg": 10.0}
"""Default goals when the therapist set none."""


def reproduced_deg(rep: RepData) -> float:
    """Arm elevation of the displayed affected arm when the answer was taken, degrees."""
    k = rep.end_index
    if k < 0:
        return math.nan
    shown = rep.display()[k].astype(np.float64)
    size = np.asarray(rep.frame_size, dtype=np.float64)
    shoulder = shown[P.shoulder_elbow_wrist(rep.affected_side)[0], :2] * size
    hand = rep.display_hand()[k] * size
    return elevation_of_px(shoulder, hand, 1.0 if rep.affected_side == "left" else -1.0)


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one trial (see the module doc)."""
    out = trunk_metrics(rep)
    d = rep.outcome.detail
    if not isinstance(d, PositionMatchRep):
        return out
    got = reproduced_deg(rep)
    abs_e, signed_e = reposition_error_deg(np.array(got), np.array(d.target_deg))
    out.update(
        {
            "absolute_error_deg": float(abs_e),
            "signed_error_deg": float(signed_e),
            "target_deg": d.target_deg,
            "reproduced_deg": got,
        }
    )
    if d.final:  # variable error needs all trials (SD, ddof=1)
        trials = [*rep.earlier, out]
        summary = reposition_summary_deg(
            np.array([r.get("reproduced_deg", math.nan) for r in trials]),
            np.array([r.get("target_deg", math.nan) for r in trials]),
        )
        out["variable_error_deg"] = float(summary["variable_error_deg"])
        out["constant_error_deg"] = float(summary["constant_error_deg"])
    return out
