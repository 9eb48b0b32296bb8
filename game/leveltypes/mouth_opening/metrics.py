"""What a mouth opening is scored on, from its recorded face (game.scoring.face; docs/metrics.md):
the widest opening, how far it strayed from the target while holding, the chin's sideways
deviation (largest shift on the way open) and deflection (shift at the widest opening), how
far past the therapist's limit it went, and the target and limit that were set."""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.facial import MAX_YAW_DEG, MIN_FACE_FRACTION, rep_faces
from game.leveltypes.measure import SUCCESS_GOAL, RepData
from game.leveltypes.mouth_opening.exercise import OpeningRep
from game.scoring import face as FM
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    "success_rate": (HIGHER, 2.0),
    "opening_error_mm": (LOWER, 1.0),
    "abs_jaw_deviation_mm": (LOWER, 1.0),
}
"""Metric -> (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""


def running_median3(x: np.ndarray) -> np.ndarray:
    """``(T,)`` 3-sample running median (the ends repeat): one jittery frame is never a peak."""
    if x.size < 3:
        return x.copy()
    p = np.concatenate([x[:1], x, x[-1:]])
    with np.errstate(all="ignore"):
        return np.asarray(np.nanmedian(np.stack([p[:-2], p[1:-1], p[2:]]), axis=0))


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one mouth opening (module doc)."""
    d = rep.outcome.detail
    if not isinstance(d, OpeningRep):
        return {}
    out = {"opening_target_mm": d.target_mm, "opening_limit_mm": d.limit_mm}
    t, faces = rep_faces(rep)
    live = (t >= rep.outcome.t_cue_s - 1e-6) & (t <= rep.outcome.t_end_s + 1e-6)
    if not live.any():
        return out
    coords = FM.face_frame_mm(faces[live], rep.frame_size)
    opening = running_median3(FM.mouth_opening_mm(coords))
    if not np.isfinite(opening).any():
        return out
    peak = int(np.nanargmax(opening))
    hold = (t[live] >= d.hold_t0_s) & (t[live] <= d.hold_t1_s) & np.isfinite(opening)
    fs_hz = 1.0 / float(np.median(np.diff(t[live]))) if live.sum() > 1 else 30.0
    deviation, deflection = FM.jaw_deviation_mm(opening, FM.moving_mean(FM.jaw_lateral_mm(coords), fs_hz))
    yaw = float(FM.head_yaw_deg(faces[live][peak], rep.frame_size))
    found = float(np.mean(np.isfinite(faces[live][:, 0, 0])))
    out.update(
        {
            "peak_mouth_opening_mm": float(opening[peak]),
            "peak_mouth_opening_mm_reliable": float(abs(yaw) <= MAX_YAW_DEG and found >= MIN_FACE_FRACTION),
            "opening_error_mm": float(np.median(np.abs(opening[hold] - d.target_mm)))
            if hold.any()
            else math.nan,
            "opening_past_limit_mm": max(float(opening[peak]) - d.limit_mm, 0.0),
            "jaw_deviation_mm": deviation,
            "abs_jaw_deviation_mm": abs(deviation),
            "jaw_deflection_mm": deflection,
        }
    )
    return out
