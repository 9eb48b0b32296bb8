"""Preprocessing of recorded landmarks before any metric: mask, resample, fill, filter.

The order follows docs/sources.md §2.6 and §10 (items 2-3):

1. landmarks with MediaPipe visibility < 0.5 count as missing (NaN);
2. resample to a uniform time grid from the (possibly irregular) frame timestamps, by linear
   interpolation between neighbouring frames; no interpolation across frames more than
   ``max_gap_s`` apart;
3. fill gaps of at most 150 ms by linear interpolation and flag longer gaps, which stay NaN;
4. zero-phase low-pass: 2nd-order Butterworth at 6 Hz run forwards and backwards
   (``scipy.signal.sosfiltfilt``), so speeds and jerks are not computed from raw jitter.
   Pose rates from 10 to 60 Hz (cheap webcams in dim rooms deliver 10-15 fps) are all valid:
   below 15 Hz the cut-off drops to ``NYQUIST_FRACTION`` of the Nyquist frequency
   (:func:`effective_cutoff_hz`: 4 Hz at 10 Hz, 4.8 Hz at 12 Hz), because a digital
   Butterworth needs its cut-off below fs / 2; hand movements of reaching have almost all
   their energy below 4 Hz, so the lower cut-off costs little (measured in docs/validation.md).

All functions keep the time axis explicit (``axis``) and work on any leading batch axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.scoring import _validate
from game.scoring.zero_phase import filtfilt_columns
from game.tracking.pose import VISIBLE

MAX_GAP_S = 0.15
"""Longest gap filled by interpolation (docs/sources.md §2.6: fill gaps of 100-150 ms)."""
CUTOFF_HZ = 6.0
"""Low-pass cut-off for offline scoring (§2.6: zero-phase Butterworth at about 5-6 Hz)."""
FILTER_ORDER = 2
"""Butterworth order; run twice by sosfiltfilt, so the effective order is 4."""
NYQUIST_FRACTION = 0.8
"""Largest default cut-off as a fraction of the Nyquist frequency fs / 2 (design choice: a
margin below Nyquist keeps the bilinear-transform Butterworth well-conditioned)."""


def effective_cutoff_hz(fs_hz: float, cutoff_hz: float | None = None) -> float:
    """The low-pass cut-off used at ``fs_hz``: ``cutoff_hz`` if given (must be < fs / 2),
    else min(``CUTOFF_HZ``, ``NYQUIST_FRACTION`` x fs / 2) -- 6 Hz from 15 Hz up.

    Raises
    ------
    ValueError
        An explicit ``cutoff_hz`` at or above the Nyquist frequency.
    """
    fs = _validate.positive(fs_hz, "fs_hz")
    if cutoff_hz is None:
        return min(CUTOFF_HZ, NYQUIST_FRACTION * fs / 2.0)
    fc = _validate.positive(cutoff_hz, "cutoff_hz")
    if fc >= fs / 2:
        raise ValueError(f"cutoff_hz must be below fs_hz / 2 = {fs / 2:g}, got {cutoff_hz!r}")
    return fc


@dataclass(frozen=True)
class Preprocessed:
    """A recording on a uniform grid, ready for kinematics.

    Attributes
    ----------
    t_s : (N,) float64
        Uniform grid timestamps in seconds.
    fs_hz : float
        Grid sampling rate in hertz.
    xyz : (..., N, 33, D) float64
        Filtered landmark coordinates (D = 3, or 2 for x, y only) (the input's units); NaN inside long gaps.
    observed : (..., N, 33) bool
        True where the landmark was really seen (not filled, not missing).
    long_gap : (..., N, 33) bool
        True where a gap longer than ``MAX_GAP_S`` left the landmark missing.
    """

    t_s: np.ndarray
    fs_hz: float
    xyz: np.ndarray
    observed: np.ndarray
    long_gap: np.ndarray


def mask_invisible(landmarks: np.ndarray, min_visibility: float = VISIBLE) -> np.ndarray:
    """Coordinates with poorly visible landmarks set to NaN.

    Parameters
    ----------
    landmarks : (..., T, 33, 4) float
        x, y, z and visibility.
    min_visibility : float
        Landmarks below this visibility count as missing (MediaPipe's default 0.5, §2.6).

    Returns
    -------
    (..., T, 33, 3) float64
        x, y, z with NaN where missing.
    """
    lm = _validate.landmarks(landmarks, "landmarks")
    xyz = lm[..., :3].copy()
    with np.errstate(invalid="ignore"):
        missing = ~(lm[..., 3] >= min_visibility)  # NaN visibility counts as missing
    xyz[missing] = np.nan
    return xyz


def grid_rate_hz(t_s: np.ndarray) -> float:
    """Default grid rate: the inverse of the median frame interval, in hertz."""
    t = _validate.timestamps(t_s, "t_s", allow_nan=True)
    t = t[np.isfinite(t)]
    if t.shape[0] < 2:
        raise ValueError("t_s must hold at least two timestamps to infer a sampling rate")
    return float(1.0 / np.median(np.diff(t)))


def resample_uniform(
    t_s: np.ndarray,
    values: np.ndarray,
    fs_hz: float | None = None,
    *,
    axis: int = 0,
    max_gap_s: float = MAX_GAP_S,
) -> tuple[np.ndarray, np.ndarray]:
    """Linearly resample ``values`` onto a uniform grid starting at ``t_s[0]``.

    Parameters
    ----------
    t_s : (T,) float
        Strictly increasing frame timestamps in seconds (may be irregular); a NaN timestamp
        drops its frame.
    values : (..., T, ...) float
        Samples; NaN marks missing ones. The time axis is ``axis``.
    fs_hz : float, optional
        Grid rate in hertz; default :func:`grid_rate_hz`.
    axis : int
        Time axis of ``values``.
    max_gap_s : float
        Grid points between two frames further apart than this stay NaN (a long gap).

    Returns
    -------
    t_grid_s : (N,) float64
    resampled : values with the time axis of length N
    """
    v = _validate.as_float_array(values, "values")
    t = _validate.timestamps(t_s, "t_s", n_frames=v.shape[axis], allow_nan=True)
    fs = grid_rate_hz(t) if fs_hz is None else _validate.positive(fs_hz, "fs_hz")
    return _resample(t, v, fs, axis, max_gap_s)


def _resample(
    t: np.ndarray, v: np.ndarray, fs: float, axis: int, max_gap_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`resample_uniform` on validated float64 input."""
    keep = np.isfinite(t)
    if not keep.all():  # frames without a timestamp are dropped (missing frames)
        t, v = t[keep], np.compress(keep, v, axis=axis)
    n = int(np.floor((t[-1] - t[0]) * fs + 1e-9)) + 1
    grid = t[0] + np.arange(n) / fs
    v0 = np.moveaxis(v, axis, 0)
    if t.shape[0] == 1:
        return grid, np.moveaxis(v0[:1].copy(), 0, axis)
    i = np.clip(np.searchsorted(t, grid, side="right") - 1, 0, t.shape[0] - 2)
    span = t[i + 1] - t[i]
    w = (grid - t[i]) / span
    w = np.where(w < 1e-9, 0.0, np.where(w > 1 - 1e-9, 1.0, w))
    # Exact hits take the sample itself, so a regular recording resamples to itself and a
    # missing neighbour does not spoil an observed frame; only in-between points mix.
    exact = (w == 0) | (w == 1)
    if exact.all():
        out = v0[np.where(w >= 1, i + 1, i)]
    else:
        wm = w.reshape((n,) + (1,) * (v0.ndim - 1))
        # v0[i] * (1 - w) + v0[i + 1] * w, in place: the same bits without three
        # session-sized temporaries
        out = np.take(v0, i, axis=0)
        out *= 1 - wm
        after = np.take(v0, i + 1, axis=0)
        after *= wm
        out += after
        out[w == 0] = v0[i[w == 0]]
        out[w == 1] = v0[i[w == 1] + 1]
        out[~exact & (span > max_gap_s + 1e-9)] = np.nan
    return grid, np.moveaxis(out, 0, axis)


Missing = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Missing samples of an ``(N, K)`` array: time index, column, previous and next valid time
index in the same column (-1 / N when there is none)."""


def _missing(valid: np.ndarray) -> Missing:
    """Locate missing samples and their valid neighbours (sparse: cost ~ missing count)."""
    n = valid.shape[0]
    flat = valid.T.ravel()  # column-major: position = column * n + time
    miss = np.flatnonzero(~flat)
    good = np.flatnonzero(flat)
    col, t = np.divmod(miss, n)
    if good.size == 0:
        return t, col, np.full_like(t, -1), np.full_like(t, n)
    pos = np.searchsorted(good, miss)
    before = good[np.maximum(pos - 1, 0)]
    after = good[np.minimum(pos, good.size - 1)]
    prev = np.where((pos > 0) & (before // n == col), before % n, -1)
    nxt = np.where((pos < good.size) & (after // n == col), after % n, n)
    return t, col, prev, nxt


def _fill_where(v: np.ndarray, miss: Missing, which: np.ndarray | None = None) -> None:
    """In place: linear interpolation of ``(N, K)`` v at missing samples (``which`` of them).

    A sample with a valid neighbour on one side only takes that side's value (edge hold);
    with none it stays NaN.
    """
    n = v.shape[0]
    t, k, p, q = (m if which is None else m[which] for m in miss)
    if t.size == 0:
        return
    has_p, has_q = p >= 0, q < n
    pp, qq = np.where(has_p, p, q), np.where(has_q, q, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(qq > pp, (t - pp) / np.maximum(qq - pp, 1), 0.0)
    vp, vq = v[np.clip(pp, 0, n - 1), k], v[np.clip(qq, 0, n - 1), k]
    v[t, k] = np.where(has_p | has_q, vp + (vq - vp) * w, np.nan)


def _as_2d(values: np.ndarray, axis: int, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    v = np.moveaxis(_validate.as_float_array(values, name), axis, 0)
    return v.reshape(v.shape[0], -1).copy(), v.shape


def _from_2d(v2: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray:
    return np.moveaxis(v2.reshape(shape), 0, axis)


def _fill_gaps_2d(
    v: np.ndarray, fs: float, max_gap_s: float, finite: np.ndarray | None = None
) -> tuple[np.ndarray, Missing]:
    """In place on (N, K): fill short gaps; return the long-gap mask and what is still missing.

    Gaps are maximal NaN runs, so the samples left missing keep the valid neighbours found
    before filling, and the filter's bridging can reuse them. ``finite``: ``np.isfinite(v)``
    when the caller has it already.
    """
    miss = _missing(np.isfinite(v) if finite is None else finite)
    t, _, prev, nxt = miss
    gap_s = (nxt - prev - 1) / fs
    short = (prev >= 0) & (nxt < v.shape[0]) & (gap_s <= max_gap_s + 1e-9)
    _fill_where(v, miss, short)
    long_gap = np.zeros(v.shape, dtype=bool)
    rest = tuple(m[~short] for m in miss)
    long_gap[rest[0], rest[1]] = True
    return long_gap, rest  # type: ignore[return-value]


def fill_gaps(
    values: np.ndarray, fs_hz: float, *, axis: int = 0, max_gap_s: float = MAX_GAP_S
) -> tuple[np.ndarray, np.ndarray]:
    """Fill short NaN gaps on a uniform grid; flag the long ones.

    A gap of ``k`` missing samples lasts ``k / fs_hz`` seconds; it is filled by linear
    interpolation between the bracketing samples when that is at most ``max_gap_s``
    (150 ms, §2.6). Gaps at the start or end, or longer, stay NaN and are flagged.

    Parameters
    ----------
    values : (..., N, ...) float
        Uniformly sampled values; NaN marks missing. Time axis ``axis``.
    fs_hz : float
        Sampling rate in hertz.

    Returns
    -------
    filled : same shape as ``values``
    long_gap : bool, same shape
        True where a value is still missing after filling.
    """
    fs = _validate.positive(fs_hz, "fs_hz")
    v, shape = _as_2d(values, axis, "values")
    long_gap, _ = _fill_gaps_2d(v, fs, max_gap_s)
    return _from_2d(v, shape, axis), _from_2d(long_gap, shape, axis)


def _lowpass_2d(v: np.ndarray, fs: float, fc: float, order: int, miss: Missing | None = None) -> np.ndarray:
    """Zero-phase low-pass of the columns of ``(N, K)`` v, NaN again where v was missing.
    Bridges the missing samples of v in place (every caller passes a work array of its own)."""
    bridged = v
    if miss is None:
        miss = _missing(np.isfinite(v))
    if miss[0].size:
        _fill_where(bridged, miss)
        bridged[miss[0], miss[1]] = np.nan_to_num(bridged[miss[0], miss[1]])  # empty channels
    out = filtfilt_columns(bridged, order, fc, fs)
    out[miss[0], miss[1]] = np.nan
    return out


def lowpass(
    values: np.ndarray,
    fs_hz: float,
    *,
    cutoff_hz: float | None = None,
    order: int = FILTER_ORDER,
    axis: int = 0,
) -> np.ndarray:
    """Zero-phase Butterworth low-pass (``sosfiltfilt``), NaN-aware.

    NaN stretches are bridged by linear interpolation (held at the ends) only while filtering
    and are NaN again in the output, so a long gap never invents data and never spreads NaN
    over the whole channel. A channel with no finite sample stays NaN.

    Parameters
    ----------
    values : (..., N, ...) float
        Uniformly sampled values; time axis ``axis``.
    fs_hz : float
        Sampling rate in hertz.
    cutoff_hz : float, optional
        -3 dB cut-off of one pass, in hertz; must be < fs_hz / 2. Default
        :func:`effective_cutoff_hz` (6 Hz for scoring, §2.6, lower below 15 Hz).

    Returns
    -------
    same shape as ``values``
    """
    fs = _validate.positive(fs_hz, "fs_hz")
    fc = effective_cutoff_hz(fs, cutoff_hz)
    v, shape = _as_2d(values, axis, "values")
    if v.shape[0] < 2:
        return _from_2d(v, shape, axis)
    return _from_2d(_lowpass_2d(v, fs, fc, order), shape, axis)


def _coord_sum(xyz: np.ndarray) -> np.ndarray:
    """Sum over the short last axis (faster than ``sum(axis=-1)`` on tiny axes)."""
    out = xyz[..., 0].copy()
    for d in range(1, xyz.shape[-1]):
        out += xyz[..., d]
    return out


def preprocess_signals(
    t_s: np.ndarray,
    values: np.ndarray,
    *,
    fs_hz: float | None = None,
    cutoff_hz: float | None = None,
    max_gap_s: float = MAX_GAP_S,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Steps 2-4 (resample, fill, filter) for any time-first signal ``(T, ...)``.

    Use it for signals that are linear combinations of landmarks (a centre-of-mass proxy):
    filtering the combination equals combining the filtered landmarks, at a fraction of the
    cost. Mask invisible landmarks first (:func:`mask_invisible`).

    Returns
    -------
    t_grid_s : (N,) float64
    filtered : (N, ...) float64, NaN in long gaps
    observed : (N, ...) bool, True where really observed (not filled)
    long_gap : (N, ...) bool
    """
    v = _validate.as_float_array(values, "values")
    t = _validate.timestamps(t_s, "t_s", n_frames=v.shape[0], allow_nan=True)
    fs = grid_rate_hz(t) if fs_hz is None else _validate.positive(fs_hz, "fs_hz")
    fc = effective_cutoff_hz(fs, cutoff_hz)
    grid, res = _resample(t, v, fs, 0, max_gap_s)  # a new array: filled in place below
    observed = np.isfinite(res)
    shape = res.shape
    v2 = res.reshape(shape[0], -1)
    long_gap, rest = _fill_gaps_2d(v2, fs, max_gap_s, observed.reshape(shape[0], -1))
    out = _lowpass_2d(v2, fs, fc, FILTER_ORDER, rest) if v2.shape[0] > 1 else v2
    return grid, _from_2d(out, shape, 0), observed, _from_2d(long_gap, shape, 0)


def preprocess_landmarks(
    t_s: np.ndarray,
    landmarks: np.ndarray,
    *,
    fs_hz: float | None = None,
    indices: tuple[int, ...] | None = None,
    dims: int = 3,
    cutoff_hz: float | None = None,
    max_gap_s: float = MAX_GAP_S,
) -> Preprocessed:
    """Mask, resample, gap-fill and low-pass a recording (steps 1-4 of the module doc).

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps in seconds, strictly increasing, possibly irregular.
    landmarks : (..., T, 33, 4) float
        World (metres) or image landmarks with visibility.
    fs_hz : float, optional
        Grid rate; default the inverse median frame interval.
    cutoff_hz : float, optional
        Low-pass cut-off; default :func:`effective_cutoff_hz`.
    indices : tuple of int, optional
        Only process these landmarks (the others are NaN) to save time.
    dims : {2, 3}
        Coordinates to keep: 3 for x, y, z; 2 for x, y only (image landmarks whose z is
        not used).

    Returns
    -------
    Preprocessed
    """
    lm = _validate.landmarks(landmarks, "landmarks", convert=False)
    t = _validate.timestamps(t_s, "t_s", n_frames=lm.shape[-3], allow_nan=True)
    fs = grid_rate_hz(t) if fs_hz is None else _validate.positive(fs_hz, "fs_hz")
    fc = effective_cutoff_hz(fs, cutoff_hz)
    idx = list(range(lm.shape[-2])) if indices is None else list(indices)
    sub = np.asarray(lm[..., idx, :], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        sub[~(sub[..., 3] >= VISIBLE)] = np.nan  # visibility < 0.5 (or NaN) is missing
    if dims not in (2, 3):
        raise ValueError(f"dims must be 2 or 3, got {dims!r}")
    grid, res = _resample(t, sub[..., :dims], fs, -3, max_gap_s)
    observed = np.isfinite(_coord_sum(res))
    v, shape = _as_2d(res, -3, "landmarks")
    long_gap, rest = _fill_gaps_2d(v, fs, max_gap_s)
    smooth = _from_2d(_lowpass_2d(v, fs, fc, FILTER_ORDER, rest) if v.shape[0] > 1 else v, shape, -3)
    gap = _coord_sum(_from_2d(long_gap, shape, -3).astype(np.float64)) > 0
    if indices is None:
        return Preprocessed(grid, fs, smooth, observed, gap)
    full = np.full(smooth.shape[:-2] + (lm.shape[-2], dims), np.nan)
    full[..., idx, :] = smooth
    obs = np.zeros(full.shape[:-1], dtype=bool)
    obs[..., idx] = observed
    gap_full = np.ones(full.shape[:-1], dtype=bool)
    gap_full[..., idx] = gap
    return Preprocessed(grid, fs, full, obs, gap_full)
