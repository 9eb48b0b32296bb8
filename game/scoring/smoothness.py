"""Smoothness of a segmented movement: SPARC (primary), LDLJ and number of movement units.

Sources (docs/sources.md §2): Balasubramanian, Melendez-Calderon, Roby-Brami, Burdet,
"On the analysis of movement smoothness", JNER 2015;12:112, and its reference code
(siva82kb/smoothness_from_imu ``sparc`` and ``log_dimensionless_jerk``); Alt Murphy et al.
2011/2021 for movement units. Sign convention: SPARC and LDLJ are negative and values closer
to 0 are smoother (§10 item 8).

All three work on the LAST axis (time) of arrays with any leading axes. Rows may be padded
with trailing NaN (reps of different length); a row is computed on its finite samples only,
so a batched call equals the per-row calls.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate
from game.scoring.signal_lib import scipy_signal

MIN_SAMPLES = 8
"""Fewest samples for a smoothness value (§2.2 guard: N >= 8, about 0.27 s at 30 Hz)."""
NMU_RISE_M_S = 0.020
"""Smallest rise of a movement unit, m/s (Alt Murphy: 20 mm/s, §1.2 and §2.4)."""
NMU_MIN_SEPARATION_S = 0.150
"""Smallest time between two movement-unit peaks, s (Alt Murphy: 150 ms)."""
NMU_NOISE_FACTOR = 3.0
"""The rise must also exceed this many SDs of the rest-period speed noise (§2.4)."""


def _row_lengths(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number of finite samples per row and whether they form one leading block."""
    finite = np.isfinite(x)
    n = finite.sum(axis=-1)
    last = np.where(finite.any(axis=-1), x.shape[-1] - np.argmax(finite[..., ::-1], axis=-1), 0)
    return n, n == last


def sparc(
    speed: np.ndarray,
    fs_hz: float,
    *,
    padlevel: int = 4,
    fc_hz: float = 10.0,
    amp_th: float = 0.05,
) -> np.ndarray:
    """Spectral arc length (SPARC) of already segmented speed profiles; no filtering inside.

    Algorithm (§2.2): zero-pad to N_fft = 2**(ceil(log2 N) + padlevel); take the magnitude
    spectrum normalised by its maximum; keep bins with f <= min(fc_hz, fs_hz / 2); within
    them keep the run from the first to the last bin >= amp_th; normalise that band's
    frequencies to [0, 1]; SPARC = -arc length.

    Identity with the reference code (siva82kb ``sparc``) holds for fs_hz >= 2 x fc_hz, i.e.
    from 20 Hz with the default fc_hz = 10 Hz (tested to 1e-12 at 20-100 Hz). The reference
    takes the two-sided FFT with f = 0 .. fs and keeps f <= fc, so below 20 Hz its band runs
    past the Nyquist frequency into the mirror image of the spectrum; this function stops at
    Nyquist instead. Between 10 and 20 Hz the two agree whenever the spectrum above the
    adaptive cut-off stays below amp_th (smooth reaches: tested at 15 Hz); at 10 Hz and below
    the reference's band reaches the mirror of the DC peak and its value is meaningless.

    Parameters
    ----------
    speed : (..., N) float
        Speed profiles (any unit: SPARC is amplitude-invariant), onset to offset; trailing
        NaN padding allowed.
    fs_hz : float
        Sampling rate in hertz.
    padlevel : int
        Zero-padding level (4: "less is not advisable", reference code).
    fc_hz : float
        Fixed upper bound of the band in hertz (10 Hz).
    amp_th : float
        Amplitude threshold of the adaptive cut-off (0.05).

    Returns
    -------
    (...) float64
        SPARC (dimensionless, <= -1); NaN for rows with fewer than ``MIN_SAMPLES`` finite
        samples, a NaN inside the movement, zero speed, or fewer than 2 bins in the band.
    """
    s = _validate.as_float_array(speed, "speed")
    fs = _validate.positive(fs_hz, "fs_hz")
    fc = _validate.positive(fc_hz, "fc_hz")
    th = _validate.fraction(amp_th, "amp_th")
    if int(padlevel) != padlevel or padlevel < 0:
        raise ValueError(f"padlevel must be a non-negative integer, got {padlevel!r}")
    n, contiguous = _row_lengths(s)
    flat = s.reshape(-1, s.shape[-1])
    n_flat, ok = n.reshape(-1), (contiguous & (n >= MIN_SAMPLES)).reshape(-1)
    out = np.full(flat.shape[0], np.nan)
    nfft = np.where(ok, 2 ** (np.ceil(np.log2(np.maximum(n_flat, 1))) + padlevel), 0).astype(int)
    # One FFT per distinct FFT length (a handful of values), not per row.
    for size in np.unique(nfft[ok]):
        rows = np.flatnonzero(ok & (nfft == size))
        out[rows] = _sparc_rows(np.nan_to_num(flat[rows]), fs, int(size), fc, th)
    return out.reshape(s.shape[:-1])


