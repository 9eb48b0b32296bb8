"""What a piano key is scored on (docs/metrics.md "Finger individuation").

From the recorded hands between the cue and the end of the rep: the individuation index of
the instructed finger (Häger-Ross & Schieber 2000, docs/sources.md §12.3: 1 - the mean
absolute slope of each other long finger's total flexion against the instructed finger's),
the instructed finger's active range, and the largest excursion of any other finger; for the
good hand that drives the mirror and for the affected hand's own attempt (``affected_``).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.finger_individuation.exercise import FINGERS, PianoRep
from game.leveltypes.hand_common import hand_track
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import hand as SH
from game.scoring.grades import HIGHER
from game.tracking.pose import other_side

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "individuation_index": (HIGHER, 1.0),
    "affected_individuation_index": (HIGHER, 2.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def finger_metrics(world: np.ndarray, k: int, prefix: str) -> dict[str, float]:
    """Individuation of finger ``k`` and the excursions of one hand over a key press."""
    total = SH.total_flexion_deg(world)
    flex = np.stack([total[f] for f in FINGERS], axis=-1)
    ranges = SH.active_range_deg(flex.T)
    others = np.delete(ranges, k)
    return {
        f"{prefix}individuation_index": SH.individuation_index(flex, k),
        f"{prefix}instructed_range_deg": float(ranges[k]),
        f"{prefix}other_fingers_range_deg": float(np.max(others)) if np.isfinite(others).all() else math.nan,
    }


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one key press (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, PianoRep) or live.stop - live.start < 3:
        return {}
    k = FINGERS.index(d.finger)
    good = hand_track(rep, other_side(rep.affected_side))[live]
    own = hand_track(rep, rep.affected_side)[live]
    out = finger_metrics(good, k, "")
    out.update(finger_metrics(own, k, "affected_"))
    out["press_asked_deg"] = d.press_deg
    return out
