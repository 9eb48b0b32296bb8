"""Per-rep metrics of :func:`game.scoring.score_reps`, vectorised over reps.

Each function takes the session series of reps.py (time-first arrays on the analysis grid)
and each rep's window as grid ``(start, length)`` arrays, and returns ``(R,)`` arrays.
Sources per metric: docs/sources.md §1-§4 and docs/validation.md.
"""

from __future__ import annotations

import numpy as np

from game.scoring import compensation, coordination, reach, smoothness, vec
from game.scoring.kinematics import CARDINAL_PLANE_TOL_DEG
from game.scoring.segmentation import gather

REST_NOISE_S = 1.0
"""The movement-unit noise floor is the speed SD over this long before onset (§2.4)."""


def nanmax_last(x: np.ndarray) -> np.ndarray:
    """Max over the last axis ignoring NaN; NaN for rows without finite values."""
    out = np.where(np.isfinite(x), x, -np.inf).max(axis=-1, initial=-np.inf)
    return np.where(np.isfinite(out), out, np.nan)


def rep_scale(ser, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Median metres per frame-width unit over each window (NaN if never measurable)."""
    ratio = gather(ser["m_per_unit"], start, length)
    ok = np.isfinite(ratio).any(axis=1)
    with np.errstate(invalid="ignore"):
        scale = np.nanmedian(np.where(ok[:, None], ratio, 0.0), axis=1)
    return np.where(ok, scale, np.nan)


def approach_m_s(ser, start: np.ndarray, length: np.ndarray, tgt: np.ndarray, fs: float) -> np.ndarray:
    """How fast the hand closes in on each rep's target in the picture, ``(R, T)`` m/s.

    approach(t) = -d/dt |hand_img(t) - target| in frame-width units, times the window's
    metres-per-unit scale; > 0 while the hand moves toward the target. The derivative is the
    session's (central differences, one-sided only at the session's ends), so a sample's
    value never depends on where its window ends or how reps are batched.
    """
    n = ser["hand_img"].shape[0]
    t_max = max(int(length.max()) if length.size else 0, 1)
    idx = start[:, None] + np.arange(t_max)[None, :]
    lo, hi = np.clip(idx - 1, 0, n - 1), np.clip(idx + 1, 0, n - 1)
    hand = ser["hand_img"]
    with np.errstate(invalid="ignore", divide="ignore"):
        d_hi = vec.norm(hand[hi] - tgt[:, None, :])
        d_lo = vec.norm(hand[lo] - tgt[:, None, :])
        rate = -(d_hi - d_lo) / (hi - lo) * fs
    rate[(np.arange(t_max)[None, :] >= length[:, None]) | (hi == lo)] = np.nan
    return rate * rep_scale(ser, start, length)[:, None]


def reach_toward_m(ser, on: np.ndarray, m_len: np.ndarray, tgt: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Furthest travel of the hand point from its rest position (at onset) toward the target.

    max_t (h(t) - h_rest) . u with u the unit vector from h_rest to the target, in the
    picture (the patient's frontal plane, where the targets are), converted to metres with
    the rep's shoulder-width scale. 0 for a hand that never left its rest position; short of
    the target's distance when the hand stops short, whatever the rest posture.
    """
    hand = gather(ser["hand_img"], on, m_len)
    rest = hand[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        u = (tgt - rest) / vec.norm(tgt - rest)[:, None]
    travel = vec.dot(hand - rest[:, None, :], u[:, None, :])
    return nanmax_last(travel) * scale


def movement_metrics(ser, seg, fs: float, arm: float, rest_n: int, tgt: np.ndarray, scale: np.ndarray):
    """Path, reach, coordination, compensation and smoothness over [onset, offset]."""
    on, m_len = seg
    g = {k: gather(ser[k], on, m_len) for k in ("hand", "vel", "speed", "elev", "elbow")}
    trunk = {k: gather(ser[k], on - rest_n, m_len + rest_n) for k in ("trunk", "shoulder", "hip")}
    n_rest = max(rest_n, 1)
    return {
        "path_length_ratio": reach.path_length_ratio(g["hand"]),
        "reach_pct_arm": 100.0 * reach_toward_m(ser, on, m_len, tgt, scale) / arm,
        "interjoint_r": coordination.interjoint_coordination(g["elev"], 180.0 - g["elbow"]),
        "trunk_displacement_mm": compensation.trunk_displacement_mm(trunk["trunk"], rest_samples=n_rest),
        "shoulder_hiking_mm": compensation.shoulder_hiking_mm(
            trunk["shoulder"], trunk["hip"], rest_samples=n_rest
        ),
        "sparc": smoothness.sparc(g["speed"], fs),
        "ldlj": smoothness.ldlj(g["vel"], fs),
    }


def forward_reach_only(value: np.ndarray, plane_deg: np.ndarray) -> np.ndarray:
    """Interjoint coordination only for forward reaches, NaN for every other plane.

    Alt Murphy's measure (shoulder flexion vs elbow extension, healthy 0.96) is defined on a
    forward reach; a reach counts as forward when its plane of elevation at peak elevation
    is within kinematics.CARDINAL_PLANE_TOL_DEG of the flexion plane (90 deg).
    """
    with np.errstate(invalid="ignore"):
        forward = np.abs(plane_deg - 90.0) <= CARDINAL_PLANE_TOL_DEG
    return np.where(forward, value, np.nan)


def rom_metrics(ser, start: np.ndarray, length: np.ndarray) -> dict[str, np.ndarray]:
    """Peak shoulder angles (ISB globe) and the elbow at maximal extension over [onset, end]."""
    elev = gather(ser["elev"], start, length)
    filled = np.where(np.isfinite(elev), elev, -np.inf)
    at = np.argmax(filled, axis=-1)
    plane = np.take_along_axis(gather(ser["plane"], start, length), at[:, None], axis=-1)[:, 0]
    return {
        "peak_shoulder_elevation_deg": nanmax_last(elev),
        "plane_of_elevation_deg": np.where(np.isfinite(filled.max(axis=-1)), plane, np.nan),
        "peak_shoulder_flexion_deg": nanmax_last(gather(ser["flex"], start, length)),
        "peak_shoulder_abduction_deg": nanmax_last(gather(ser["abd"], start, length)),
        "elbow_min_flexion_deg": -nanmax_last(-gather(ser["elbow"], start, length)),
    }


def target_metrics(ser, rep, mov, tgt: np.ndarray, rad: np.ndarray, fs: float, dwell_s: float):
    """Success, time to target (start of the successful dwell) and end-point error."""
    (r_start, r_len), (m_start, m_len) = rep, mov
    hand_r = gather(ser["hand_img"], r_start, r_len)
    with np.errstate(invalid="ignore"):
        inside = vec.norm(hand_r - tgt[:, None, :]) <= rad[:, None]
    success, entry_s = reach.dwell_success(inside, fs, dwell_s)
    last = gather(ser["hand_img"], m_start + np.maximum(m_len - 1, 0), np.ones_like(m_len))[:, 0]
    return {
        "success": success,
        "time_to_target_s": entry_s,
        "endpoint_error_m": vec.norm(last - tgt) * rep_scale(ser, r_start, r_len),
    }


def timing_metrics(ser, grid: np.ndarray, cue: np.ndarray, seg, fs: float) -> dict[str, np.ndarray]:
    """Reaction, movement and peak times, peak speed and movement units of every rep."""
    on, off, pk, ok = seg
    m_len = np.where(ok, off - on + 1, 0)
    speed = gather(ser["speed"], on, m_len)
    # rest-period speed noise before onset sets the movement-unit noise floor (§2.4)
    n_rest = max(int(round(REST_NOISE_S * fs)), 1)
    rest = gather(ser["speed"], np.maximum(on - n_rest, 0), np.minimum(on, n_rest))
    n_ok = np.isfinite(rest).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        noise = np.where(n_ok >= 3, np.nanstd(np.where(n_ok[:, None] >= 3, rest, 0.0), axis=1), 0.0)
    t_on = np.where(ok, grid[np.clip(on, 0, grid.size - 1)], np.nan)
    return {
        "nmu": smoothness.movement_units(speed, fs, noise_sd_m_s=noise),
        "onset_s": t_on,
        "reaction_time_s": t_on - cue,
        "movement_time_s": np.where(ok, (off - on) / fs, np.nan),
        "time_to_peak_s": np.where(ok, (np.argmax(np.nan_to_num(speed, nan=-1.0), axis=1)) / fs, np.nan),
        "peak_speed_m_s": np.where(ok, reach.peak_speed_m_s(speed), np.nan),
    }
