"""Balance: centre-of-mass proxy, sway, target zone, limits of stability, single-leg stance.

Sources: docs/sources.md §6 (Prieto et al. 1996 sway set; Schubert & Kirchner 2014 for
the prediction ellipse; NeuroCom limits of stability; Springer 2007 single-leg stance); the
whole-body centre of mass from segment masses and centre-of-mass positions of Winter,
Biomechanics and Motor Control of Human Movement (4th ed. 2009), Table 4.1.
Signals are on the last axis with any leading axes; NaN samples are skipped.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate
from game.scoring.preprocess import preprocess_signals
from game.scoring.segmentation import run_lengths
from game.tracking import pose as P
from game.tracking.pose import L_ANKLE, L_HIP, L_SHOULDER, R_ANKLE, R_HIP, R_SHOULDER

SHOULDER_WEIGHT = 0.1
"""Former CoM proxy weight (mid-hip + 0.1 (mid-shoulder - mid-hip)); kept for old callers.
:func:`whole_body_com_m` replaced it: a trunk lean at the hips moves the whole-body CoM about
four times more than this proxy said."""
P95 = 0.95
LOS_DEG = {"forward": 8.0, "backward": 4.5, "left": 8.0, "right": 8.0}
"""Theoretical limits of stability from vertical, degrees (NeuroCom convention, §6.3): the
angle of the whole-body centre of gravity about the ankles (:func:`cog_lean_deg`)."""
SWAY_CUTOFF_HZ = 1.0
"""Low-pass of the CoM trace before sway measures. Centre-of-mass sway of quiet stance lies
below about 1 Hz (the CoM is a low-passed CoP, §6.1); landmark jitter above it made a still
body with 2 mm noise read 27.5 mm/s of mean velocity, as much as the simulated patient's
real sway (issue 10 item 5). The floor this leaves is in game/scoring/noise_floor.py."""

# Winter 2009 Table 4.1: (mass fraction, proximal, distal, CoM from proximal / length).
# Landmark groups are averaged: "hand" is the hand point (index and pinky knuckles).
_SEGMENTS = (
    (0.081, "head", "head", 0.0),  # head and neck: CoM at the ear canal (1.000 from C7-T1)
    (0.497, "mid_shoulder", "mid_hip", 0.50),  # trunk: glenohumeral -> greater trochanter
    (0.028, "l_shoulder", "l_elbow", 0.436),
    (0.028, "r_shoulder", "r_elbow", 0.436),
    (0.016, "l_elbow", "l_wrist", 0.430),
    (0.016, "r_elbow", "r_wrist", 0.430),
    (0.006, "l_wrist", "l_hand", 0.506),
    (0.006, "r_wrist", "r_hand", 0.506),
    (0.100, "l_hip", "l_knee", 0.433),
    (0.100, "r_hip", "r_knee", 0.433),
    (0.0465, "l_knee", "l_ankle", 0.433),
    (0.0465, "r_knee", "r_ankle", 0.433),
    (0.0145, "l_heel", "l_foot", 0.50),
    (0.0145, "r_heel", "r_foot", 0.50),
)
_POINTS = {
    "head": (7, 8),  # ears
    "mid_shoulder": (L_SHOULDER, R_SHOULDER),
    "mid_hip": (L_HIP, R_HIP),
    "l_shoulder": (L_SHOULDER,),
    "r_shoulder": (R_SHOULDER,),
    "l_elbow": (P.L_ELBOW,),
    "r_elbow": (P.R_ELBOW,),
    "l_wrist": (P.L_WRIST,),
    "r_wrist": (P.R_WRIST,),
    "l_hand": (P.L_INDEX, P.L_PINKY),
    "r_hand": (P.R_INDEX, P.R_PINKY),
    "l_hip": (L_HIP,),
    "r_hip": (R_HIP,),
    "l_knee": (P.L_KNEE,),
    "r_knee": (P.R_KNEE,),
    "l_ankle": (L_ANKLE,),
    "r_ankle": (R_ANKLE,),
    "l_heel": (P.L_HEEL,),
    "r_heel": (P.R_HEEL,),
    "l_foot": (P.L_FOOT,),
    "r_foot": (P.R_FOOT,),
}


def _world_xyz(world: np.ndarray) -> np.ndarray:
    w = _validate.as_float_array(world, "world", min_ndim=2)
    if w.shape[-2] != 33 or w.shape[-1] not in (3, 4):
        raise ValueError(f"world must have shape (..., 33, 3|4), got {w.shape}")
    return w[..., :3]


def _com_weights() -> tuple[list[int], np.ndarray]:
    """The whole-body centre of mass is linear in the landmarks: sum_j w_j p_j. The landmarks
    the segment table uses and their weights (sum 1)."""
    w = np.zeros(P.N_LANDMARKS)
    for mass, prox, dist, frac in _SEGMENTS:
        for name, share in ((prox, 1.0 - frac), (dist, frac)):
            idx = _POINTS[name]
            w[list(idx)] += mass * share / len(idx)
    used = [int(i) for i in np.flatnonzero(w)]
    return used, w[used]


_COM_LANDMARKS, _COM_WEIGHTS = _com_weights()


def whole_body_com_m(world: np.ndarray) -> np.ndarray:
    """Whole-body centre of mass from 14 body segments, ``(..., 3)`` in the input's frame.

    Segment masses (fractions of body mass) and centre-of-mass positions along each segment
    are Winter's (2009, Table 4.1): head and neck 8.1 % at the ear canal, trunk 49.7 % at
    mid-length, upper arm 2.8 % (0.436 from the shoulder), forearm 1.6 % (0.430 from the
    elbow), hand 0.6 % (0.506 from the wrist), thigh 10 %, shank 4.65 % (0.433 from the
    proximal joint) and foot 1.45 % (heel to toe mid-point). The sum over segments is a fixed
    weighted sum of the landmarks (computed once). NaN if any landmark it uses is missing (a
    seated patient's hidden legs): use ``com_proxy_m(base="hips")`` for seated balance.

    Parameters
    ----------
    world : (..., 33, 3|4) float
        World landmarks (metres); a 4th column is visibility and is ignored.
    """
    p = _world_xyz(world)
    return np.einsum("...jd,j->...d", p[..., _COM_LANDMARKS, :], _COM_WEIGHTS)


def cog_lean_deg(world: np.ndarray) -> dict[str, np.ndarray]:
    """Lean of the whole-body centre of gravity about the ankles, degrees (NeuroCom LOS).

    The angle from vertical of the line from the mid-ankle point to :func:`whole_body_com_m`
    (world "up" is -y; a level camera is assumed): ``forward_deg`` > 0 towards the camera
    (the patient faces it), ``left_deg`` > 0 to the patient's left. Limits of stability are
    defined on this angle (8 deg forward and sideways, 4.5 deg backward, §6.3); divide by
    ``LOS_DEG`` for %LOS (:func:`los_pct`). A trunk lean at the hips is NOT this angle.

    Returns
    -------
    dict of (...) float64: ``forward_deg``, ``left_deg``, ``total_deg``
    """
    p = _world_xyz(world)
    d = whole_body_com_m(p) - 0.5 * (p[..., L_ANKLE, :] + p[..., R_ANKLE, :])
    up = -d[..., 1]
    return {
        "forward_deg": np.degrees(np.arctan2(-d[..., 2], up)),
        "left_deg": np.degrees(np.arctan2(d[..., 0], up)),
        "total_deg": np.degrees(np.arctan2(np.hypot(d[..., 0], d[..., 2]), up)),
    }


def los_pct(lean_deg: np.ndarray, direction: str) -> np.ndarray:
    """%LOS: 100 x centre-of-gravity lean (:func:`cog_lean_deg`, from upright) / the NeuroCom
    limit of that direction (``LOS_DEG``)."""
    if direction not in LOS_DEG:
        raise ValueError(f"direction must be one of {sorted(LOS_DEG)}, got {direction!r}")
    return 100.0 * _validate.as_float_array(lean_deg, "lean_deg", min_ndim=0) / LOS_DEG[direction]


def com_sway(t_s: np.ndarray, world: np.ndarray, *, base: str = "ankles") -> dict[str, np.ndarray]:
    """Sway measures of a recording: CoM proxy, resampled, gap-filled, low-passed at
    ``SWAY_CUTOFF_HZ``, then :func:`sway_metrics` (one call for the balance levels).

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps, seconds (10-60 Hz).
    world : (T, 33, 4) float
        World landmarks with visibility (visibility < 0.5 is missing).
    base : {"ankles", "hips"}
        As in :func:`com_proxy_m`.
    """
    lm = _validate.landmarks(world, "world")
    xyz = lm[..., :3].copy()
    with np.errstate(invalid="ignore"):
        xyz[~(lm[..., 3] >= P.VISIBLE)] = np.nan
    return trace_sway(t_s, com_proxy_m(xyz, base=base))


def trace_sway(t_s: np.ndarray, ml_ap_m: np.ndarray) -> dict[str, np.ndarray]:
    """Sway measures of a CoM trace ``(T, 2)`` (ML, AP metres) sampled at times ``t_s``:
    resampled to a uniform grid, gaps up to 150 ms filled, low-passed at
    :func:`sway_cutoff_hz`, then :func:`sway_metrics`. Longer gaps (e.g. the samples a level
    left out) stay missing and break the path there."""
    t = _validate.as_float_array(t_s, "t_s")
    finite = t[np.isfinite(t)]
    fs_in = 1.0 / float(np.median(np.diff(finite))) if finite.size > 1 else 2.0 * SWAY_CUTOFF_HZ + 1.0
    grid, com, _, _ = preprocess_signals(t, ml_ap_m, cutoff_hz=sway_cutoff_hz(fs_in))
    fs = 1.0 / float(np.median(np.diff(grid))) if grid.size > 1 else 1.0
    return sway_metrics(com[:, 0], com[:, 1], fs)


def sway_cutoff_hz(fs_hz: float) -> float:
    """Low-pass cut-off of centre-of-mass sway at pose rate ``fs_hz``: ``SWAY_CUTOFF_HZ``, or
    0.8 x the Nyquist frequency when that is lower (never at or above fs / 2)."""
    return min(SWAY_CUTOFF_HZ, 0.4 * _validate.positive(fs_hz, "fs_hz"))


def com_proxy_m(world: np.ndarray, *, base: str = "ankles") -> np.ndarray:
    """Centre-of-mass position relative to the base of support, metres, ``(..., T, 2)``.

    Column 0 is medio-lateral (ML, > 0 towards the patient's left), column 1 antero-posterior
    (AP, > 0 forwards, towards the camera). ``base="ankles"`` (standing): the whole-body CoM
    (:func:`whole_body_com_m`) relative to the mid-ankle point. ``base="hips"`` (seated trunk
    balance): the mid-shoulder relative to the mid-hip, i.e. the trunk's lean, which is not
    a centre of mass and must not be scored against limits of stability.

    Parameters
    ----------
    world : (..., T, 33, 4) or (..., T, 33, 3) float
        World landmarks; a 4th column is visibility and is ignored here.
    base : {"ankles", "hips"}
    """
    p = _world_xyz(world)
    if base == "ankles":
        com = whole_body_com_m(p)
        ref = 0.5 * (p[..., L_ANKLE, :] + p[..., R_ANKLE, :])
    elif base == "hips":
        com = 0.5 * (p[..., L_SHOULDER, :] + p[..., R_SHOULDER, :])
        ref = 0.5 * (p[..., L_HIP, :] + p[..., R_HIP, :])
    else:
        raise ValueError(f"base must be 'ankles' or 'hips', got {base!r}")
    d = com - ref
    return np.stack([d[..., 0], -d[..., 2]], axis=-1)


def _demeaned(ml_m: np.ndarray, ap_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ml = _validate.as_float_array(ml_m, "ml_m")
    ap = _validate.as_float_array(ap_m, "ap_m")
    _validate.same_shape(ml, ap, "ml_m", "ap_m")
    ok = np.isfinite(ml) & np.isfinite(ap)
    n = ok.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = ml - np.where(ok, ml, 0).sum(axis=-1, keepdims=True) / n[..., None]
        y = ap - np.where(ok, ap, 0).sum(axis=-1, keepdims=True) / n[..., None]
    return np.where(ok, x, np.nan), np.where(ok, y, np.nan), n


def _f95_2(n_denominator: np.ndarray) -> np.ndarray:
    """95th percentile of F(2, n): closed form (n/2)((1-p)**(-2/n) - 1), no scipy.stats."""
    n = np.asarray(n_denominator, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return n / 2.0 * ((1.0 - P95) ** (-2.0 / n) - 1.0)


def ellipse95_area_m2(ml_m: np.ndarray, ap_m: np.ndarray, *, method: str = "prediction") -> np.ndarray:
    """95% ellipse area of the sway, square metres (§6.2).

    ``"prediction"`` (recommended, Schubert & Kirchner 2014):
    pi * 2(N-1)(N+1)/(N(N-2)) * F95(2, N-2) * sqrt(det S); ``"confidence"`` (Prieto 1996):
    2 pi F95(2, N-2) sqrt(det S); ``"chi2"``: pi * chi2_95(2) * sqrt(det S), chi2_95(2) =
    -2 ln 0.05 = 5.9915. S is the sample covariance (ddof=1). TV6: 1 cm circle gives 9.474,
    9.453 and 9.422 cm².
    """
    x, y, n = _demeaned(ml_m, ap_m)
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = np.nansum(x * x, axis=-1) / (n - 1)
        syy = np.nansum(y * y, axis=-1) / (n - 1)
        sxy = np.nansum(x * y, axis=-1) / (n - 1)
        root = np.sqrt(np.maximum(sxx * syy - sxy**2, 0.0))
        if method == "prediction":
            k = np.pi * 2 * (n - 1) * (n + 1) / (n * (n - 2)) * _f95_2(n - 2)
        elif method == "confidence":
            k = 2 * np.pi * _f95_2(n - 2)
        elif method == "chi2":
            k = np.pi * -2.0 * np.log(1 - P95) * np.ones_like(root)
        else:
            raise ValueError(f"method must be 'prediction', 'confidence' or 'chi2', got {method!r}")
    return np.where(n >= 3, k * root, np.nan)


def sway_metrics(ml_m: np.ndarray, ap_m: np.ndarray, fs_hz: float) -> dict[str, np.ndarray]:
    """Prieto sway measures of a CoM trace (§6.2), on de-meaned ML and AP.

    RD = sqrt(ML² + AP²); ``rms_m`` = sqrt(mean RD²); ``mean_distance_m`` = mean RD;
    ``path_length_m`` = sum of step lengths; ``mean_velocity_m_s`` = path / ((N-1)/fs);
    ``mean_frequency_hz`` = MVELO / (2 pi MDIST); ``ellipse95_area_m2`` (prediction);
    ``range_ml_m`` / ``range_ap_m``. TV6: r = 1 cm circle at 0.5 Hz: RMS 1.000 cm, MVELO
    3.140 cm/s, MFREQ 0.4998 Hz.

    Parameters
    ----------
    ml_m, ap_m : (..., T) float
        CoM proxy in metres (e.g. from :func:`com_proxy_m`), uniformly sampled.
    fs_hz : float
        Sampling rate, hertz.

    Returns
    -------
    dict of (...) float64
    """
    fs = _validate.positive(fs_hz, "fs_hz")
    x, y, n = _demeaned(ml_m, ap_m)
    rd = np.hypot(x, y)
    step = np.hypot(np.diff(x, axis=-1), np.diff(y, axis=-1))
    n_steps = np.isfinite(step).sum(axis=-1)
    path = np.nansum(step, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mdist = np.nansum(rd, axis=-1) / n
        rms = np.sqrt(np.nansum(rd**2, axis=-1) / n)
        mvelo = path / (n_steps / fs)
        mfreq = mvelo / (2 * np.pi * mdist)
    ok = n >= 3
    return {
        "rms_m": np.where(ok, rms, np.nan),
        "mean_distance_m": np.where(ok, mdist, np.nan),
        "path_length_m": np.where(n_steps > 0, path, np.nan),
        "mean_velocity_m_s": np.where(n_steps > 0, mvelo, np.nan),
        "mean_frequency_hz": np.where(ok, mfreq, np.nan),
        "ellipse95_area_m2": ellipse95_area_m2(ml_m, ap_m),
        "range_ml_m": np.where(
            ok, np.nanmax(x, axis=-1, initial=-np.inf) - np.nanmin(x, axis=-1, initial=np.inf), np.nan
        ),
        "range_ap_m": np.where(
            ok, np.nanmax(y, axis=-1, initial=-np.inf) - np.nanmin(y, axis=-1, initial=np.inf), np.nan
        ),
    }


def time_in_zone_s(
    ml_m: np.ndarray, ap_m: np.ndarray, center_m: tuple[float, float], radius_m: float, fs_hz: float
) -> tuple[np.ndarray, np.ndarray]:
    """Time the CoM proxy spends inside a circular target zone.

    Parameters
    ----------
    ml_m, ap_m : (..., T) float
        Position (not de-meaned), metres.
    center_m : (ml, ap) metres; radius_m : metres; fs_hz : hertz.

    Returns
    -------
    time_s : (...) float64, seconds inside.
    fraction : (...) float64, inside / finite samples (NaN if none finite).
    """
    ml = _validate.as_float_array(ml_m, "ml_m")
    ap = _validate.as_float_array(ap_m, "ap_m")
    _validate.same_shape(ml, ap, "ml_m", "ap_m")
    r = _validate.positive(radius_m, "radius_m")
    fs = _validate.positive(fs_hz, "fs_hz")
    inside = np.hypot(ml - center_m[0], ap - center_m[1]) <= r
    n = (np.isfinite(ml) & np.isfinite(ap)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return inside.sum(axis=-1) / fs, np.where(n > 0, inside.sum(axis=-1) / n, np.nan)


def los_excursion(ml_m: np.ndarray, ap_m: np.ndarray, com_height_m: float) -> dict[str, np.ndarray]:
    """Maximum lean in each direction, degrees and % of the theoretical limit (§6.3).

    Lean angle = atan(displacement / CoM height) from the first finite (upright) sample;
    %LOS = 100 * max lean / LOS (8° forward, 4.5° backward, 8° left and right). The input
    must be the whole-body CoM relative to the ankles (``com_proxy_m(base="ankles")``, the
    NeuroCom definition), not a trunk lean; CoM height is about 0.55 x stature [M]. With
    full-body landmarks :func:`cog_lean_deg` gives the angle directly.

    Returns
    -------
    dict of (...) float64: ``{direction}_deg`` and ``{direction}_pct`` for forward,
    backward, left, right.
    """
    ml = _validate.as_float_array(ml_m, "ml_m")
    ap = _validate.as_float_array(ap_m, "ap_m")
    _validate.same_shape(ml, ap, "ml_m", "ap_m")
    h = _validate.positive(com_height_m, "com_height_m")
    first = np.argmax(np.isfinite(ml) & np.isfinite(ap), axis=-1)[..., None]
    dml = ml - np.take_along_axis(ml, first, axis=-1)
    dap = ap - np.take_along_axis(ap, first, axis=-1)
    signed = {"forward": dap, "backward": -dap, "left": dml, "right": -dml}
    out: dict[str, np.ndarray] = {}
    for direction, d in signed.items():
        deg = np.degrees(np.arctan2(np.nanmax(np.where(np.isfinite(d), d, 0.0), axis=-1), h))
        out[f"{direction}_deg"] = np.maximum(deg, 0.0)
        out[f"{direction}_pct"] = 100.0 * np.maximum(deg, 0.0) / LOS_DEG[direction]
    return out


def single_leg_stance_s(
    world: np.ndarray, fs_hz: float, stance_side: str, *, lift_m: float = 0.05, persistence_s: float = 0.1
) -> np.ndarray:
    """Longest single-leg stance, seconds (§6.5, video detection rule).

    The free foot counts as lifted while its ankle is at least ``lift_m`` above the stance
    ankle (world y is down). Drops shorter than ``persistence_s`` (100 ms) inside a stance
    are bridged and lifts shorter than it are ignored, the §6.5 persistence rule.

    Parameters
    ----------
    world : (..., T, 33, 3|4) float
        World landmarks, uniformly sampled at ``fs_hz``.
    stance_side : {"left", "right"}
        The leg the patient stands on.

    Returns
    -------
    (...) float64, seconds.
    """
    w = _validate.as_float_array(world, "world", min_ndim=3)
    fs = _validate.positive(fs_hz, "fs_hz")
    stance = L_ANKLE if _validate.side(stance_side, "stance_side") == "left" else R_ANKLE
    free = R_ANKLE if stance == L_ANKLE else L_ANKLE
    with np.errstate(invalid="ignore"):
        lifted = (w[..., stance, 1] - w[..., free, 1]) >= lift_m
    k = max(1, int(round(persistence_s * fs)))
    gaps = run_lengths(~lifted)
    interior = (np.cumsum(lifted, axis=-1) > 0) & (np.cumsum(lifted[..., ::-1], axis=-1)[..., ::-1] > 0)
    lifted = lifted | ((gaps > 0) & (gaps < k) & interior)
    runs = run_lengths(lifted)
    runs = np.where(runs >= k, runs, 0)
    return runs.max(axis=-1, initial=0) / fs
