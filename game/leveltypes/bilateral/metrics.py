"""What a bilateral lift is scored on, computed from its recorded frames (docs/sources.md §5).

From the two hands' heights above their shoulders (world landmarks, unmirrored) over the lift:
peak normalised cross-correlation and its lag (metric 1, τ > 0: the affected hand lags),
amplitude ratio affected / unaffected (metric 3) and the symmetry index of the two vertical
ranges (metric 4), plus whether the tilt cue was given and trunk compensation.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.bilateral.exercise import BilateralRep
from game.leveltypes.measure import RepData, frame_rate_hz, trunk_metrics
from game.scoring import amplitude_ratio, cross_correlation_peak, symmetry_index_pct
from game.scoring.grades import HIGHER, LOWER
from game.tracking import pose as P

GRADED = {
    # bilateral: correlation, lag and symmetry of the two arms (§5)
    "xcorr_r": (HIGHER, 2.0),
    "abs_lag_s": (LOWER, 1.0),
    "abs_symmetry_index_pct": (LOWER, 1.0),
    "amplitude_ratio": (HIGHER, 2.0),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"xcorr_r": 0.8}
"""Default goals when the therapist set none."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one lift (see the module doc)."""
    out = trunk_metrics(rep)
    live = rep.live
    world = rep.frames.world[live].astype(np.float64)
    aff = rep.affected_side
    heights = {}
    for side in (aff, P.other_side(aff)):
        sh, _, wr = P.shoulder_elbow_wrist(side)
        heights[side] = world[:, sh, 1] - world[:, wr, 1]  # world y is down: height above shoulder
    fs_hz = frame_rate_hz(rep.frames.t_s[live])
    out.update(coordination(heights[aff], heights[P.other_side(aff)], fs_hz))
    if isinstance(rep.outcome.detail, BilateralRep):
        out["tilt_cued"] = float(rep.outcome.detail.tilt_cued)
    return out


def coordination(h_aff_m: np.ndarray, h_ref_m: np.ndarray, fs_hz: float) -> dict[str, float]:
    """§5 metrics of one lift from the two hands' heights (metres, up > 0), via game.scoring."""
    a, b = np.asarray(h_ref_m, np.float64), np.asarray(h_aff_m, np.float64)
    nan = {
        "xcorr_r": math.nan,
        "lag_s": math.nan,
        "abs_lag_s": math.nan,
        "amplitude_ratio": math.nan,
        "symmetry_index_pct": math.nan,
        "abs_symmetry_index_pct": math.nan,
    }
    if len(a) < 8 or np.sum(np.isfinite(a) & np.isfinite(b)) < 8:
        return nan
    r, lag = cross_correlation_peak(a, b, fs_hz, max_lag_s=1.0)
    rom_ref = np.asarray(np.nanmax(a) - np.nanmin(a))
    rom_aff = np.asarray(np.nanmax(b) - np.nanmin(b))
    si = float(symmetry_index_pct(rom_ref, rom_aff))
    return {
        "xcorr_r": float(r),
        "lag_s": float(lag),
        "abs_lag_s": abs(float(lag)),
        "amplitude_ratio": float(amplitude_ratio(rom_aff, rom_ref)),
        "symmetry_index_pct": si,
        "abs_symmetry_index_pct": abs(si),
    }
