"""Compensation during a reach: trunk displacement and shoulder hiking (§1, §3).

Trunk displacement and arm abduction stay abnormal for a year after stroke while movement
time recovers (SALGOT, Alt Murphy 2020), so they are reported beside success, never folded
into it (§10 item 5). Inputs are world positions in metres, time on axis -2, NaN padded.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate


def _start(p: np.ndarray, rest_samples: int = 1) -> np.ndarray:
    """Rest position ``(..., 1, D)``: mean of the finite samples among the first
    ``rest_samples``; the first finite sample when none of them is finite."""
    valid = np.all(np.isfinite(p), axis=-1)
    first = np.take_along_axis(p, np.argmax(valid, axis=-1)[..., None, None], axis=-2)
    head = p[..., :rest_samples, :]
    ok = valid[..., :rest_samples, None]
    n = ok.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, head, 0.0).sum(axis=-2, keepdims=True) / n
    return np.where(n > 0, mean, first)


def trunk_displacement_mm(trunk_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest distance of the trunk point from its rest position, millimetres.

    max_t |p(t) - p_rest| with p the mid-shoulder point (no sternum landmark in MediaPipe),
    §3 after Alt Murphy 2011 (healthy 27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).
    p_rest is the mean of the first ``rest_samples`` samples (the rest just before onset):
    a mean rather than one sample, so the reference's own jitter does not add to the
    floor. The noise floor of this measure is in game/scoring/noise_floor.py; score_reps
    low-passes the trunk at reps.TRUNK_CUTOFF_HZ first.

    Parameters
    ----------
    trunk_m : (..., T, 3) float
        Trunk point from the rest before onset onwards, metres.
    rest_samples : int
        Leading samples that form the rest position (1: the first finite sample).

    Returns
    -------
    (...) float64, mm; NaN without finite samples.
    """
    p = _validate.as_float_array(trunk_m, "trunk_m", min_ndim=2)
    d = np.linalg.norm(p - _start(p, max(int(rest_samples), 1)), axis=-1)
    out = np.where(np.isfinite(d), d, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def shoulder_hiking_mm(shoulder_m: np.ndarray, hip_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest rise of the reaching shoulder above its same-side hip, from onset, mm.

    Height is along world "up" (-y): h(t) = y_hip(t) - y_shoulder(t); hiking = max_t h(t) -
    h_rest, h_rest the mean of the first ``rest_samples`` samples. Measuring against the hip
    rather than the image removes whole-body motion; a lateral trunk lean away from the arm
    also raises it (design choice, [M]).

    Parameters
    ----------
    shoulder_m, hip_m : (..., T, 3) float
        World positions of the reaching side's shoulder and hip, metres.

    Returns
    -------
    (...) float64, mm (>= 0); NaN without finite samples.
    """
    s = _validate.as_float_array(shoulder_m, "shoulder_m", min_ndim=2)
    h = _validate.as_float_array(hip_m, "hip_m", min_ndim=2)
    _validate.same_shape(s, h, "shoulder_m", "hip_m")
    height = (h[..., 1] - s[..., 1])[..., None]
    height = np.where(np.isfinite(height), height, np.nan)
    rise = (height - _start(height, max(int(rest_samples), 1)))[..., 0]
    out = np.where(np.isfinite(rise), rise, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)