def _sparc_rows(x: np.ndarray, fs: float, nfft: int, fc: float, th: float) -> np.ndarray:
    """SPARC of rows of x (zero-filled padding) sharing one FFT length."""
    mag = np.abs(np.fft.rfft(x, n=nfft, axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        # |X(-k)| = |X(k)|, so the one-sided maximum is the two-sided one of the reference.
        mag = mag / mag.max(axis=-1, keepdims=True)
    f = np.arange(mag.shape[-1]) * fs / nfft
    mag = mag[:, f <= fc]
    f = f[f <= fc]
    above = mag >= th
    k = np.arange(f.shape[0])
    first = np.argmax(above, axis=-1)
    last = f.shape[0] - 1 - np.argmax(above[:, ::-1], axis=-1)
    valid = above.any(axis=-1) & (last > first)
    in_band = (k >= first[:, None]) & (k <= last[:, None])
    seg = in_band[:, 1:] & in_band[:, :-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        df = np.diff(f) / (f[last] - f[first])[:, None]
        arc = np.sqrt(df**2 + np.diff(mag, axis=-1) ** 2)
    out = -np.sum(np.where(seg, arc, 0.0), axis=-1)
    return np.where(valid, out, np.nan)


def ldlj(velocity: np.ndarray, fs_hz: float) -> np.ndarray:
    """Log dimensionless jerk, peak-speed form (Balasubramanian et al. 2015, §2.3).

    DLJ = -(T**3 / v_peak**2) * sum(|d2v/dt2|**2) * dt and LDLJ = -ln|DLJ|, discretised as the
    reference code does: jerk = second difference of velocity / dt**2, integral = sum * dt,
    v_peak = max |v|, and the duration convention T = N * dt with N the number of velocity
    samples (the reference's ``len(movement) / fs``), not the elapsed (N - 1) * dt: for a
    min-jerk reach sampled at 30 Hz over 1 s (N = 31) that gives -5.2509, against -5.1525
    with (N - 1) * dt (TV2b); the two converge as fs grows (analytic -ln 204.8 = -5.3220).

    Parameters
    ----------
    velocity : (..., N, D) float
        Velocity vectors of segmented movements (any unit; LDLJ is dimensionless); pass a
        speed profile as ``speed[..., None]``. Trailing NaN padding allowed.
    fs_hz : float
        Sampling rate in hertz.

    Returns
    -------
    (...) float64
        LDLJ (more negative = less smooth); NaN with fewer than ``MIN_SAMPLES`` finite
        samples, a NaN inside the movement, or zero speed.
    """
    v = _validate.as_float_array(velocity, "velocity", min_ndim=2)
    fs = _validate.positive(fs_hz, "fs_hz")
    dt = 1.0 / fs
    finite = np.all(np.isfinite(v), axis=-1)
    n, contiguous = _row_lengths(np.where(finite, 0.0, np.nan))
    jerk = np.diff(v, n=2, axis=-2) / dt**2
    jerk2 = np.nansum(np.sum(jerk**2, axis=-1), axis=-1)
    speed = np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        peak = np.nanmax(np.where(finite, speed, -np.inf), axis=-1)
        dlj = -((n * dt) ** 3 / peak**2) * jerk2 * dt
        out = -np.log(np.abs(dlj))
    return np.where(contiguous & (n >= MIN_SAMPLES) & (peak > 0), out, np.nan)


def movement_units(
    speed_m_s: np.ndarray,
    fs_hz: float,
    *,
    noise_sd_m_s: np.ndarray | float = 0.0,
    min_rise_m_s: float = NMU_RISE_M_S,
    min_separation_s: float = NMU_MIN_SEPARATION_S,
    noise_factor: float = NMU_NOISE_FACTOR,
) -> np.ndarray:
    """Number of movement units (speed peaks) of segmented hand-speed profiles.

    Definition (Alt Murphy et al. 2011, 2021; §1.2, §2.4): one movement unit per local
    maximum of hand speed between onset and offset whose rise from the preceding local
    minimum exceeds 20 mm/s, consecutive maxima at least 150 ms apart. Implemented as: a
    local speed maximum whose prominence (the rise from the higher of the two minima that
    separate it from higher speed, ``scipy.signal.find_peaks``) is at least
    max(``min_rise_m_s``, ``noise_factor`` * rest-noise SD) and which lies at least
    ``min_separation_s`` from a higher peak. The prominence is the symmetric form of "rise
    from the preceding minimum" (a peak must stand out on both sides, so a monotonic ramp
    cut by the offset is not a unit); the noise-floor scaling is from §2.4 because the rule
    was defined on 240 Hz optical data. A smooth reach has 1 unit (TV3: two 1 s min-jerk
    submovements count 2 from an onset lag of 0.6 s).

    Rows are laid end to end, separated by walls higher than any speed and wider than the
    separation, so one ``find_peaks`` call treats every row exactly as a separate call would.

    Parameters
    ----------
    speed_m_s : (..., N) float
        Hand speed in m/s, onset to offset; NaN padding allowed (treated as a boundary).
    fs_hz : float
        Sampling rate in hertz.
    noise_sd_m_s : (...) float or float
        SD of the speed at rest before each movement, m/s.

    Returns
    -------
    (...) float64
        Count of units; NaN for rows without finite samples.
    """
    s = _validate.as_float_array(speed_m_s, "speed_m_s")
    fs = _validate.positive(fs_hz, "fs_hz")
    noise = np.broadcast_to(_validate.as_float_array(noise_sd_m_s, "noise_sd_m_s", min_ndim=0), s.shape[:-1])
    flat = s.reshape(-1, s.shape[-1])
    rows, n = flat.shape
    dist = max(1, int(round(min_separation_s * fs)))
    wall_w = 2 * dist + 1
    top = (np.nanmax(np.abs(flat)) if np.isfinite(flat).any() else 1.0) * 10 + 1.0
    # A ramp of 1e-13 x top per sample breaks exact height ties the same way in every call
    # (scipy's distance rule otherwise breaks ties by sort order, which depends on the batch).
    ramp = np.arange(n) * (top * 1e-13)
    body = np.where(np.isfinite(flat), flat + ramp, top)
    padded = np.concatenate([body, np.full((rows, wall_w), top)], axis=1)
    line = padded.reshape(-1)
    th = np.maximum(min_rise_m_s, noise_factor * np.nan_to_num(noise.reshape(-1)))
    prominence = np.repeat(th, n + wall_w)
    peaks, _ = scipy_signal().find_peaks(line, prominence=prominence, distance=dist)
    peaks = peaks[line[peaks] < top]
    counts = np.bincount(peaks // (n + wall_w), minlength=rows).astype(np.float64)
    counts[~np.isfinite(flat).any(axis=1)] = np.nan
    return counts.reshape(s.shape[:-1])
