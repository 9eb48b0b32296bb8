"""Compensation during a reach: trunk displacement and shoulder hiking (§1, §3).

Trunk displacement and arm abduction stay abnormal for a year after stroke while movement
time recovers (SALGOT, Alt Murphy 2020), so they are reported beside success, never folded
into it (§10 item 5). Inputs are world positions in metres, time on axis -2, NaN padded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.ndimage import uniform_filter1d

from game.scoring import _validate
from game.tracking.pose import L_SHOULDER, R_SHOULDER

SHOULDER_WIDTH_M = 0.38
"""Adult biacromial breadth used to turn image pixels into metres (about 0.36–0.41 m)."""
FOCAL_FRACTION = 0.8
"""Webcam focal length as a fraction of the frame width (a 60–70° horizontal field of view)."""
TRUNK_SMOOTH_S = 0.3
"""Time constant of the trunk-shift smoothing: the forward part comes from the change of the
shoulder width, which amplifies pixel noise (a 1 px width error ≈ 15 mm at 2 m), so single
frames are never compared."""


def _start(p: np.ndarray, rest_samples: int = 1) -> np.ndarray:
    """Rest position ``(..., 1, D)``: mean of the finite samples among the first
    ``rest_samples``; the first finite sample when none of them is finite."""
    valid = np.all(np.isfinite(p), axis=-1)
    first = np.take_along_axis(p, np.argmax(valid, axis=-1)[..., None, None], axis=-2)
    head = p[..., :rest_samples, :]
    ok = valid[..., :rest_samples, None]
    n = ok.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, head, 0.0).sum(axis=-2, keepdims=True) / n
    return np.where(n > 0, mean, first)


def trunk_displacement_mm(trunk_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest distance of the trunk point from its rest position, millimetres.

    max_t |p(t) - p_rest| with p the mid-shoulder point (no sternum landmark in MediaPipe),
    §3 after Alt Murphy 2011 (healthy 27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).
    p_rest is the mean of the first ``rest_samples`` samples (the rest just before onset):
    a mean rather than one sample, so the reference's own jitter does not add to the
    floor. The noise floor of this measure is in game/scoring/noise_floor.py; score_reps
    low-passes the trunk at reps.TRUNK_CUTOFF_HZ first.

    Parameters
    ----------
    trunk_m : (..., T, 3) float
        Trunk point from the rest before onset onwards, metres.
    rest_samples : int
        Leading samples that form the rest position (1: the first finite sample).

    Returns
    -------
    (...) float64, mm; NaN without finite samples.
    """
    p = _validate.as_float_array(trunk_m, "trunk_m", min_ndim=2)
    d = np.linalg.norm(p - _start(p, max(int(rest_samples), 1)), axis=-1)
    out = np.where(np.isfinite(d), d, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def shoulder_hiking_mm(shoulder_m: np.ndarray, hip_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest rise of the reaching shoulder above its same-side hip, from onset, mm.

    Height is along world "up" (-y): h(t) = y_hip(t) - y_shoulder(t); hiking = max_t h(t) -
    h_rest, h_rest the mean of the first ``rest_samples`` samples. Measuring against the hip
    rather than the image removes whole-body motion; a lateral trunk lean away from the arm
    also raises it (design choice, [M]).

    Parameters
    ----------
    shoulder_m, hip_m : (..., T, 3) float
        World positions of the reaching side's shoulder and hip, metres.

    Returns
    -------
    (...) float64, mm (>= 0); NaN without finite samples.
    """
    s = _validate.as_float_array(shoulder_m, "shoulder_m", min_ndim=2)
    h = _validate.as_float_array(hip_m, "hip_m", min_ndim=2)
    _validate.same_shape(s, h, "shoulder_m", "hip_m")
    height = (h[..., 1] - s[..., 1])[..., None]
    height = np.where(np.isfinite(height), height, np.nan)
    rise = (height - _start(height, max(int(rest_samples), 1)))[..., 0]
    out = np.where(np.isfinite(rise), rise, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def trunk_shift_mm(
    image0: np.ndarray,
    image1: np.ndarray,
    frame_size: tuple[int, int],
    shoulder_width_m: float = SHOULDER_WIDTH_M,
) -> Any:
    """How far the mid-shoulder point moved between image poses, in millimetres.

    Measured in the camera picture, not in MediaPipe's hip-centred world landmarks: with the
    hips hidden by a table those swing by 10–20 cm from frame to frame (measured on a still
    photograph), while the picture is stable to a few pixels. Sideways and vertical motion are
    scaled by the shoulder width (pixels ↔ ``shoulder_width_m``); motion toward the camera comes
    from the growth of the shoulder width with a pinhole model, distance = f·S/w. Trunk
    displacement is the clinical compensation measure of clinical_metrics.md §3 (healthy
    27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).

    Parameters
    ----------
    image0, image1 : (..., 33, 4) float
        Image poses (broadcast against each other, e.g. one start pose and (T, 33, 4)).

    Returns
    -------
    float or (...) float64 array, mm; NaN where a shoulder is missing.
    """
    size = np.asarray(frame_size, dtype=np.float64)
    a = np.asarray(image0, dtype=np.float64)[..., [L_SHOULDER, R_SHOULDER], :2] * size
    b = np.asarray(image1, dtype=np.float64)[..., [L_SHOULDER, R_SHOULDER], :2] * size
    w0 = np.linalg.norm(a[..., 0, :] - a[..., 1, :], axis=-1)
    w1 = np.linalg.norm(b[..., 0, :] - b[..., 1, :], axis=-1)
    ok = (w0 >= 1.0) & (w1 >= 1.0)
    w0, w1 = np.where(ok, w0, np.nan), np.where(ok, w1, np.nan)
    m_per_px = shoulder_width_m / (0.5 * (w0 + w1))
    planar = (b.mean(axis=-2) - a.mean(axis=-2)) * m_per_px[..., None]
    forward = FOCAL_FRACTION * size[0] * shoulder_width_m * (1.0 / w0 - 1.0 / w1)
    out = 1000.0 * np.sqrt(np.sum(planar**2, axis=-1) + forward**2)
    return float(out) if np.ndim(out) == 0 else out


def smooth_poses(images: np.ndarray, fs_hz: float) -> np.ndarray:
    """Centred moving mean of image poses (T, 33, 4) over TRUNK_SMOOTH_S (for rep metrics)."""
    n = max(int(round(TRUNK_SMOOTH_S * fs_hz)), 1)
    return uniform_filter1d(np.asarray(images, dtype=np.float64), size=n, axis=0, mode="nearest")


def picture_trunk_displacement_mm(
    t_s: np.ndarray, image: np.ndarray, frame_size: tuple[int, int], start: int = 0, live: slice | None = None
) -> float:
    """Largest trunk shift in the picture over one rep, mm (the compensation measure of §3).

    The poses are smoothed over TRUNK_SMOOTH_S first (:func:`smooth_poses`); the shift of each
    pose in ``live`` (default: all) is measured from the smoothed pose at index ``start``
    (:func:`trunk_shift_mm`).

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps, seconds (the rate is 1 / their median interval); T >= 2.
    image : (T, 33, 4) float
        Image poses of the rep.

    Returns
    -------
    float, mm; NaN when no pose in ``live`` has both shoulders.
    """
    fs_hz = 1.0 / float(np.median(np.diff(np.asarray(t_s, dtype=np.float64))))
    smooth = smooth_poses(image, fs_hz)
    shift = np.asarray(
        trunk_shift_mm(
            smooth[min(start, len(smooth) - 1)], smooth[slice(None) if live is None else live], frame_size
        )
    )
    return float(np.nanmax(shift)) if np.any(np.isfinite(shift)) else float("nan")
