"""Rep windows and movement onset/offset, vectorised over reps.

A rep runs from its cue (the target appearing) to its end time (the game's end of the rep).
Within it, the movement starts at the first sample where hand speed reaches
``ONSET_FRACTION`` of the rep's peak speed and ends at the last such sample
(clinical_metrics.md §1.2 and §3: 2% in SALGOT, 5% in Saes 2021). We use the 5% rule: 2% of a
typical 0.5 m/s peak is 10 mm/s, below the filtered markerless noise floor, and §2.2 shows
SPARC is the same (-1.406) with either threshold.

Reps are stored padded: ``(R, Tmax, ...)`` with NaN after each rep's last sample.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate

ONSET_FRACTION = 0.05
"""Onset/offset threshold as a fraction of the rep's peak hand speed (Saes 2021, §3)."""
PERSISTENCE_S = 0.1
"""Speed must stay above the threshold this long to count (§3 video adaptation: >= 100 ms
persistence), so a noise spike during rest or hold is not taken for the movement."""


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """Length of the run of True each sample belongs to (0 for False), along the last axis."""
    m = np.asarray(mask, dtype=bool)
    fwd = np.cumsum(m, axis=-1)
    fwd = fwd - np.maximum.accumulate(np.where(~m, fwd, 0), axis=-1)
    rev = m[..., ::-1]
    bwd = np.cumsum(rev, axis=-1)
    bwd = (bwd - np.maximum.accumulate(np.where(~rev, bwd, 0), axis=-1))[..., ::-1]
    return np.where(m, fwd + bwd - 1, 0)


def window_indices(
    t_grid_s: np.ndarray, start_s: np.ndarray, end_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Grid index of each window's first sample and the window's length in samples.

    Parameters
    ----------
    t_grid_s : (N,) float
        Uniform grid, seconds.
    start_s, end_s : (R,) float
        Window start and end times in seconds (inclusive), ``end_s >= start_s``.

    Returns
    -------
    start_idx : (R,) int
        First grid sample at or after ``start_s``.
    length : (R,) int
        Samples up to and including the last one at or before ``end_s`` (0 if none).
    """
    t = _validate.timestamps(t_grid_s, "t_grid_s")
    a = _validate.as_float_array(start_s, "start_s")
    b = _validate.as_float_array(end_s, "end_s")
    _validate.same_shape(a, b, "start_s", "end_s")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("start_s and end_s must be finite")
    if np.any(b < a):
        raise ValueError("end_s must not be before start_s")
    first = np.searchsorted(t, a - 1e-9, side="left")
    stop = np.searchsorted(t, b + 1e-9, side="right")
    return first, np.maximum(stop - first, 0)


def gather(values: np.ndarray, start_idx: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Cut windows out of a time-first array into a NaN-padded ``(R, Tmax, ...)`` array.

    Parameters
    ----------
    values : (N, ...) float
        Time-first samples.
    start_idx, length : (R,) int
        Window starts and lengths in samples.

    Returns
    -------
    (R, max(length, 1), ...) float64
    """
    v = np.asarray(values, dtype=np.float64)
    start = np.asarray(start_idx, dtype=np.int64)
    n = np.asarray(length, dtype=np.int64)
    t_max = max(int(n.max()) if n.size else 0, 1)  # one NaN column keeps reductions valid
    idx = start[:, None] + np.arange(t_max)[None, :]
    inside = (np.arange(t_max)[None, :] < n[:, None]) & (idx >= 0) & (idx < v.shape[0])
    out = v[np.clip(idx, 0, max(v.shape[0] - 1, 0))]
    out[~inside] = np.nan
    return out


def onset_offset(
    speed: np.ndarray,
    fraction: float = ONSET_FRACTION,
    *,
    min_run: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Movement onset, offset and peak indices of padded speed profiles.

    Onset is the first sample of the first run of at least ``min_run`` samples at or above
    ``fraction`` x peak; offset the last sample of the last such run. The peak's own run
    always counts.

    Parameters
    ----------
    speed : (..., T) float
        Hand speed of each rep window (NaN padding allowed).
    fraction : float
        Threshold as a fraction of each row's peak speed.
    min_run : int
        Persistence in samples (``round(PERSISTENCE_S * fs)`` in score_reps).

    Returns
    -------
    onset, offset, peak : (...) int
        Sample indices within each row (0 where the row is invalid).
    valid : (...) bool
        False for rows without a finite, positive peak.
    """
    s = _validate.as_float_array(speed, "speed")
    k = _validate.fraction(fraction, "fraction")
    filled = np.where(np.isfinite(s), s, -np.inf)
    peak = np.argmax(filled, axis=-1)
    peak_val = np.take_along_axis(filled, peak[..., None], axis=-1)
    valid = np.isfinite(peak_val[..., 0]) & (peak_val[..., 0] > 0)
    above = filled >= k * peak_val
    run_id = np.cumsum(
        above & ~np.concatenate([np.zeros_like(above[..., :1]), above[..., :-1]], axis=-1), axis=-1
    )
    peak_id = np.take_along_axis(run_id, peak[..., None], axis=-1)
    above = above & ((run_lengths(above) >= min_run) | (run_id == peak_id))
    onset = np.argmax(above, axis=-1)
    offset = s.shape[-1] - 1 - np.argmax(above[..., ::-1], axis=-1)
    zero = np.zeros_like(onset)
    return (np.where(valid, onset, zero), np.where(valid, offset, zero), np.where(valid, peak, zero), valid)
