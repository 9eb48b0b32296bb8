"""Offline scoring of reaching levels: :func:`score_reps` (the cheap live summary of one rep is
:func:`game.scoring.live.quick_rep_score`).

Pipeline of :func:`score_reps` (clinical_metrics.md §10 checklist):

1. preprocess the whole session once (mask visibility < 0.5, resample to a uniform grid,
   fill gaps <= 150 ms, zero-phase 6 Hz Butterworth) -- filtering the continuous session and
   cutting reps afterwards makes every rep independent of how reps are batched;
2. hand point = centroid of wrist, index and pinky; velocity by central differences;
3. each rep window runs from its cue to its end time; onset/offset where the hand speed
   crosses 5% of the rep's peak speed and stays above it for 100 ms
   (segmentation.ONSET_FRACTION, PERSISTENCE_S);
4. every metric is computed for all reps at once on NaN-padded ``(R, Tmax, ...)`` arrays.

Windows: reaction time, success and time to target use the rep window [cue, end]; peak
shoulder angles and elbow extension use [onset, end] so a slow final creep into the target
still counts; every other metric uses the movement window [onset, offset] (§10 item 1).

Image-space choice: targets live in raw-image normalised coordinates. Image distances are
measured in *frame-width units* (x as is, y multiplied by height/width, i.e. divided by
``aspect_w_over_h``), so a target radius is a fraction of the frame width. End-point error
is converted to metres with the rep's median ratio of world to image shoulder width, which
holds in the shoulder's depth plane (the patient's frontal plane) -- good for targets in
front of the body, an underestimate for targets far in depth.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate, compensation, coordination, kinematics, reach, smoothness
from game.scoring.confidence import reliable
from game.scoring.preprocess import grid_rate_hz, preprocess_signals
from game.scoring.segmentation import (
    ONSET_FRACTION,
    PERSISTENCE_S,
    gather,
    onset_offset,
    window_indices,
)
from game.tracking.pose import (
    L_HIP,
    L_SHOULDER,
    R_HIP,
    R_SHOULDER,
    VISIBLE,
    shoulder_elbow_wrist,
)

DWELL_S = 0.2
"""Default time the hand must stay in the target for success (§3: 200-500 ms)."""

# Which landmark group each metric depends on; its valid fraction is measured over the whole
# rep window [cue, end], because a gap anywhere there can move the detected onset/offset.
_METRICS = {
    "reaction_time_s": "hand",
    "movement_time_s": "hand",
    "peak_speed_m_s": "hand",
    "time_to_peak_s": "hand",
    "path_length_ratio": "hand",
    "endpoint_error_m": "image",
    "success": "image",
    "time_to_target_s": "image",
    "reach_pct_arm": "hand",
    "peak_shoulder_flexion_deg": "arm",
    "peak_shoulder_abduction_deg": "arm",
    "elbow_min_flexion_deg": "arm",
    "interjoint_r": "arm",
    "trunk_displacement_mm": "trunk",
    "shoulder_hiking_mm": "trunk",
    "sparc": "hand",
    "ldlj": "hand",
    "nmu": "hand",
}


def _image_xy(points: np.ndarray, aspect: float) -> np.ndarray:
    """Image x, y in frame-width units."""
    return np.stack([points[..., 0], points[..., 1] / aspect], axis=-1)


# Rows of the compact world signal array built by _raw_signals.
_W_LSH, _W_RSH, _W_LHIP, _W_RHIP, _W_EL, _W_WR, _W_HAND = range(7)
_GROUPS = {  # compact rows each metric group needs
    "hand": [_W_HAND],
    "arm": [_W_LSH, _W_RSH, _W_LHIP, _W_RHIP, _W_EL, _W_WR],
    "trunk": [_W_LSH, _W_RSH, _W_LHIP, _W_RHIP],
}


def _raw_signals(
    world: np.ndarray, image: np.ndarray, side: str, aspect: float
) -> tuple[np.ndarray, np.ndarray]:
    """Compact raw signals: world ``(T, 7, 3)`` and image ``(T, 3, 2)`` (width units).

    Only the landmarks the metrics use are converted; the hand point is formed before
    filtering because resampling and filtering are linear (same result, a third of the cost).
    """
    _, e, w = shoulder_elbow_wrist(side)  # type: ignore[arg-type]
    hand = list(kinematics.HAND_POINTS[side])
    rows = [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP, e, w, *hand]
    out = []
    for lm, dims in ((world, 3), (image, 2)):
        sub = np.take(lm, rows if dims == 3 else [L_SHOULDER, R_SHOULDER, *hand], axis=1)
        xyz = sub[..., :dims].astype(np.float64)
        with np.errstate(invalid="ignore"):
            xyz[~(sub[..., 3] >= VISIBLE)] = np.nan  # NaN visibility counts as missing
        centroid = (xyz[:, -3] + xyz[:, -2] + xyz[:, -1]) / 3.0
        xyz[:, -3] = centroid
        out.append(xyz[:, :-2])
    img = out[1]
    img[..., 1] /= aspect  # frame-width units
    return out[0], img


def _series(wv: np.ndarray, iv: np.ndarray, side: str, fs: float) -> dict[str, np.ndarray]:
    """Time-first session signals on the grid from the filtered compact signals."""
    sh, hip = (_W_LSH, _W_LHIP) if side == "left" else (_W_RSH, _W_RHIP)
    vel = np.gradient(wv[:, _W_HAND], axis=0) * fs
    axes = kinematics.trunk_axes(wv[:, _W_LSH], wv[:, _W_RSH], wv[:, _W_LHIP], wv[:, _W_RHIP])
    angles = kinematics.humerus_angles_deg(wv[:, _W_EL] - wv[:, sh], axes, side)
    elbow = 180.0 - kinematics.included_angle_deg(wv[:, sh], wv[:, _W_EL], wv[:, _W_WR])
    sw_img = np.linalg.norm(iv[:, 0] - iv[:, 1], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m_per_unit = np.linalg.norm(wv[:, _W_LSH] - wv[:, _W_RSH], axis=-1) / sw_img
    return {
        "hand": wv[:, _W_HAND],
        "vel": vel,
        "speed": np.linalg.norm(vel, axis=-1),
        "flex": angles["flexion_deg"],
        "abd": angles["abduction_deg"],
        "elbow": elbow,
        "trunk": 0.5 * (wv[:, _W_LSH] + wv[:, _W_RSH]),
        "shoulder": wv[:, sh],
        "hip": wv[:, hip],
        "hand_img": iv[:, 2],
        "m_per_unit": m_per_unit,
    }


def _check_reps(cue_s, end_s, targets_xy_norm, target_radius_norm):
    cue = _validate.as_float_array(cue_s, "cue_s")
    end = _validate.as_float_array(end_s, "end_s")
    if cue.ndim != 1:
        raise ValueError(f"cue_s must be 1-D (R,), got shape {cue.shape}")
    _validate.same_shape(cue, end, "cue_s", "end_s")
    if not (np.isfinite(cue).all() and np.isfinite(end).all()):
        raise ValueError("cue_s and end_s must be finite")
    if np.any(end < cue):
        raise ValueError("end_s must not be before cue_s")
    tgt = _validate.as_float_array(targets_xy_norm, "targets_xy_norm", min_ndim=2)
    if tgt.shape != (cue.shape[0], 2):
        raise ValueError(f"targets_xy_norm must have shape (R, 2) = ({cue.shape[0]}, 2), got {tgt.shape}")
    rad = np.broadcast_to(
        _validate.as_float_array(target_radius_norm, "target_radius_norm", min_ndim=0), cue.shape
    )
    if not np.all(rad > 0):
        raise ValueError("target_radius_norm must be > 0")
    return cue, end, tgt, rad


def score_reps(
    t_s: np.ndarray,
    world: np.ndarray,
    image: np.ndarray,
    *,
    side: str,
    cue_s: np.ndarray,
    end_s: np.ndarray,
    targets_xy_norm: np.ndarray,
    target_radius_norm: np.ndarray | float,
    arm_length_m: float,
    aspect_w_over_h: float,
    fs_hz: float | None = None,
    dwell_s: float = DWELL_S,
    onset_fraction: float = ONSET_FRACTION,
) -> dict[str, np.ndarray]:
    """Score every rep of a reaching level at once.

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps in seconds (strictly increasing, may be irregular; NaN drops the
        frame).
    world : (T, 33, 4) float
        World landmarks (metres, hip-centred) with visibility; NaN for missing frames.
    image : (T, 33, 4) float
        Raw-image normalised landmarks with visibility.
    side : {"left", "right"}
        The patient's reaching arm (anatomical, unmirrored).
    cue_s, end_s : (R,) float
        When each target appeared and when the game ended the rep, seconds (same clock).
    targets_xy_norm : (R, 2) float
        Target centres in raw-image normalised coordinates.
    target_radius_norm : float or (R,) float
        Target radius as a fraction of the frame width.
    arm_length_m : float
        Calibrated arm length, metres, measured shoulder to hand point.
    aspect_w_over_h : float
        Camera frame width / height (e.g. 4/3 for 640x480).
    fs_hz : float, optional
        Analysis grid rate; default the inverse median frame interval.
    dwell_s : float
        Continuous time inside the target for success, seconds.
    onset_fraction : float
        Onset/offset threshold as a fraction of peak hand speed.

    Returns
    -------
    dict[str, (R,) ndarray]
        For each name in ``METRIC_NAMES``: the value; ``{name}_valid_fraction`` (frames in
        [cue, end] where the landmarks the metric uses were observed / frames) and ``{name}_reliable`` (bool,
        confidence.reliable). Also ``onset_s`` and ``offset_s``. Units are in the names;
        ``path_length_ratio``, ``interjoint_r``, ``sparc``, ``ldlj`` and ``nmu`` are
        dimensionless; ``success`` is bool; ``reach_pct_arm`` is % of ``arm_length_m``
        from the shoulder's position at onset; ``elbow_min_flexion_deg`` is the elbow angle
        at maximal extension (0° = straight).
    """
    sd = _validate.side(side)
    w_lm = _validate.landmarks(world, "world", convert=False)
    i_lm = _validate.landmarks(image, "image", convert=False)
    if w_lm.ndim != 3 or i_lm.shape != w_lm.shape:
        raise ValueError(f"world and image must both be (T, 33, 4), got {w_lm.shape}, {i_lm.shape}")
    t = _validate.timestamps(t_s, "t_s", n_frames=w_lm.shape[0], allow_nan=True)
    arm = _validate.positive(arm_length_m, "arm_length_m")
    aspect = _validate.positive(aspect_w_over_h, "aspect_w_over_h")
    cue, end, tgt, rad = _check_reps(cue_s, end_s, targets_xy_norm, target_radius_norm)
    wraw, iraw = _raw_signals(w_lm, i_lm, sd, aspect)
    fs = grid_rate_hz(t) if fs_hz is None else _validate.positive(fs_hz, "fs_hz")
    grid, wv, w_obs, _ = preprocess_signals(t, wraw, fs_hz=fs)
    _, iv, i_obs, _ = preprocess_signals(t, iraw, fs_hz=fs)
    ser = _series(wv, iv, sd, fs)
    obs = {k: w_obs[:, rows, 0].all(axis=-1) for k, rows in _GROUPS.items()}
    obs["image"] = i_obs[:, :, 0].all(axis=-1)

    r_start, r_len = window_indices(grid, cue, end)
    speed_r = gather(ser["speed"], r_start, r_len)
    min_run = max(1, int(round(PERSISTENCE_S * fs)))
    on, off, pk, ok = onset_offset(speed_r, onset_fraction, min_run=min_run)
    m_start, m_len = r_start + on, np.where(ok, off - on + 1, 0)

    out = _movement_metrics(ser, m_start, m_len, fs, arm)
    out.update(_rom_metrics(ser, m_start, np.where(ok, r_start + r_len - m_start, 0)))
    tgt_units = _image_xy(tgt, aspect)
    out.update(_target_metrics(ser, r_start, r_len, m_start, m_len, tgt_units, rad, fs, dwell_s))
    out.update(_timing_metrics(ser, speed_r, grid, cue, r_start, (on, off, pk, ok), fs))
    for name in _METRICS:
        if name not in ("success", "time_to_target_s"):
            out[name] = np.where(ok, out[name], np.nan)
    result = _with_confidence(out, obs, r_start, r_len)
    result["onset_s"] = out["onset_s"]
    result["offset_s"] = np.where(ok, out["onset_s"] + out["movement_time_s"], np.nan)
    return result


NOISE_TOLERANCE_2MM = {
    "reaction_time_s": 0.1,
    "movement_time_s": 0.1,
    "peak_speed_m_s": 0.05,
    "time_to_peak_s": 0.1,
    "path_length_ratio": 0.05,
    "endpoint_error_m": 0.005,
    "success": 0.0,
    "time_to_target_s": 0.05,
    "reach_pct_arm": 2.0,
    "peak_shoulder_flexion_deg": 2.0,
    # the frontal projection is ill-conditioned for an arm raised forwards (§4.2)
    "peak_shoulder_abduction_deg": 8.0,
    "elbow_min_flexion_deg": 3.0,
    "interjoint_r": 0.01,
    # maxima of noisy distances are biased upwards by about 3 x the filtered noise
    "trunk_displacement_mm": 10.0,
    "shoulder_hiking_mm": 10.0,
    "sparc": 0.05,
    # LDLJ is very noise-sensitive on markerless data (§2.6): secondary metric only
    "ldlj": 2.0,
    "nmu": 0.0,
}
"""Largest change of each per-rep metric when isotropic Gaussian noise of 2 mm (world) is
added to every landmark (image noise of the same size in metres), on the synthetic forward
reach of game/scoring/synthetic.py at 30 Hz; tested in tests/test_scoring_reps.py. Above
about 5 mm of noise, onsets start to fire on noise and timing metrics degrade."""

METRIC_NAMES = tuple(_METRICS)
"""Names of the per-rep metrics returned by :func:`score_reps`."""


def _timing_metrics(ser, speed_r, grid, cue, r_start, seg, fs: float) -> dict[str, np.ndarray]:
    """Reaction, movement and peak times, peak speed and movement units of every rep."""
    on, off, pk, ok = seg
    m_start, m_len = r_start + on, np.where(ok, off - on + 1, 0)
    # rest-period speed noise (cue -> onset) sets the movement-unit noise floor (§2.4)
    col = np.arange(speed_r.shape[1])[None, :]
    rest = np.where(col < on[:, None], speed_r, np.nan)
    n_rest = np.isfinite(rest).sum(axis=1)
    noise = np.where(n_rest >= 3, np.nanstd(np.where(n_rest[:, None] >= 3, rest, 0.0), axis=1), 0.0)
    t_on = np.where(ok, grid[np.clip(m_start, 0, grid.size - 1)], np.nan)
    return {
        "nmu": smoothness.movement_units(gather(ser["speed"], m_start, m_len), fs, noise_sd_m_s=noise),
        "onset_s": t_on,
        "reaction_time_s": t_on - cue,
        "movement_time_s": np.where(ok, (off - on) / fs, np.nan),
        "time_to_peak_s": np.where(ok, (pk - on) / fs, np.nan),
        "peak_speed_m_s": np.where(ok, reach.peak_speed_m_s(speed_r), np.nan),
    }


def _with_confidence(out, obs, r_start, r_len) -> dict[str, np.ndarray]:
    """Each metric with its valid fraction over [cue, end] and its reliable flag."""
    fractions = {g: _window_fraction(obs[g], r_start, r_len) for g in set(_METRICS.values())}
    result: dict[str, np.ndarray] = {}
    for name, group in _METRICS.items():
        value = out[name]
        result[name] = value
        result[f"{name}_valid_fraction"] = fractions[group]
        # success is a bool that is meaningful even when no movement was found
        check = np.ones(value.shape) if value.dtype == bool else value
        result[f"{name}_reliable"] = reliable(check, fractions[group])
    return result


def _nanmax(x: np.ndarray) -> np.ndarray:
    """Max over the last axis ignoring NaN; NaN for rows without finite values."""
    out = np.where(np.isfinite(x), x, -np.inf).max(axis=-1, initial=-np.inf)
    return np.where(np.isfinite(out), out, np.nan)


def _window_fraction(mask: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Fraction of True samples of a time-first mask inside each window (0 if empty)."""
    g = gather(mask.astype(np.float64), start, length)
    n = np.isfinite(g).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.nansum(g, axis=1) / np.maximum(n, 1), 0.0)


