"""Lower-limb angles and postures from landmarks (docs/sources.md §4.2, §6.7-§6.10).

Conventions (docs/metrics.md): degrees, 0 deg = a straight joint; "left"/"right" are the
person's own sides; world landmarks in metres with y down. Every function takes ``(..., 33,
D)`` coordinates (any leading axes; D = 3 for world landmarks, 2 for image points in pixels)
and is NaN-aware: a missing landmark gives NaN for what uses it. Visibility is the caller's
business (game.scoring.mask_invisible sets poorly seen landmarks to NaN).

- :func:`knee_flexion_deg`: 180 deg minus the hip-knee-ankle included angle (0 = straight);
- :func:`hip_height_shanks`: the mid-hip's height above the mid-ankle in shank lengths, the
  posture signal of sit-to-stand (about 1.0-1.3 seated or in a deep squat, 2.0 standing) that
  reads the same from the front and from the side;
- :func:`trunk_flexion_deg`: trunk tilt from vertical in any direction (view independent);
- :func:`trunk_forward_lean_deg`: trunk tilt towards the knees (signed: reclined < 0), with the
  hips bent (seated or squatting), view independent;
- :func:`knee_valgus_deg`: the frontal-plane projection angle (FPPA) of a knee, valgus > 0;
- :func:`ankle_dorsiflexion_deg`, :func:`heel_rise_m`, :func:`knee_height_m`,
  :func:`lateral_shift_m`, :func:`hands_on_thighs`.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate, vec
from game.scoring.kinematics import included_angle_deg
from game.tracking import pose as P

LEG = {
    "left": (P.L_HIP, P.L_KNEE, P.L_ANKLE, P.L_HEEL, P.L_FOOT),
    "right": (P.R_HIP, P.R_KNEE, P.R_ANKLE, P.R_HEEL, P.R_FOOT),
}
"""Hip, knee, ankle, heel and foot tip of each side."""
HAND_ON_THIGH_M = 0.15
"""A wrist this close to the thigh (hip-knee segment) rests on it (design choice: a hand is
about 0.1 m thick, plus landmark noise)."""
THIGH_PART = (0.3, 1.05)
"""Where along the thigh (0 = hip, 1 = knee) a resting hand lies: an arm hanging at the side
reaches only the top of the thigh, which does not count."""


def _pts(points: np.ndarray, name: str = "xyz") -> np.ndarray:
    """Points as given when already floating point (float32 halves the work of a long
    session), else as float64; shape checked."""
    arr = np.asarray(points)
    if arr.dtype.kind != "f":
        arr = _validate.as_float_array(points, name, min_ndim=2)
    if arr.shape[-2] != 33 or arr.shape[-1] not in (2, 3):
        raise ValueError(f"{name} must have shape (..., 33, 2|3), got {arr.shape}")
    return arr


def _leg(side: str) -> tuple[int, int, int, int, int]:
    return LEG[_validate.side(side)]


def knee_flexion_deg(xyz: np.ndarray, side: str) -> np.ndarray:
    """Knee flexion of one leg, degrees: 180 - angle(hip, knee, ankle); 0 = straight, about
    90 seated. Three-dimensional with world landmarks, in the picture with image points."""
    p = _pts(xyz)
    h, k, a = _leg(side)[:3]
    return 180.0 - included_angle_deg(_z(p[..., h, :]), _z(p[..., k, :]), _z(p[..., a, :]))


def _z(v: np.ndarray) -> np.ndarray:
    """2-D points get a zero third coordinate (the cross product needs three)."""
    if v.shape[-1] == 3:
        return v
    return np.concatenate([v, np.zeros(v.shape[:-1] + (1,))], axis=-1)


def mean_of_seen(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of two arrays element by element where both are finite, the finite one where only
    one is (a leg hidden in a side view), NaN where neither is."""
    ok_a, ok_b = np.isfinite(a), np.isfinite(b)
    return np.where(ok_a & ok_b, 0.5 * (a + b), np.where(ok_a, a, b))


def mean_knee_flexion_deg(xyz: np.ndarray) -> np.ndarray:
    """Mean knee flexion of the legs that are seen (one leg where the other is missing)."""
    return mean_of_seen(knee_flexion_deg(xyz, "left"), knee_flexion_deg(xyz, "right"))


