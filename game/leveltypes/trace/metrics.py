"""What a trace pass is scored on, computed from its recorded frames.

Path error (mean displayed-hand to target distance, metres), the fraction of frames on
target, and smoothness (SPARC of the hand speed, docs/sources.md §2.2; closer to 0 is
smoother), plus trunk compensation. The target's position at each frame comes from the
pass's event data (:class:`~game.leveltypes.trace.exercise.TraceRep`), the hand from the
recorded pose as the patient saw it (mirror or shared control).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.measure import SUCCESS_GOAL, RepData, trunk_metrics
from game.leveltypes.trace.exercise import TraceRep
from game.scoring import lowpass, sparc
from game.scoring.grades import HIGHER, LOWER

GRADED = {
    "completion_frac": (HIGHER, 2.0),
    "trace_error_m": (LOWER, 2.0),
    "sparc": (HIGHER, 1.0),
    "trunk_displacement_mm": (LOWER, 0.5),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"completion_frac": SUCCESS_GOAL}
"""Default goals when the therapist set none."""
MIN_FRAMES = 16
"""Fewest camera frames in a pass for a smoothness value (1.6 s at 10 Hz)."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one pass (see the module doc)."""
    out = trunk_metrics(rep)
    detail = rep.outcome.detail
    if not isinstance(detail, TraceRep):
        return out
    live = rep.live
    t = rep.frames.t_s[live]
    size = np.asarray(rep.frame_size, dtype=np.float64)
    hand_px = rep.display_hand()[live] * size
    path = detail.target_path
    target_px = (
        np.stack([np.interp(t, path[:, 0], path[:, 1]), np.interp(t, path[:, 0], path[:, 2])], -1) * size
    )
    err_m, on_frac = trace_errors(
        hand_px, target_px, detail.arm_px, detail.arm_m, detail.tolerance_norm * size[0]
    )
    out.update(
        {
            "trace_error_m": err_m,
            "completion_frac": on_frac,
            "sparc": hand_sparc(hand_px, t),
            "path_length_arm": detail.path_length_arm,
        }
    )
    return out


def trace_errors(
    hand_px: np.ndarray, target_px: np.ndarray, arm_px: float, arm_m: float, tolerance_px: float
) -> tuple[float, float]:
    """Mean hand-to-target distance in metres and the fraction of samples on target.

    Parameters
    ----------
    hand_px, target_px : (T, 2) float
        Displayed hand and target positions in raw-frame pixels; NaN rows are skipped.
    arm_px, arm_m : float
        Arm length in pixels and metres (converts the image distance to metres).
    tolerance_px : float
        On-target radius in pixels.
    """
    d = np.linalg.norm(np.asarray(hand_px) - np.asarray(target_px), axis=-1)
    d = d[np.isfinite(d)]
    if not len(d) or arm_px <= 0:
        return math.nan, math.nan
    return float(np.mean(d) / arm_px * arm_m), float(np.mean(d <= tolerance_px))


def hand_sparc(hand_px: np.ndarray, t_s: np.ndarray) -> float:
    """SPARC of the displayed hand's speed over one pass (§2.2, amplitude-invariant).

    Parameters
    ----------
    hand_px : (T, 2) float
        Hand positions, one per *new* camera frame (repeats would add a false zigzag).
    t_s : (T,) float
        Their frame timestamps; the rate is taken as 1 / median interval. The positions are
        low-passed first (markerless noise, §2.6) at the scoring module's cut-off (6 Hz,
        lower below 15 Hz: game.scoring.preprocess.effective_cutoff_hz), so every pose rate
        from 10 to 60 Hz is scored.
    """
    xy, t = np.asarray(hand_px, dtype=np.float64), np.asarray(t_s, dtype=np.float64)
    ok = np.all(np.isfinite(xy), axis=-1)
    xy, t = xy[ok], t[ok]
    if len(xy) < MIN_FRAMES:
        return math.nan
    fs_hz = 1.0 / float(np.median(np.diff(t)))
    smooth = lowpass(xy, fs_hz, axis=0)
    speed = np.linalg.norm(np.diff(smooth, axis=0), axis=-1) * fs_hz
    return float(sparc(speed, fs_hz))