def _movement_metrics(ser, m_start, m_len, fs: float, arm: float) -> dict[str, np.ndarray]:
    g = {
        k: gather(ser[k], m_start, m_len)
        for k in ("hand", "vel", "speed", "flex", "abd", "elbow", "trunk", "shoulder", "hip")
    }
    start_sh = g["shoulder"][:, :1]
    reach_m = np.linalg.norm(g["hand"] - start_sh, axis=-1)
    return {
        "path_length_ratio": reach.path_length_ratio(g["hand"]),
        "reach_pct_arm": 100.0 * _nanmax(reach_m) / arm,
        "interjoint_r": coordination.interjoint_coordination(g["flex"], 180.0 - g["elbow"]),
        "trunk_displacement_mm": compensation.trunk_displacement_mm(g["trunk"]),
        "shoulder_hiking_mm": compensation.shoulder_hiking_mm(g["shoulder"], g["hip"]),
        "sparc": smoothness.sparc(g["speed"], fs),
        "ldlj": smoothness.ldlj(g["vel"], fs),
    }


def _rom_metrics(ser, start, length) -> dict[str, np.ndarray]:
    return {
        "peak_shoulder_flexion_deg": _nanmax(gather(ser["flex"], start, length)),
        "peak_shoulder_abduction_deg": _nanmax(gather(ser["abd"], start, length)),
        "elbow_min_flexion_deg": -_nanmax(-gather(ser["elbow"], start, length)),
    }


def _target_metrics(
    ser, r_start, r_len, m_start, m_len, tgt, rad, fs: float, dwell_s: float
) -> dict[str, np.ndarray]:
    hand_r = gather(ser["hand_img"], r_start, r_len)
    dist_r = np.linalg.norm(hand_r - tgt[:, None, :], axis=-1)
    with np.errstate(invalid="ignore"):
        inside = dist_r <= rad[:, None]
    success, entry_s = reach.dwell_success(inside, fs, dwell_s)
    ratio = gather(ser["m_per_unit"], r_start, r_len)
    with np.errstate(invalid="ignore"):
        ratio_ok = np.isfinite(ratio).any(axis=1)
        scale = np.nanmedian(np.where(ratio_ok[:, None], ratio, 0.0), axis=1)
    scale = np.where(ratio_ok, scale, np.nan)
    last = gather(ser["hand_img"], m_start + np.maximum(m_len - 1, 0), np.ones_like(m_len))[:, 0]
    err_units = np.linalg.norm(last - tgt, axis=-1)
    return {
        "success": success,
        "time_to_target_s": entry_s,
        "endpoint_error_m": err_units * scale,
    }
