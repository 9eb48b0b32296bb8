"""Rep windows and movement onset/offset, vectorised over reps.

A rep runs from its cue (the target appearing) to its end time (the game's end of the rep).
Within it, the movement starts at the first sample where hand speed reaches
``ONSET_FRACTION`` of the rep's peak speed and ends at the last such sample
(docs/sources.md §1.2 and §3: 2% in SALGOT, 5% in Saes 2021). We use the 5% rule: 2% of a
typical 0.5 m/s peak is 10 mm/s, below the filtered markerless noise floor, and §2.2 shows
SPARC is the same (-1.406) with either threshold.

Reps are stored padded: ``(R, Tmax, ...)`` with NaN after each rep's last sample.

:func:`excursions` segments the reps of a free exercise (no cue, no target) for offline
analysis: start position -> movement -> back.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from game.scoring import _validate

ONSET_FRACTION = 0.05
"""Onset/offset threshold as a fraction of the rep's peak hand speed (Saes 2021, §3)."""
PERSISTENCE_S = 0.1
"""Speed must stay above the threshold this long to count (§3 video adaptation: >= 100 ms
persistence), so a noise spike during rest or hold is not taken for the movement."""
MIN_PEAK_SPEED_M_S = 0.03
"""A movement toward the target must reach at least this hand speed (30 mm/s, above the
filtered markerless speed floor of game/scoring/noise_floor.py); slower is no movement."""
MAX_NOISE_FRACTION = 0.3
"""The rest-noise speed threshold never exceeds this fraction of the peak speed."""
PRE_CUE_S = 1.0
"""Rep windows are searched from this long before the cue, so a movement that had already
started at the cue is found (and flagged) instead of read as a reaction time of 0."""


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


def rest_noise(speed: np.ndarray, stop_col: np.ndarray, window: int) -> np.ndarray:
    """Speed noise at rest before each movement, ``(R,)``: the smallest mean + 3 SD of any
    ``window`` consecutive samples before ``stop_col`` (0 if there is no such stretch).

    The quietest stretch, so the end of a previous movement in the window does not count as
    noise; while the hand never stops, it is the slow turn-around.
    """
    s = np.asarray(speed, dtype=np.float64)
    n = s.shape[-1]
    if window < 2 or n < window:
        return np.zeros(s.shape[0])
    col = np.arange(n - window + 1)
    c1 = np.concatenate([np.zeros((s.shape[0], 1)), np.cumsum(np.nan_to_num(s), axis=-1)], axis=-1)
    c2 = np.concatenate([np.zeros((s.shape[0], 1)), np.cumsum(np.nan_to_num(s) ** 2, axis=-1)], axis=-1)
    cn = np.concatenate([np.zeros((s.shape[0], 1)), np.cumsum(np.isfinite(s), axis=-1)], axis=-1)
    full = (cn[:, window:] - cn[:, :-window]) == window
    mean = (c1[:, window:] - c1[:, :-window]) / window
    var = np.maximum((c2[:, window:] - c2[:, :-window]) / window - mean**2, 0.0)
    ok = full & (col + window <= np.asarray(stop_col)[:, None])
    level = np.where(ok, mean + 3.0 * np.sqrt(var * window / (window - 1)), np.inf).min(axis=-1)
    return np.where(np.isfinite(level), level, 0.0)


