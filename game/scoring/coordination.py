"""Interjoint and bilateral coordination (docs/sources.md §1.2, §3 and §5).

Signals are on the last axis with any leading axes; NaN samples are left out pairwise.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from game.scoring import _validate

MIN_OVERLAP = 3
"""Fewest paired samples for a correlation."""


def _pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson r over the last axis using only samples finite in both.

    Arithmetic of r = sum(da db) / sqrt(sum(da²) sum(db²)) with da, db the deviations from the
    pairwise-finite means (0 elsewhere), done in place on two work arrays: the bilateral
    cross-correlation calls it on (R, 2L+1, T) windows, where each temporary is megabytes."""
    m = np.isfinite(a) & np.isfinite(b)
    unseen = ~m
    n = m.sum(axis=-1)
    da = np.where(m, a, 0.0)
    db = np.where(m, b, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        da -= da.sum(axis=-1, keepdims=True) / n[..., None]
        db -= db.sum(axis=-1, keepdims=True) / n[..., None]
        np.copyto(da, 0.0, where=unseen)
        np.copyto(db, 0.0, where=unseen)
        prod = da * db
        num = prod.sum(axis=-1)
        ssa = np.multiply(da, da, out=prod).sum(axis=-1)
        ssb = np.multiply(db, db, out=prod).sum(axis=-1)
        r = num / np.sqrt(ssa * ssb)
    return np.where(n >= MIN_OVERLAP, np.clip(r, -1.0, 1.0), np.nan)


MIN_JOINT_RANGE_DEG = 10.0
"""Interjoint coordination needs both joints to move at least this much over the reach;
below it the correlation measures landmark noise, and NaN ("none") is reported."""


def _range(x: np.ndarray) -> np.ndarray:
    hi = np.where(np.isfinite(x), x, -np.inf).max(axis=-1)
    lo = np.where(np.isfinite(x), x, np.inf).min(axis=-1)
    return np.where(np.isfinite(hi), hi - lo, 0.0)


def interjoint_coordination(
    shoulder_elevation_deg: np.ndarray,
    elbow_extension_deg: np.ndarray,
    *,
    min_range_deg: float = MIN_JOINT_RANGE_DEG,
) -> np.ndarray:
    """Shoulder-elbow interjoint coordination: zero-lag Pearson r of the two angle curves.

    Alt Murphy's drinking-task definition (§1.2, §3) correlates shoulder *flexion* with elbow
    extension over a forward (sagittal) reach; healthy 0.96 ± 0.02 [S]. The shoulder curve
    here is the ISB elevation, which equals flexion in the flexion plane and, unlike the
    sagittal projection, cannot flip. Its healthy reference holds for forward reaches only,
    so score_reps reports it for reaches whose plane of elevation is the flexion plane and
    NaN otherwise (rep_metrics.forward_reach_only): the game's frontal-plane reaches from the
    lap bend the elbow before straightening it, and no published coordination measure fits
    them. When either joint moves less than ``min_range_deg`` over the
    reach (a reach at shoulder height in the horizontal plane, or with a locked elbow) no
    coordination is defined and the result is NaN.

    Parameters
    ----------
    shoulder_elevation_deg, elbow_extension_deg : (..., T) float
        Angle curves in degrees over the reach (elbow extension = 180 - elbow flexion).

    Returns
    -------
    (...) float64, dimensionless in [-1, 1]; NaN with fewer than 3 paired samples, a joint
    moving less than ``min_range_deg``, or a constant curve.
    """
    a = _validate.as_float_array(shoulder_elevation_deg, "shoulder_elevation_deg")
    b = _validate.as_float_array(elbow_extension_deg, "elbow_extension_deg")
    _validate.same_shape(a, b, "shoulder_elevation_deg", "elbow_extension_deg")
    moved = (_range(a) >= min_range_deg) & (_range(b) >= min_range_deg)
    return np.where(moved, _pearson(a, b), np.nan)


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
    7.04 %. The wrap is Zifchock's: arctan of the ratio lies in (-90°, 90°), so
    45° - arctan lies in (-45°, 135°); when it exceeds 90° (X_L / X_R < -1, opposite signs
    with |X_L| > |X_R|) 180° is subtracted, which keeps SA in (-100 %, 100 %]. X_R = 0 gives
    arctan = ±90° by the sign of X_L (NaN when both are 0).
    """
    r = _validate.as_float_array(x_right, "x_right", min_ndim=0)
    left = _validate.as_float_array(x_left, "x_left", min_ndim=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio_deg = np.where(
            r != 0, np.degrees(np.arctan(left / np.where(r != 0, r, 1.0))), 90.0 * np.sign(left)
        )
    angle = 45.0 - ratio_deg
    angle = np.where(angle > 90.0, angle - 180.0, angle)
    return np.where((r == 0) & (left == 0), np.nan, angle / 90.0 * 100.0)


def amplitude_ratio(x_affected: np.ndarray, x_reference: np.ndarray) -> np.ndarray:
    """Affected / reference amplitude (ROM or peak speed), §5 metric 3; NaN if reference 0."""
    a = _validate.as_float_array(x_affected, "x_affected", min_ndim=0)
    r = _validate.as_float_array(x_reference, "x_reference", min_ndim=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(r != 0, a / r, np.nan)
