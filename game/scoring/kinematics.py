"""Joint angles in the trunk frame, hand points and trunk lean (clinical_metrics.md §4.2).

World axes (game/tracking/pose.py): x to the patient's LEFT, y DOWN, z AWAY from the camera,
origin mid-hip. The trunk frame is built per frame from the landmarks themselves, so trunk
lean is not scored as shoulder range of motion (§10 item 4):

- ``up``       = unit(mid_shoulder - mid_hip)
- ``right``    = unit(m - (m . up) up) with m = R_shoulder - L_shoulder (patient's right)
- ``anterior`` = up x right (towards the camera for a patient facing it; the world frame is
  right-handed, so up x right = (-y) x (-x) = -z)

All functions take ``(..., 33, 3)`` coordinates (any leading axes, e.g. ``(R, T)``) and are
NaN-aware: a missing landmark gives NaN for every angle that uses it.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate
from game.tracking.pose import (
    L_HIP,
    L_INDEX,
    L_PINKY,
    L_SHOULDER,
    L_WRIST,
    R_HIP,
    R_INDEX,
    R_PINKY,
    R_SHOULDER,
    R_WRIST,
    shoulder_elbow_wrist,
)

HAND_POINTS = {"left": (L_WRIST, L_INDEX, L_PINKY), "right": (R_WRIST, R_INDEX, R_PINKY)}
"""Landmarks averaged into the hand point: the centroid of wrist, index and pinky (§3)."""


def _xyz(points: np.ndarray, name: str, dims: tuple[int, ...] = (3,)) -> np.ndarray:
    arr = _validate.as_float_array(points, name, min_ndim=2)
    if arr.shape[-2] != 33 or arr.shape[-1] not in dims:
        want = " or ".join(f"(..., 33, {d})" for d in dims)
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    return arr


def _unit(v: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)


def included_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Included angle ∠ABC in degrees, as atan2(|BA x BC|, BA . BC) (well-conditioned at 0/180°).

    Parameters
    ----------
    a, b, c : (..., 3) float
        Points; b is the vertex.

    Returns
    -------
    (...) float64, degrees in [0, 180]
    """
    u = np.asarray(a, dtype=np.float64) - b
    v = np.asarray(c, dtype=np.float64) - b
    cross = np.linalg.norm(np.cross(u, v), axis=-1)
    return np.degrees(np.arctan2(cross, np.sum(u * v, axis=-1)))


