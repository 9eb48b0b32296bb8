"""Confidence of each metric: fraction of really observed frames and a reliable flag.

Markerless data drop out (occlusion, low visibility). A metric computed mostly from filled
or missing frames is marked unreliable; unreliable metrics are displayed as such and never
averaged in silently (docs/sources.md §2.6 and §10 item 2: flag trials with long gaps or
low visibility).
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate

MIN_RELIABLE_REPS = 3
"""A level metric is reliable when at least this many of its reps were (Alt Murphy et al. 2021:
the mean of 3 trials gives good-to-excellent reliability; docs/sources.md §1)."""
MIN_VALID_FRACTION = 0.8
"""A metric is reliable when at least 80% of the frames it uses were observed (design
choice: the 150 ms gap fill may bridge up to 4 frames at 30 Hz, so 80% keeps fills rare)."""
MIN_RELIABLE_REPS = 3
"""A metric summarised over reps (a level's or a session's median) is reliable when at least
this many of its reps were (Alt Murphy et al. 2021: the mean of 3 trials gives
good-to-excellent reliability; docs/sources.md §1)."""


def valid_fraction(observed: np.ndarray, window: np.ndarray | None = None) -> np.ndarray:
    """Fraction of observed samples along the last axis, within an optional window mask.

    Parameters
    ----------
    observed : (..., T) bool
        True where the data needed by a metric were observed.
    window : (..., T) bool, optional
        Samples that belong to the metric (e.g. the rep); default all.

    Returns
    -------
    (...) float64 in [0, 1]; 0 for empty windows.
    """
    obs = np.asarray(observed, dtype=bool)
    win = np.ones_like(obs) if window is None else np.asarray(window, dtype=bool)
    _validate.same_shape(obs, win, "observed", "window")
    n = win.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (obs & win).sum(axis=-1) / n
    return np.where(n > 0, frac, 0.0)


def reliable(value: np.ndarray, fraction: np.ndarray, min_fraction: float = MIN_VALID_FRACTION) -> np.ndarray:
    """Reliable flag: the value is finite and enough of its frames were observed.

    Parameters
    ----------
    value : (...) float
        The metric.
    fraction : (...) float
        Its valid fraction from :func:`valid_fraction`.

    Returns
    -------
    (...) bool
    """
    v = np.asarray(value, dtype=np.float64)
    f = np.asarray(fraction, dtype=np.float64)
    return np.isfinite(v) & (f >= min_fraction)


def reliable_median(values: np.ndarray, is_reliable: np.ndarray) -> tuple[float, int]:
    """Median of the reliable values only, and how many there were (NaN, 0 if none).

    Use this instead of ``np.nanmedian`` whenever reps are aggregated, so unreliable reps
    are excluded explicitly and the count can be shown (§1: report the median of >= 3 reps).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    ok = np.asarray(is_reliable, dtype=bool).ravel() & np.isfinite(v)
    if not ok.any():
        return float("nan"), 0
    return float(np.median(v[ok])), int(ok.sum())


def window_reliable(
    value: np.ndarray,
    observed: np.ndarray,
    long_gap: np.ndarray,
    start_idx: np.ndarray,
    length: np.ndarray,
    min_fraction: float = MIN_VALID_FRACTION,
) -> tuple[np.ndarray, np.ndarray]:
    """Valid fraction and reliable flag of per-rep values over each value's own window.

    A value is reliable when it is finite, at least ``min_fraction`` of its window was
    observed, and no sample of the window lies in a long (unfilled) gap: the part of the
    movement a metric depends on must have been seen, not only most of the rep.

    Parameters
    ----------
    value : (R,) float
    observed, long_gap : (N,) bool
        Session-long masks on the analysis grid.
    start_idx, length : (R,) int
        Each value's window on the grid.

    Returns
    -------
    fraction : (R,) float64 in [0, 1] (0 for empty windows)
    reliable : (R,) bool
    """
    frac, gap = window_coverage(observed, long_gap, start_idx, length)
    return frac, reliable(value, frac, min_fraction) & ~gap & (np.asarray(length) > 0)


def window_coverage(
    observed: np.ndarray, long_gap: np.ndarray, start_idx: np.ndarray, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The part of :func:`window_reliable` that does not depend on the value: each window's
    observed fraction ``(R,)`` float64 and whether a long gap touches it ``(R,)`` bool.
    Metrics sharing a landmark group and a window share it (score_reps computes it once per
    pair instead of once per metric)."""
    return _window_mean(observed, start_idx, length), _window_mean(long_gap, start_idx, length) > 0


def _window_mean(mask: np.ndarray, start_idx: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Mean of a time-first bool mask inside each window (0 for empty windows)."""
    m = np.concatenate([[0.0], np.cumsum(np.asarray(mask, dtype=np.float64))])
    a = np.clip(np.asarray(start_idx, dtype=np.int64), 0, m.size - 1)
    b = np.clip(a + np.asarray(length, dtype=np.int64), 0, m.size - 1)
    n = b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (m[b] - m[a]) / np.maximum(n, 1), 0.0)
