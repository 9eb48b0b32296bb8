"""Zero-phase Butterworth low-pass of the columns of a time-first ``(N, K)`` array.

:func:`filtfilt_columns` is ``scipy.signal.sosfiltfilt(sos, x, axis=0, padlen=padlen)``
(odd extension at both ends, steady-state initial conditions, forward then backward pass)
with the same arithmetic in the same order, so the same bits (tests/scoring/test_zero_phase.py),
arranged for the scoring's time-first arrays: sosfiltfilt along axis 0 transposes the whole
array into a contiguous copy before each of its two passes and designs the initial conditions
again on every call; here the odd extension is built straight into the time-last layout the
filter runs on, the reversed pass reads one contiguous copy, and the sections and their
initial conditions are designed once per order, cut-off and rate. Scoring a 10-minute session
filters about 40 such columns of 18,000 samples (benchmarks/scoring.py).
"""

from __future__ import annotations

import functools

import numpy as np

from game.scoring.signal_lib import scipy_signal


@functools.lru_cache(maxsize=64)
def butter_sections(order: int, cutoff_hz: float, fs_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Butterworth low-pass second-order sections ``(S, 6)`` and their steady-state initial
    conditions for a unit step ``(S, 2)`` (read-only: shared by every call; designing them
    costs about a millisecond)."""
    sig = scipy_signal()
    sos = sig.butter(order, cutoff_hz, fs=fs_hz, output="sos")
    zi = sig.sosfilt_zi(sos)
    sos.flags.writeable = False
    zi.flags.writeable = False
    return sos, zi


def pad_samples(n_sections: int, n_samples: int) -> int:
    """Odd extension at each end: sosfiltfilt's default for ``n_sections`` sections,
    3 (2 S + 1), capped at ``n_samples - 1`` so that a short signal can be filtered."""
    return min(3 * (2 * n_sections + 1), n_samples - 1)


def filtfilt_columns(x: np.ndarray, order: int, cutoff_hz: float, fs_hz: float) -> np.ndarray:
    """Forward-backward Butterworth low-pass of every column of ``x``, padded by
    :func:`pad_samples`.

    Parameters
    ----------
    x : (N, K) float64
        Finite samples, time first, N >= 1.
    order : int
        Butterworth order of one pass.
    cutoff_hz, fs_hz : float
        Cut-off and sampling rate, hertz.

    Returns
    -------
    (N, K) float64
        A view (time last in memory, as sosfiltfilt returns it).
    """
    sos, zi = butter_sections(order, cutoff_hz, fs_hz)
    sig = scipy_signal()
    padlen = pad_samples(sos.shape[0], x.shape[0])
    xt = x.T  # (K, N) view: the filter runs along the last axis
    if padlen > 0:
        left = 2 * xt[:, :1] - xt[:, padlen:0:-1]
        right = 2 * xt[:, -1:] - xt[:, -2 : -(padlen + 2) : -1]
        ext = np.concatenate((left, xt, right), axis=1)
    else:
        ext = np.ascontiguousarray(xt)
    zi_k = zi[:, None, :]  # (S, 1, 2): one set of initial conditions per column
    sections = sos.copy()  # scipy's filter wants a writeable array
    y, _ = sig.sosfilt(sections, ext, axis=-1, zi=zi_k * ext[:, :1])
    y, _ = sig.sosfilt(sections, y[:, ::-1], axis=-1, zi=zi_k * y[:, -1:])
    y = y[:, ::-1]
    if padlen > 0:
        y = y[:, padlen:-padlen]
    return y.T