def trunk_axes(
    l_shoulder: np.ndarray, r_shoulder: np.ndarray, l_hip: np.ndarray, r_hip: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axes (up, right, anterior) of the trunk frame from four ``(..., 3)`` points."""
    up = _unit(0.5 * (l_shoulder + r_shoulder) - 0.5 * (l_hip + r_hip))
    m = r_shoulder - l_shoulder
    right = _unit(m - np.sum(m * up, axis=-1, keepdims=True) * up)
    return up, right, np.cross(up, right)


def trunk_frame(xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axes (up, right, anterior) of the trunk frame, each ``(..., 3)`` (module doc)."""
    p = _xyz(xyz, "xyz")
    return trunk_axes(p[..., L_SHOULDER, :], p[..., R_SHOULDER, :], p[..., L_HIP, :], p[..., R_HIP, :])


def humerus_angles_deg(
    humerus: np.ndarray, axes: tuple[np.ndarray, np.ndarray, np.ndarray], side: str
) -> dict[str, np.ndarray]:
    """Flexion, abduction and elevation of a humerus vector ``(..., 3)`` in a trunk frame.

    See :func:`shoulder_angles_deg` for the definitions; ``axes`` from :func:`trunk_axes`.
    """
    up, right, anterior = axes
    lateral = right if _validate.side(side) == "right" else -right
    down = -np.sum(humerus * up, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_el = np.clip(down / np.linalg.norm(humerus, axis=-1), -1.0, 1.0)
    return {
        "flexion_deg": np.degrees(np.arctan2(np.sum(humerus * anterior, axis=-1), down)),
        "abduction_deg": np.degrees(np.arctan2(np.sum(humerus * lateral, axis=-1), down)),
        "elevation_deg": np.degrees(np.arccos(cos_el)),
    }


def shoulder_angles_deg(xyz: np.ndarray, side: str) -> dict[str, np.ndarray]:
    """Shoulder flexion, abduction and elevation of one arm, in the trunk frame (§4.2).

    The humerus vector h = elbow - shoulder is compared with the trunk's shoulder->hip axis
    (-up), the drinking-task definition (§1.2, Alt Murphy):

    - ``flexion_deg``   = atan2(h . anterior, -h . up): projection on the sagittal plane;
      positive forwards, negative for extension;
    - ``abduction_deg`` = atan2(h . lateral, -h . up): projection on the frontal plane, with
      lateral = right for the right arm and left for the left arm;
    - ``elevation_deg`` = arccos(-h . up / |h|): thoraco-humeral elevation (ISB-style), 0° at
      the side, 180° overhead; well-conditioned in every plane.

    Parameters
    ----------
    xyz : (..., 33, 3) float
        Landmark coordinates (world, metres).
    side : {"left", "right"}
        The patient's arm.

    Returns
    -------
    dict of (...) float64 arrays in degrees
    """
    p = _xyz(xyz, "xyz")
    s_idx, e_idx, _ = shoulder_elbow_wrist(_validate.side(side))  # type: ignore[arg-type]
    return humerus_angles_deg(p[..., e_idx, :] - p[..., s_idx, :], trunk_frame(p), side)


def elbow_flexion_deg(xyz: np.ndarray, side: str) -> np.ndarray:
    """Elbow flexion = 180° - ∠(shoulder, elbow, wrist), degrees; 0° is a straight arm (§4.2).

    Parameters
    ----------
    xyz : (..., 33, 3) float
    side : {"left", "right"}

    Returns
    -------
    (...) float64
    """
    p = _xyz(xyz, "xyz")
    s, e, w = shoulder_elbow_wrist(_validate.side(side))  # type: ignore[arg-type]
    return 180.0 - included_angle_deg(p[..., s, :], p[..., e, :], p[..., w, :])


def trunk_lean_deg(xyz: np.ndarray) -> dict[str, np.ndarray]:
    """Trunk lean from vertical: total, forward and lateral components, in degrees.

    The trunk axis is mid-hip -> mid-shoulder; vertical is world "up" (-y), which assumes a
    level camera ([M] §3 "trunk flexion angle"). ``forward_deg`` > 0 leans towards the camera,
    ``left_deg`` > 0 leans to the patient's left.

    Parameters
    ----------
    xyz : (..., 33, 3) float
        World landmarks.

    Returns
    -------
    dict of (...) float64: ``total_deg``, ``forward_deg``, ``left_deg``
    """
    p = _xyz(xyz, "xyz")
    t = 0.5 * (p[..., L_SHOULDER, :] + p[..., R_SHOULDER, :])
    t = t - 0.5 * (p[..., L_HIP, :] + p[..., R_HIP, :])
    up = -t[..., 1]
    horizontal = np.hypot(t[..., 0], t[..., 2])
    return {
        "total_deg": np.degrees(np.arctan2(horizontal, up)),
        "forward_deg": np.degrees(np.arctan2(-t[..., 2], up)),
        "left_deg": np.degrees(np.arctan2(t[..., 0], up)),
    }


def hand_point(xyz: np.ndarray, side: str) -> np.ndarray:
    """Centroid of wrist, index and pinky of one hand, ``(..., D)``; NaN if any is missing."""
    p = _xyz(xyz, "xyz", (2, 3))
    return p[..., list(HAND_POINTS[_validate.side(side)]), :].mean(axis=-2)


def mid_shoulder(xyz: np.ndarray) -> np.ndarray:
    """Mid-point of the two shoulders, ``(..., D)``: the trunk point (no sternum landmark, §3)."""
    p = _xyz(xyz, "xyz", (2, 3))
    return 0.5 * (p[..., L_SHOULDER, :] + p[..., R_SHOULDER, :])


def shoulder_width(xyz: np.ndarray) -> np.ndarray:
    """Distance between the shoulders, ``(...)``, in the units of ``xyz`` (2-D or 3-D)."""
    p = _xyz(xyz, "xyz", (2, 3))
    return np.linalg.norm(p[..., L_SHOULDER, :] - p[..., R_SHOULDER, :], axis=-1)