def _last_true_before(mask: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Index of the last True in each row strictly before ``stop`` (-1 if none)."""
    col = np.arange(mask.shape[-1])
    return np.where(mask & (col < stop[..., None]), col, -1).max(axis=-1)


def reach_onset_offset(
    speed: np.ndarray,
    approach: np.ndarray,
    cue_col: np.ndarray,
    fraction: float = ONSET_FRACTION,
    *,
    min_run: int = 1,
    inside: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Onset, offset and peak of the movement TOWARD the target in padded rep windows.

    The speed threshold is the larger of ``fraction`` x peak (the 5 % rule) and the rest
    noise before the peak (:func:`rest_noise` over 3 x ``min_run`` samples, about 0.3 s; at
    most ``MAX_NOISE_FRACTION`` x peak), the video adaptation of §3: tremor and landmark
    jitter at rest must not extend the movement of a small, slow reach. A peak below
    ``MIN_PEAK_SPEED_M_S`` is no movement.

    Each row is a window that starts up to ``PRE_CUE_S`` before the cue (column ``cue_col``)
    and ends at the rep's end. The movement is the one that carries the hand toward the
    target: its peak is the fastest sample after the cue at which the hand approaches the
    target (``approach > 0``). Onset is the first sample of the stretch before that peak in
    which the hand both moves faster than the threshold (the 5 % rule, Saes 2021) and
    approaches the target, a stretch that only a pause of at least ``min_run`` samples ends
    (the persistence rule applied to pauses too: a dip of tremor or landmark jitter shorter
    than 100 ms does not split one movement into two); so a hand still moving back from the
    previous target at the cue (approach < 0) is never taken for the reaction (issue 10 item
    2).
    Offset is the last sample of the last run of at least ``min_run`` samples at or above
    the threshold after the peak, stopping where the hand starts to move away from the
    target for ``min_run`` samples (the return), or, with ``inside``, where it has arrived:
    inside the target and below the threshold for ``min_run`` samples (§3: "or when the hand
    enters the target and stays"), so landmark jitter while the hand holds the target never
    extends the movement.

    Parameters
    ----------
    speed : (R, T) float
        Hand speed (m/s), NaN padded.
    approach : (R, T) float
        Rate at which the hand's distance to the target shrinks (m/s; > 0 toward it).
    cue_col : (R,) int
        Column of each row's cue.
    inside : (R, T) bool, optional
        The hand is inside the target at each sample.

    Returns
    -------
    dict of (R,) arrays: ``onset``, ``offset``, ``peak`` (int columns), ``valid`` (bool: a
    movement toward the target was found), ``before_cue`` (bool: the movement had already
    started at the cue, so the reaction time is undefined), ``censored`` (bool: it had
    started before the window, so the onset is not known).
    """
    s = _validate.as_float_array(speed, "speed", min_ndim=2)
    a = _validate.as_float_array(approach, "approach", min_ndim=2)
    _validate.same_shape(s, a, "speed", "approach")
    k = _validate.fraction(fraction, "fraction")
    cue = np.asarray(cue_col, dtype=np.int64)
    col = np.arange(s.shape[-1])
    finite = np.isfinite(s) & np.isfinite(a)
    toward = np.where(finite & (a > 0) & (col >= cue[:, None]), s, -np.inf)
    peak = np.argmax(toward, axis=-1)
    peak_val = toward[np.arange(s.shape[0]), peak]
    valid = np.isfinite(peak_val) & (peak_val > 0)
    valid = valid & (peak_val >= MIN_PEAK_SPEED_M_S)
    noise = np.minimum(rest_noise(s, peak, max(3, 3 * min_run)), MAX_NOISE_FRACTION * peak_val)
    thr = np.maximum(k * np.where(valid, peak_val, np.inf), noise)[:, None]
    with np.errstate(invalid="ignore"):
        moving = finite & (s >= thr) & (a > 0)
        away = finite & (a < -thr)
    # A pause shorter than the persistence (tremor, jitter) does not split the movement.
    pause = ~moving & (run_lengths(~moving) >= min_run)
    after_pause = _last_true_before(pause, peak) + 1
    onset = np.argmax(moving & (col >= after_pause[:, None]), axis=-1)
    away_run = away & (run_lengths(away) >= min_run) & (col > peak[:, None])
    stop = np.where(away_run.any(axis=-1), np.argmax(away_run, axis=-1), s.shape[-1])
    if inside is not None:  # arrived: inside the target and below the threshold for min_run
        with np.errstate(invalid="ignore"):
            held = finite & np.asarray(inside, dtype=bool) & (s < thr)
        held = held & (run_lengths(held) >= min_run) & (col > peak[:, None])
        stop = np.minimum(stop, np.where(held.any(axis=-1), np.argmax(held, axis=-1), s.shape[-1]))
    with np.errstate(invalid="ignore"):
        above = finite & (s >= thr) & (col < stop[:, None])
    run_id = np.cumsum(
        above & ~np.concatenate([np.zeros_like(above[:, :1]), above[:, :-1]], axis=-1), axis=-1
    )
    peak_id = run_id[np.arange(s.shape[0]), peak][:, None]
    keep = above & ((run_lengths(above) >= min_run) | (run_id == peak_id)) & (col >= peak[:, None])
    offset = np.maximum(s.shape[-1] - 1 - np.argmax(keep[:, ::-1], axis=-1), peak)
    zero = np.zeros_like(peak)
    return {
        "onset": np.where(valid, onset, zero),
        "offset": np.where(valid, offset, zero),
        "peak": np.where(valid, peak, zero),
        "valid": valid,
        "before_cue": valid & (onset < cue),
        "censored": valid & (onset == 0) & moving[:, 0],
    }


RETURN_FRACTION = 0.7
"""An excursion is a rep only if it comes back at least 70 % of the way it went out (and
started from at least 70 % as low as it ends): a movement cut off by the end of a clip, or
a change of resting posture, is not a repetition."""


def excursions(
    signal: np.ndarray,
    fs_hz: float,
    *,
    min_amplitude: float,
    min_duration_s: float = 0.4,
    edge_fraction: float = 0.2,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repetitions "start position -> movement -> back" of a 1-D signal that rises during the
    movement (a joint angle, an aperture, a mouth opening): every rep of offline analysis.

    A rep is a peak that rises at least ``min_amplitude`` above the signal on BOTH sides
    before the signal rises higher again (its prominence, ``scipy.signal.find_peaks``), and
    whose fall is at least ``RETURN_FRACTION`` of its rise (and vice versa): the movement
    went out from the start position and came back to it. It starts at the last sample before the peak within
    ``edge_fraction`` of the rise above the left base and ends at the first sample after the
    peak within ``edge_fraction`` of the fall to the right base (so a slow drift at rest is
    not counted as movement), and must last ``min_duration_s``. A peak whose return is cut
    off by the end of the signal or by missing samples is not a rep. NaN samples split the
    signal: a rep lies wholly inside one tracked stretch.

    Parameters
    ----------
    signal : (N,) float
        Uniformly sampled, filtered signal; NaN where not tracked.
    fs_hz : float
        Sampling rate, hertz.
    min_amplitude : float
        Smallest rise and return, in the signal's units (above its noise floor).

    Returns
    -------
    start, peak, end : (R,) int
        Sample indices of each rep, in time order.
    """
    x = _validate.as_float_array(signal, "signal")
    if x.ndim != 1:
        raise ValueError(f"signal must be 1-D (N,), got shape {x.shape}")
    fs = _validate.positive(fs_hz, "fs_hz")
    amp = _validate.positive(min_amplitude, "min_amplitude")
    frac = _validate.fraction(edge_fraction, "edge_fraction")
    starts, peaks, ends = [], [], []
    finite = np.isfinite(x)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], finite.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        s, p, e = _excursions_in(x[a:b], amp, frac, max(1, int(round(min_duration_s * fs))))
        starts.append(s + a)
        peaks.append(p + a)
        ends.append(e + a)
    cat = [np.concatenate(v).astype(np.int64) if v else np.zeros(0, np.int64) for v in (starts, peaks, ends)]
    return cat[0], cat[1], cat[2]


def _excursions_in(
    x: np.ndarray, amp: float, frac: float, min_len: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Excursions of one finite stretch (see :func:`excursions`)."""
    if x.size < 3:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    peaks, props = find_peaks(x, prominence=amp)
    keep_s: list[int] = []
    keep_p: list[int] = []
    keep_e: list[int] = []
    for p, lb, rb in zip(peaks, props["left_bases"], props["right_bases"], strict=True):
        left, right = x[lb : p + 1], x[p : rb + 1]
        lo_left, lo_right = x[lb], x[rb]
        rise, fall = x[p] - lo_left, x[p] - lo_right
        if min(rise, fall) < amp or min(rise, fall) < RETURN_FRACTION * max(rise, fall):
            continue  # not back to the start position (e.g. cut off by the end of the clip)
        start = lb + int(np.flatnonzero(left <= lo_left + frac * (x[p] - lo_left))[-1])
        end = p + int(np.flatnonzero(right <= lo_right + frac * (x[p] - lo_right))[0])
        if end - start + 1 >= min_len and (not keep_e or start >= keep_e[-1]):
            keep_s.append(start)
            keep_p.append(p)
            keep_e.append(end)
    return np.array(keep_s, np.int64), np.array(keep_p, np.int64), np.array(keep_e, np.int64)
