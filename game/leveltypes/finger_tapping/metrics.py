"""What a round of finger tapping is scored on (docs/metrics.md "Finger tapping").

The good hand's taps from the cue to the switch, the affected hand's from the switch to the
end, each measured from its recorded thumb-index gap (palm lengths) with
game.scoring.hand.tapping_metrics (MDS-UPDRS 3.4: rate, amplitude, amplitude and speed
decrement, rhythm, hesitations; docs/sources.md §12.2). The affected hand's names start with
``affected_``.
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.finger_tapping.exercise import TapRep
from game.leveltypes.hand_common import hand_track
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.scoring import hand as SH
from game.scoring.grades import HIGHER, LOWER
from game.tracking.pose import other_side

GRADED = {
    "success_rate": (HIGHER, 1.0),
    "tap_rate_hz": (HIGHER, 1.0),
    "affected_tap_rate_hz": (HIGHER, 2.0),
    "affected_tap_amplitude_norm": (HIGHER, 2.0),
    "affected_tap_amplitude_decrement_pct": (LOWER, 1.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def _taps(t_s: np.ndarray, world: np.ndarray, prefix: str) -> dict[str, float]:
    if t_s.size < 3:
        return {}
    gap = SH.pinch_aperture_norm(world)
    return {f"{prefix}{k}": v for k, v in SH.tapping_metrics(t_s, gap).items()}


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one round of both hands (see the module doc)."""
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, TapRep):
        return {}
    t = rep.frames.t_s[live]
    split = int(np.searchsorted(t, d.switch_t_s))
    good = hand_track(rep, other_side(rep.affected_side))[live]
    own = hand_track(rep, rep.affected_side)[live]
    out = _taps(t[:split], good[:split], "")
    out.update(_taps(t[split:], own[split:], "affected_"))
    out["taps_asked"] = float(d.taps)
    return out
