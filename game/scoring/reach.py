"""Reach efficiency and accuracy metrics on segmented, NaN-padded movements (§3).

Sources (docs/sources.md §3): Kinarm visually guided reaching (Coderre et al. 2010) for
reaction time, movement time, peak speed and path-length ratio; Alt Murphy 2011 for time to
peak velocity. Time is the second-to-last axis of positions ``(..., T, D)`` and the last axis
of scalar signals ``(..., T)``; leading axes are reps or any batch.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate


def _first_last_finite(valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and last True index along the last axis, and whether any is True."""
    any_ = valid.any(axis=-1)
    first = np.argmax(valid, axis=-1)
    last = valid.shape[-1] - 1 - np.argmax(valid[..., ::-1], axis=-1)
    return first, last, any_


def path_length_m(position_m: np.ndarray) -> np.ndarray:
    """Path length: sum of the distances between consecutive finite samples, metres.

    Parameters
    ----------
    position_m : (..., T, D) float

    Returns
    -------
    (...) float64; NaN if no step is finite.
    """
    p = _validate.as_float_array(position_m, "position_m", min_ndim=2)
    steps = np.linalg.norm(np.diff(p, axis=-2), axis=-1)
    total = np.nansum(steps, axis=-1)
    return np.where(np.isfinite(steps).any(axis=-1), total, np.nan)


def path_length_ratio(position_m: np.ndarray) -> np.ndarray:
    """Path-length ratio: path length / straight distance from first to last sample (§3).

    1 is a straight path; a quarter circle gives pi / (2 sqrt 2) = 1.1107 and a semicircle
    pi / 2 (TV5, TV12). The straight line joins the movement's own start and end points
    because the world position of an on-screen target is unknown (Kinarm uses start and
    destination targets).

    Parameters
    ----------
    position_m : (..., T, D) float
        Positions from onset to offset; NaN padding allowed.

    Returns
    -------
    (...) float64, dimensionless; NaN when the hand did not move (distance < 1 mm) or a
    sample inside the path is missing (a gap would shorten the path).
    """
    p = _validate.as_float_array(position_m, "position_m", min_ndim=2)
    finite = np.all(np.isfinite(p), axis=-1)
    first, last, any_ = _first_last_finite(finite)
    any_ = any_ & (finite.sum(axis=-1) == last - first + 1)
    a = np.take_along_axis(p, first[..., None, None], axis=-2)[..., 0, :]
    b = np.take_along_axis(p, last[..., None, None], axis=-2)[..., 0, :]
    straight = np.linalg.norm(b - a, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = path_length_m(p) / straight
    return np.where(any_ & (straight > 1e-3), ratio, np.nan)


def peak_speed_m_s(speed_m_s: np.ndarray) -> np.ndarray:
    """Peak of the speed profile (NaN-aware), m/s; NaN for all-NaN rows."""
    s = _validate.as_float_array(speed_m_s, "speed_m_s")
    filled = np.where(np.isfinite(s), s, -np.inf)
    out = filled.max(axis=-1)
    return np.where(np.isfinite(out), out, np.nan)


def time_to_peak_s(speed_m_s: np.ndarray, fs_hz: float) -> np.ndarray:
    """Time from the first sample to the peak speed, seconds (TPV, Alt Murphy 2011)."""
    s = _validate.as_float_array(speed_m_s, "speed_m_s")
    fs = _validate.positive(fs_hz, "fs_hz")
    idx = np.argmax(np.where(np.isfinite(s), s, -np.inf), axis=-1)
    return np.where(np.isfinite(s).any(axis=-1), idx / fs, np.nan)


def dwell_success(inside: np.ndarray, fs_hz: float, dwell_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Whether the hand stayed in the target for ``dwell_s`` and when it first got there.

    Success is the §3 design rule: the hand inside the target radius for at least a dwell
    time (200-500 ms) before the rep ends.

    Parameters
    ----------
    inside : (..., T) bool
        Hand inside the target at each sample.
    fs_hz : float
        Sampling rate, hertz.
    dwell_s : float
        Required continuous time inside, seconds (0 counts a single sample).

    Returns
    -------
    success : (...) bool
    entry_s : (...) float64
        Time from the first sample to the start of the first successful dwell; NaN if none.
    """
    m = np.asarray(inside, dtype=bool)
    fs = _validate.positive(fs_hz, "fs_hz")
    if not np.isfinite(dwell_s) or dwell_s < 0:
        raise ValueError(f"dwell_s must be finite and >= 0, got {dwell_s!r}")
    success, first = dwell_start_index(m, dwell_samples(dwell_s, fs))
    return success, np.where(success, first / fs, np.nan)


def dwell_samples(dwell_s: float, fs_hz: float) -> int:
    """Consecutive samples that span ``dwell_s`` at ``fs_hz`` ((k - 1) / fs >= dwell_s)."""
    return max(1, int(np.ceil(dwell_s * fs_hz - 1e-9)) + 1) if dwell_s > 0 else 1


def dwell_start_index(inside: np.ndarray, need: int) -> tuple[np.ndarray, np.ndarray]:
    """Whether a run of ``need`` True samples exists (last axis) and where the first starts."""
    m = np.asarray(inside, dtype=bool)
    count = np.cumsum(m, axis=-1)
    run = count - np.maximum.accumulate(np.where(~m, count, 0), axis=-1)
    done = run >= need
    success = done.any(axis=-1)
    return success, np.where(success, np.argmax(done, axis=-1) - need + 1, 0)
