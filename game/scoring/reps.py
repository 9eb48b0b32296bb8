"""Offline scoring of reaching levels: :func:`score_reps` (the cheap live summary of one rep is
:func:`game.scoring.live.quick_rep_score`).

Pipeline of :func:`score_reps` (docs/sources.md §10 checklist):

1. preprocess the whole session once (mask visibility < 0.5, resample to a uniform grid,
   fill gaps <= 150 ms, zero-phase Butterworth at 6 Hz, lower below 15 Hz: see
   preprocess.effective_cutoff_hz) -- filtering the continuous session and cutting reps
   afterwards makes every rep independent of how reps are batched;
2. hand point = :func:`game.scoring.kinematics.hand_point`; velocity by central differences;
3. each rep is searched from ``PRE_CUE_S`` before its cue to its end; the movement is the one
   toward the target (segmentation.reach_onset_offset): onset/offset where the hand speed
   crosses 5 % of the peak while approaching the target, persistence 100 ms. A movement that
   had already started at the cue is flagged ``started_before_cue`` and has no reaction time;
4. every metric is computed for all reps at once on NaN-padded ``(R, Tmax, ...)`` arrays
   (rep_metrics.py), and each metric's reliable flag is computed over the part of the rep
   that metric depends on (``METRIC_WINDOWS``), in the same call as the value.

Image-space choice: targets live in raw-image normalised coordinates. Image distances are
measured in *frame-width units* (x as is, y divided by ``aspect_w_over_h``), so a target
radius is a fraction of the frame width. Image distances are converted to metres with the
rep's median ratio of world to image shoulder width, which holds in the shoulder's depth
plane (the patient's frontal plane).
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate, kinematics, rep_metrics, vec
from game.scoring.compensation import REST_S, trunk_cutoff_hz
from game.scoring.confidence import reliable, window_coverage
from game.scoring.preprocess import grid_rate_hz, lowpass, preprocess_signals
from game.scoring.segmentation import (
    ONSET_FRACTION,
    PERSISTENCE_S,
    PRE_CUE_S,
    gather,
    reach_onset_offset,
    window_indices,
)
from game.tracking.pose import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, VISIBLE, shoulder_elbow_wrist

DWELL_S = 0.2
"""Default time the hand must stay in the target for success (§3: 200-500 ms)."""
END_S = 0.2
"""End-point error depends on the last this-long of the movement."""

METRIC_WINDOWS: dict[str, tuple[str, str]] = {
    "reaction_time_s": ("hand", "onset"),
    "movement_time_s": ("hand", "movement"),
    "peak_speed_m_s": ("hand", "movement"),
    "time_to_peak_s": ("hand", "movement"),
    "path_length_ratio": ("hand", "movement"),
    "endpoint_error_m": ("image", "end"),
    "success": ("image", "rep"),
    "time_to_target_s": ("image", "rep"),
    "reach_pct_arm": ("hand", "movement"),
    "peak_shoulder_elevation_deg": ("arm", "rom"),
    "plane_of_elevation_deg": ("arm", "rom"),
    "peak_shoulder_flexion_deg": ("arm", "rom"),
    "peak_shoulder_abduction_deg": ("arm", "rom"),
    "elbow_min_flexion_deg": ("arm", "rom"),
    "interjoint_r": ("arm", "movement"),
    "trunk_displacement_mm": ("trunk", "trunk"),
    "shoulder_hiking_mm": ("trunk", "trunk"),
    "sparc": ("hand", "movement"),
    "ldlj": ("hand", "movement"),
    "nmu": ("hand", "movement"),
}
"""Metric -> (landmark group it uses, part of the rep it depends on). Windows: ``rep`` cue to
end; ``onset`` cue to onset (+ persistence); ``movement`` onset to offset (± persistence);
``end`` the last ``END_S`` of the movement; ``rom`` onset to the rep's end; ``trunk`` from
``REST_S`` before onset to offset. A metric is reliable when it is finite, at least 80 % of
its window was observed, and no gap longer than 150 ms lies inside the window (a long gap
over the speed peak would otherwise cut peak speed and still read reliable, item 6)."""
METRIC_NAMES = tuple(METRIC_WINDOWS)
"""Names of the per-rep metrics returned by :func:`score_reps`."""

# Rows of the compact world signal array built by _raw_signals.
_W_LSH, _W_RSH, _W_LHIP, _W_RHIP, _W_EL, _W_WR, _W_HAND = range(7)
_GROUPS = {  # compact rows each metric group needs
    "hand": [_W_HAND],
    "arm": [_W_LSH, _W_RSH, _W_LHIP, _W_RHIP, _W_EL, _W_WR],
    "trunk": [_W_LSH, _W_RSH, _W_LHIP, _W_RHIP],
}


def image_xy(points: np.ndarray, aspect: float) -> np.ndarray:
    """Image x, y in frame-width units (y divided by width / height)."""
    return np.stack([points[..., 0], points[..., 1] / aspect], axis=-1)


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
        centroid = (xyz[:, -3] + xyz[:, -2] + xyz[:, -1]) / 3.0  # kinematics.hand_point
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
    sw_img = vec.norm(iv[:, 0] - iv[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        m_per_unit = vec.norm(wv[:, _W_LSH] - wv[:, _W_RSH]) / sw_img
    # the reaching side's shoulder is column 0 or 1 (_W_LSH, _W_RSH): filtered once
    slow = lowpass(wv[:, [_W_LSH, _W_RSH, hip]], fs, cutoff_hz=trunk_cutoff_hz(fs))
    return {
        "hand": wv[:, _W_HAND],
        "vel": vel,
        "speed": vec.norm(vel),
        "elev": angles["elevation_deg"],
        "plane": angles["plane_of_elevation_deg"],
        "flex": angles["flexion_deg"],
        "abd": angles["abduction_deg"],
        "elbow": 180.0 - kinematics.included_angle_deg(wv[:, sh], wv[:, _W_EL], wv[:, _W_WR]),
        "trunk": 0.5 * (slow[:, 0] + slow[:, 1]),
        "shoulder": slow[:, sh],
        "hip": slow[:, 2],
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
        frame). Any pose rate from 10 to 60 Hz.
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
        Calibrated arm length to the hand point (kinematics.arm_length_m), metres.
    aspect_w_over_h : float
        Camera frame width / height (e.g. 4/3 for 640x480).
    fs_hz : float, optional
        Analysis grid rate; default the inverse median frame interval.
    dwell_s : float
        Continuous time inside the target for success, seconds; ``time_to_target_s`` is the
        time from the cue to the start of that successful dwell (same call, same flag).
    onset_fraction : float
        Onset/offset threshold as a fraction of peak hand speed.

    Returns
    -------
    dict[str, (R,) ndarray]
        For each name in ``METRIC_NAMES``: the value; ``{name}_valid_fraction`` (observed
        fraction of the metric's own window, ``METRIC_WINDOWS``) and ``{name}_reliable``
        (bool). Also ``onset_s``, ``offset_s`` and ``started_before_cue`` (bool: the hand was
        already moving toward the target at the cue; reaction time is then NaN). Units are in
        the names; ``path_length_ratio``, ``interjoint_r``, ``sparc``, ``ldlj`` and ``nmu``
        are dimensionless; ``success`` is bool; ``reach_pct_arm`` is how far the hand point
        travelled from its rest position at onset toward the target, in the frontal plane,
        % of ``arm_length_m`` (rep_metrics.reach_toward_m);
        ``elbow_min_flexion_deg`` is the elbow angle at maximal extension (0 deg straight);
        shoulder angles are ISB globe angles (kinematics.shoulder_angles_deg), with
        ``plane_of_elevation_deg`` taken at the peak elevation.
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
    grid, wv, w_obs, w_gap = preprocess_signals(t, wraw, fs_hz=fs)
    _, iv, i_obs, i_gap = preprocess_signals(t, iraw, fs_hz=fs)
    ser = _series(wv, iv, sd, fs)
    obs = {k: w_obs[:, rows, 0].all(axis=-1) for k, rows in _GROUPS.items()}
    gaps = {k: w_gap[:, rows, 0].any(axis=-1) for k, rows in _GROUPS.items()}
    obs["image"], gaps["image"] = i_obs[:, :, 0].all(axis=-1), i_gap[:, :, 0].any(axis=-1)

    r_start, r_len = window_indices(grid, cue, end)
    s_start, s_len = window_indices(grid, np.maximum(cue - PRE_CUE_S, grid[0]), np.maximum(end, grid[0]))
    tgt_units = image_xy(tgt, aspect)
    approach = rep_metrics.approach_m_s(ser, s_start, s_len, tgt_units, fs)
    with np.errstate(invalid="ignore"):
        inside = vec.norm(gather(ser["hand_img"], s_start, s_len) - tgt_units[:, None]) <= rad[:, None]
    min_run = max(1, int(round(PERSISTENCE_S * fs)))
    speed = gather(ser["speed"], s_start, s_len)
    seg = reach_onset_offset(
        speed, approach, r_start - s_start, onset_fraction, min_run=min_run, inside=inside
    )
    ok = seg["valid"]
    on, off = s_start + seg["onset"], s_start + seg["offset"]
    m_len = np.where(ok, off - on + 1, 0)
    scale = rep_metrics.rep_scale(ser, r_start, r_len)
    out = rep_metrics.movement_metrics(ser, (on, m_len), fs, arm, int(round(REST_S * fs)), tgt_units, scale)
    out.update(rep_metrics.rom_metrics(ser, on, np.where(ok, r_start + r_len - on, 0)))
    out["interjoint_r"] = rep_metrics.forward_reach_only(out["interjoint_r"], out["plane_of_elevation_deg"])
    out.update(rep_metrics.target_metrics(ser, (r_start, r_len), (on, m_len), tgt_units, rad, fs, dwell_s))
    out.update(rep_metrics.timing_metrics(ser, grid, cue, (on, off, s_start + seg["peak"], ok), fs))
    out["reaction_time_s"] = np.where(seg["before_cue"] | seg["censored"], np.nan, out["reaction_time_s"])
    for name in METRIC_NAMES:
        if name not in ("success", "time_to_target_s"):
            out[name] = np.where(ok, out[name], np.nan)
    windows = _metric_windows((r_start, r_len), (on, off, ok), grid.size, fs, min_run)
    result = _with_confidence(out, obs, gaps, windows)
    result["onset_s"] = out["onset_s"]
    result["offset_s"] = np.where(ok, out["onset_s"] + out["movement_time_s"], np.nan)
    result["started_before_cue"] = seg["before_cue"] | seg["censored"]
    return result


def _metric_windows(rep, seg, n: int, fs: float, pad: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(start, length) on the grid of every window named in ``METRIC_WINDOWS``."""
    r_start, r_len = rep
    on, off, ok = seg

    def span(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.clip(a, 0, n)
        return a, np.where(ok, np.maximum(np.clip(b, 0, n - 1) - a + 1, 0), 0)

    return {
        "rep": (r_start, r_len),
        "onset": span(np.minimum(r_start, on), on + pad),
        "movement": span(on - pad, off + pad),
        "end": span(off - int(round(END_S * fs)), off),
        "rom": span(on, r_start + r_len - 1),
        "trunk": span(on - int(round(REST_S * fs)), off),
    }


def _with_confidence(out, obs, gaps, windows) -> dict[str, np.ndarray]:
    """Each metric with its valid fraction and reliable flag over its own window."""
    result: dict[str, np.ndarray] = {}
    coverage: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for name, (group, window) in METRIC_WINDOWS.items():
        value = out[name]
        start, length = windows[window]
        if (group, window) not in coverage:  # shared by the metrics of one group and window
            coverage[group, window] = window_coverage(obs[group], gaps[group], start, length)
        frac, gap = coverage[group, window]
        # success is a bool that is meaningful even when no movement was found
        check = np.ones(value.shape) if value.dtype == bool else value
        flag = reliable(check, frac) & ~gap & (length > 0)
        result[name] = value
        result[f"{name}_valid_fraction"] = frac
        result[f"{name}_reliable"] = flag
    return result
