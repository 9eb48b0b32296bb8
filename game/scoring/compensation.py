"""Compensation during a reach: trunk displacement and shoulder hiking (§1, §3).

Trunk displacement and arm abduction stay abnormal for a year after stroke while movement
time recovers (SALGOT, Alt Murphy 2020), so they are reported beside success, never folded
into it (§10 item 5). Inputs are world positions in metres, time on axis -2, NaN padded.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate


def _start(p: np.ndarray) -> np.ndarray:
    valid = np.all(np.isfinite(p), axis=-1)
    first = np.argmax(valid, axis=-1)
    return np.take_along_axis(p, first[..., None, None], axis=-2)


def trunk_displacement_mm(trunk_m: np.ndarray) -> np.ndarray:
    """Largest distance of the trunk point from its position at movement onset, millimetres.

    max_t |p(t) - p(t_on)| with p the mid-shoulder point (no sternum landmark in MediaPipe),
    §3 after Alt Murphy 2011 (healthy 27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).

    Parameters
    ----------
    trunk_m : (..., T, 3) float
        Trunk point from onset (first finite sample) onwards, metres.

    Returns
    -------
    (...) float64, mm; NaN without finite samples.
    """
    p = _validate.as_float_array(trunk_m, "trunk_m", min_ndim=2)
    d = np.linalg.norm(p - _start(p), axis=-1)
    out = np.where(np.isfinite(d), d, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def shoulder_hiking_mm(shoulder_m: np.ndarray, hip_m: np.ndarray) -> np.ndarray:
    """Largest rise of the reaching shoulder above its same-side hip, from onset, mm.

    Height is along world "up" (-y): h(t) = y_hip(t) - y_shoulder(t); hiking = max_t h(t) -
    h(t_on). Measuring against the hip rather than the image removes whole-body motion; a
    lateral trunk lean away from the arm also raises it (design choice, [M]).

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
    rise = (height - _start(height))[..., 0]
    out = np.where(np.isfinite(rise), rise, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)
