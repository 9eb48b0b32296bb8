"""Interjoint and bilateral coordination (clinical_metrics.md §1.2, §3 and §5).

Signals are on the last axis with any leading axes; NaN samples are left out pairwise.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from game.scoring import _validate

MIN_OVERLAP = 3
"""Fewest paired samples for a correlation."""


def _pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson r over the last axis using only samples finite in both."""
    m = np.isfinite(a) & np.isfinite(b)
    n = m.sum(axis=-1)
    a0 = np.where(m, a, 0.0)
    b0 = np.where(m, b, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = a0.sum(axis=-1, keepdims=True) / n[..., None]
        mb = b0.sum(axis=-1, keepdims=True) / n[..., None]
        da = np.where(m, a0 - ma, 0.0)
        db = np.where(m, b0 - mb, 0.0)
        r = (da * db).sum(axis=-1) / np.sqrt((da**2).sum(axis=-1) * (db**2).sum(axis=-1))
    return np.where(n >= MIN_OVERLAP, np.clip(r, -1.0, 1.0), np.nan)


def interjoint_coordination(shoulder_flexion_deg: np.ndarray, elbow_extension_deg: np.ndarray) -> np.ndarray:
    """Shoulder-elbow interjoint coordination: zero-lag Pearson r of the two angle curves.

    Alt Murphy's drinking-task definition (§1.2, §3): correlation of shoulder flexion and
    elbow extension over the reach; healthy 0.96 ± 0.02 [S].

    Parameters
    ----------
    shoulder_flexion_deg, elbow_extension_deg : (..., T) float
        Angle curves in degrees over the reach.

    Returns
    -------
    (...) float64, dimensionless in [-1, 1]; NaN with fewer than 3 paired samples or a
    constant curve.
    """
    a = _validate.as_float_array(shoulder_flexion_deg, "shoulder_flexion_deg")
    b = _validate.as_float_array(elbow_extension_deg, "elbow_extension_deg")
    _validate.same_shape(a, b, "shoulder_flexion_deg", "elbow_extension_deg")
    return _pearson(a, b)


def cross_correlation_peak(
    a: np.ndarray, b: np.ndarray, fs_hz: float, *, max_lag_s: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Peak normalised cross-correlation of two signals and its lag (§5 metric 1).

    r(tau) is the Pearson correlation of a(t) and b(t + tau) over the overlapping samples,
    for |tau| <= ``max_lag_s``; tau* > 0 means b lags a (TV8: a 0.5 Hz sine delayed by
    100 ms gives r = 1.000 at +0.100 s). Noise tolerance: with white noise of 10% of the
    signal amplitude on both signals the lag stays within one sample and r > 0.95
    (tests/test_scoring_balance.py).

    Parameters
    ----------
    a, b : (..., T) float
        The two limbs' signals (speed, angle or position along the task axis), uniformly
        sampled; NaN allowed.
    fs_hz : float
        Sampling rate, hertz.
    max_lag_s : float
        Largest lag searched, seconds (±1 s, §5).

    Returns
    -------
    r_max : (...) float64
        Peak correlation (dimensionless).
    lag_s : (...) float64
        Lag of the peak in seconds; NaN where no lag had enough overlap.
    """
    x = _validate.as_float_array(a, "a")
    y = _validate.as_float_array(b, "b")
    _validate.same_shape(x, y, "a", "b")
    fs = _validate.positive(fs_hz, "fs_hz")
    lag_max = min(int(round(_validate.positive(max_lag_s, "max_lag_s") * fs)), x.shape[-1] - 1)
    pad = [(0, 0)] * (y.ndim - 1) + [(lag_max, lag_max)]
    yp = np.pad(y, pad, constant_values=np.nan)
    windows = sliding_window_view(yp, x.shape[-1], axis=-1)  # (..., 2L+1, T): b(t + j - L)
    r = _pearson(x[..., None, :], windows)
    filled = np.where(np.isfinite(r), r, -np.inf)
    j = np.argmax(filled, axis=-1)
    r_max = np.take_along_axis(filled, j[..., None], axis=-1)[..., 0]
    ok = np.isfinite(r_max)
    return np.where(ok, r_max, np.nan), np.where(ok, (j - lag_max) / fs, np.nan)


def symmetry_index_pct(x_right: np.ndarray, x_left: np.ndarray) -> np.ndarray:
    """Symmetry index SI = (X_R - X_L) / (0.5 (X_R + X_L)) * 100 %, (Robinson 1987, §5).

    Apply to per-rep or per-level magnitudes (ROM, peak speed), never sample by sample to
    signed angles: SI blows up near zero. TV9: X_R = 100, X_L = 80 gives 22.22 %.

    Returns
    -------
    (...) float64, percent; NaN where X_R + X_L is 0.
    """
    r = _validate.as_float_array(x_right, "x_right", min_ndim=0)
    left = _validate.as_float_array(x_left, "x_left", min_ndim=0)
    mean = 0.5 * (r + left)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mean != 0, (r - left) / mean * 100.0, np.nan)


def symmetry_angle_pct(x_right: np.ndarray, x_left: np.ndarray) -> np.ndarray:
    """Symmetry angle SA = (45° - arctan(X_L / X_R)) / 90° * 100 % (Zifchock 2008, §5).

    Needs no reference limb and does not inflate near zero. TV9: X_R = 100, X_L = 80 gives
    7.04 %.
    """
    r = _validate.as_float_array(x_right, "x_right", min_ndim=0)
    left = _validate.as_float_array(x_left, "x_left", min_ndim=0)
    return (45.0 - np.degrees(np.arctan2(left, r))) / 90.0 * 100.0


def amplitude_ratio(x_affected: np.ndarray, x_reference: np.ndarray) -> np.ndarray:
    """Affected / reference amplitude (ROM or peak speed), §5 metric 3; NaN if reference 0."""
    a = _validate.as_float_array(x_affected, "x_affected", min_ndim=0)
    r = _validate.as_float_array(x_reference, "x_reference", min_ndim=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(r != 0, a / r, np.nan)