def shank_length(xyz: np.ndarray) -> np.ndarray:
    """Mean knee-to-ankle length of the legs seen, in the units of ``xyz``."""
    p = _pts(xyz)
    left = vec.norm(p[..., P.L_KNEE, :] - p[..., P.L_ANKLE, :])
    return mean_of_seen(left, vec.norm(p[..., P.R_KNEE, :] - p[..., P.R_ANKLE, :]))


def hip_height_shanks(xyz: np.ndarray) -> np.ndarray:
    """Height of the mid-hip above the mid-ankle (y down), in shank lengths.

    About 2.0 standing, 1.0-1.3 seated on a chair or at the bottom of a deep squat, below 0.6
    with the hips near the floor. A ratio, so it needs no calibration; the shank stays near
    vertical seated and standing, so the same numbers hold from the front and from the side
    (docs/sources.md §6.7). Image points must be in pixels (not normalised: aspect)."""
    p = _pts(xyz)
    hip = 0.5 * (p[..., P.L_HIP, 1] + p[..., P.R_HIP, 1])
    ankle = mean_of_seen(p[..., P.L_ANKLE, 1], p[..., P.R_ANKLE, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (ankle - hip) / shank_length(p)


def trunk_flexion_deg(xyz: np.ndarray) -> np.ndarray:
    """Tilt of the mid-hip → mid-shoulder axis from vertical, degrees, in any direction.

    Forward lean in a sit-to-stand or squat; the direction is left out so that a side view
    (where forward is across the picture) reads like a front view."""
    p = _pts(xyz)
    t = 0.5 * (p[..., P.L_SHOULDER, :] + p[..., P.R_SHOULDER, :]) - 0.5 * (
        p[..., P.L_HIP, :] + p[..., P.R_HIP, :]
    )
    up = -t[..., 1]
    across = np.hypot(t[..., 0], t[..., 2]) if t.shape[-1] == 3 else np.abs(t[..., 0])
    return np.degrees(np.arctan2(across, up))


THIGH_FORWARD_MIN = 0.25
"""The thighs give a forward direction only when their horizontal part is at least this share
of their length (bent about 15 deg or more): standing straight, forward is undefined."""


def trunk_forward_lean_deg(xyz: np.ndarray) -> np.ndarray:
    """Tilt of the mid-hip → mid-shoulder axis from vertical towards the knees, degrees, (...).

    Forward is the horizontal direction of the thighs (mean hip → knee of both legs), which
    point forward when seated or squatting, whichever way the camera looks; > 0 leaning
    forward, < 0 reclined (against a backrest), 0 upright; the sideways part is left out. NaN
    where the thighs are near vertical (:data:`THIGH_FORWARD_MIN`). World landmarks (the
    forward direction is in depth from the front)."""
    p = _pts(xyz)
    if p.shape[-1] != 3:
        raise ValueError("trunk_forward_lean_deg needs world landmarks (..., 33, 3)")
    thigh = 0.5 * (p[..., P.L_KNEE, :] - p[..., P.L_HIP, :] + p[..., P.R_KNEE, :] - p[..., P.R_HIP, :])
    ahead = np.hypot(thigh[..., 0], thigh[..., 2])
    t = 0.5 * (p[..., P.L_SHOULDER, :] + p[..., P.R_SHOULDER, :]) - 0.5 * (
        p[..., P.L_HIP, :] + p[..., P.R_HIP, :]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        forward = (t[..., 0] * thigh[..., 0] + t[..., 2] * thigh[..., 2]) / ahead
        ok = ahead >= THIGH_FORWARD_MIN * np.linalg.norm(thigh, axis=-1)
    return np.where(ok, np.degrees(np.arctan2(forward, -t[..., 1])), np.nan)


def knee_valgus_deg(image_px: np.ndarray, side: str) -> np.ndarray:
    """Frontal-plane projection angle of one knee (FPPA; Willson & Davis 2008), degrees.

    180 deg minus the hip-knee-ankle angle in the picture, positive when the knee sits medial
    to the hip-ankle line (on the other hip's side of it: valgus, "knee caving in"), negative
    for varus. Meaningful only from the front (docs/sources.md §6.8)."""
    p = _pts(image_px, "image_px")
    h, k, a = _leg(side)[:3]
    other = LEG["right" if side == "left" else "left"][0]
    hx, hy, kx, ky = p[..., h, 0], p[..., h, 1], p[..., k, 0], p[..., k, 1]
    ax, ay = p[..., a, 0], p[..., a, 1]
    ux, uy, vx, vy = hx - kx, hy - ky, ax - kx, ay - ky
    fppa = 180.0 - np.degrees(np.arctan2(np.abs(ux * vy - uy * vx), ux * vx + uy * vy))
    lx, ly = ax - hx, ay - hy  # the hip-ankle line; which side of it are the knee and the other hip
    knee_side = lx * (ky - hy) - ly * (kx - hx)
    hip_side = lx * (p[..., other, 1] - hy) - ly * (p[..., other, 0] - hx)
    return np.where(knee_side * hip_side < 0, -fppa, fppa)


def ankle_dorsiflexion_deg(xyz: np.ndarray, side: str) -> np.ndarray:
    """Ankle angle, degrees: 90 minus the angle between the shank (ankle → knee) and the foot
    (heel → foot tip); 0 with the foot at right angles to the shank, > 0 toes up."""
    p = _pts(xyz)
    _, k, a, heel, toe = _leg(side)
    foot = p[..., toe, :] - p[..., heel, :]
    return 90.0 - included_angle_deg(_z(p[..., k, :]), _z(p[..., a, :]), _z(p[..., a, :] + foot))


def heel_rise_m(xyz: np.ndarray, side: str) -> np.ndarray:
    """Height of the heel above the foot tip, metres (world y down); about -0.01 with the foot
    flat, growing as the heel comes off the floor (subtract the standing value)."""
    p = _pts(xyz)
    _, _, _, heel, toe = _leg(side)
    return p[..., toe, 1] - p[..., heel, 1]


def knee_height_m(xyz: np.ndarray, side: str) -> np.ndarray:
    """Height of one knee above the mid-hip (world y down): about -0.45 standing, rising
    towards 0 as the thigh comes up (a knee lift: subtract the standing value)."""
    p = _pts(xyz)
    hip = 0.5 * (p[..., P.L_HIP, 1] + p[..., P.R_HIP, 1])
    return hip - p[..., _leg(side)[1], 1]


def lateral_shift_m(xyz: np.ndarray) -> np.ndarray:
    """Sideways position of the mid-shoulder over the mid-ankle along the person's own left
    (the hip line), metres; > 0 to the person's left. Reads the same from any camera side."""
    p = _pts(xyz)
    across = p[..., P.L_HIP, :] - p[..., P.R_HIP, :]
    across = across.copy()
    across[..., 1] = 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = across / vec.norm(across)[..., None]
    sh = 0.5 * (p[..., P.L_SHOULDER, :] + p[..., P.R_SHOULDER, :])
    ank = 0.5 * (p[..., P.L_ANKLE, :] + p[..., P.R_ANKLE, :])
    return vec.dot(sh - ank, unit)


def hands_on_thighs(
    xyz: np.ndarray, sides: tuple[str, ...] = ("left", "right"), limit_m: float = HAND_ON_THIGH_M
) -> np.ndarray:
    """Whether a wrist of ``sides`` rests on either thigh: within ``limit_m`` of the hip-knee
    segment, between :data:`THIGH_PART` of the way from the hip to the knee. (...) bool."""
    p = _pts(xyz)
    near = np.zeros(p.shape[:-2], dtype=bool)
    for leg in LEG.values():
        a = p[..., leg[0], :]
        ab = p[..., leg[1], :] - a
        ab2 = vec.dot(ab, ab)
        for side in sides:
            d = p[..., P.L_WRIST if _validate.side(side) == "left" else P.R_WRIST, :] - a
            with np.errstate(invalid="ignore", divide="ignore"):
                along = vec.dot(d, ab) / ab2
                off = d - ab * np.clip(along, 0.0, 1.0)[..., None]
                dist2 = vec.dot(off, off)
                near |= (dist2 <= limit_m**2) & (along >= THIGH_PART[0]) & (along <= THIGH_PART[1])
    return near
