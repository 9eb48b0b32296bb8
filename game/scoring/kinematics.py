"""Joint angles in the trunk frame, the hand point, arm length and trunk lean (§4.2).

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

from game.scoring import _validate, vec
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
"""Landmarks averaged into :func:`hand_point`: the centroid of wrist, index and pinky (§3)."""


def _xyz(points: np.ndarray, name: str, dims: tuple[int, ...] = (3,)) -> np.ndarray:
    arr = _validate.as_float_array(points, name, min_ndim=2)
    if arr.shape[-2] != 33 or arr.shape[-1] not in dims:
        want = " or ".join(f"(..., 33, {d})" for d in dims)
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    return arr


def _unit(v: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / vec.norm(v)[..., None]


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
    return np.degrees(np.arctan2(vec.cross_norm(u, v), vec.dot(u, v)))


def trunk_axes(
    l_shoulder: np.ndarray, r_shoulder: np.ndarray, l_hip: np.ndarray, r_hip: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axes (up, right, anterior) of the trunk frame from four ``(..., 3)`` points."""
    up = _unit(0.5 * (l_shoulder + r_shoulder) - 0.5 * (l_hip + r_hip))
    m = r_shoulder - l_shoulder
    right = _unit(m - vec.dot(m, up)[..., None] * up)
    return up, right, vec.cross(up, right)


def trunk_frame(xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axes (up, right, anterior) of the trunk frame, each ``(..., 3)`` (module doc)."""
    p = _xyz(xyz, "xyz")
    return trunk_axes(p[..., L_SHOULDER, :], p[..., R_SHOULDER, :], p[..., L_HIP, :], p[..., R_HIP, :])


PLANE_MIN_ELEVATION_DEG = 20.0
"""Below this elevation the plane of elevation is undefined (the globe's pole: gimbal lock of
the ISB Y-X-Y sequence) and reported as NaN; 20 deg keeps the humerus's horizontal part above
about 10 cm for a 30 cm upper arm, where 5 mm of landmark noise moves the plane by < 3 deg."""
CARDINAL_PLANE_TOL_DEG = 30.0
"""Flexion (extension) is reported where the plane of elevation is within this many degrees
of 90 deg (-90 deg), abduction within this many degrees of 0 deg; elsewhere they are NaN."""


def _where_plane(plane_deg: np.ndarray, centre_deg: float, value: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        near = np.abs(plane_deg - centre_deg) <= CARDINAL_PLANE_TOL_DEG
    return np.where(near, value, np.nan)


def humerus_angles_deg(
    humerus: np.ndarray, axes: tuple[np.ndarray, np.ndarray, np.ndarray], side: str
) -> dict[str, np.ndarray]:
    """ISB globe angles of a humerus vector ``(..., 3)`` in a trunk frame.

    See :func:`shoulder_angles_deg` for the definitions; ``axes`` from :func:`trunk_axes`.
    """
    up, right, anterior = axes
    lateral = right if _validate.side(side) == "right" else -right
    fwd = vec.dot(humerus, anterior)
    out = vec.dot(humerus, lateral)
    down = -vec.dot(humerus, up)
    elevation = np.degrees(np.arctan2(np.hypot(fwd, out), down))
    with np.errstate(invalid="ignore"):
        low = elevation < PLANE_MIN_ELEVATION_DEG
    plane = np.where(low, np.nan, np.degrees(np.arctan2(fwd, out)))
    # Near the pole the sagittal and frontal projections are well-conditioned (down ~ |h|).
    flexion = np.where(low, np.degrees(np.arctan2(fwd, down)), np.nan)
    flexion = np.where(np.isnan(flexion), _where_plane(plane, 90.0, elevation), flexion)
    flexion = np.where(np.isnan(flexion), _where_plane(plane, -90.0, -elevation), flexion)
    abduction = np.where(low, np.degrees(np.arctan2(out, down)), _where_plane(plane, 0.0, elevation))
    return {
        "elevation_deg": elevation,
        "plane_of_elevation_deg": plane,
        "flexion_deg": flexion,
        "abduction_deg": abduction,
    }


def shoulder_angles_deg(xyz: np.ndarray, side: str) -> dict[str, np.ndarray]:
    """Shoulder angles of one arm on the ISB globe (Wu et al. 2005), in the trunk frame.

    The humerus vector h = elbow - shoulder is expressed in the trunk frame (module doc) with
    components forward = h . anterior, out = h . lateral (lateral = right for the right arm,
    left for the left arm, so both arms share one sign convention) and down = -h . up:

    - ``elevation_deg`` = atan2(sqrt(forward² + out²), down): thoraco-humeral elevation,
      0 deg with the arm at the side, 90 deg horizontal, 180 deg overhead, in any plane; the
      scored quantity (it cannot flip);
    - ``plane_of_elevation_deg`` = atan2(forward, out): 0 deg in the abduction (frontal)
      plane, 90 deg in the flexion (sagittal) plane, -90 deg backwards (extension), > 90 deg
      across the body; NaN below ``PLANE_MIN_ELEVATION_DEG`` (undefined at the pole);
    - ``flexion_deg``: the elevation where the plane is within ``CARDINAL_PLANE_TOL_DEG`` of
      90 deg, minus the elevation within that tolerance of -90 deg (extension); below
      ``PLANE_MIN_ELEVATION_DEG`` the sagittal projection atan2(forward, down); NaN in every
      other plane, where "flexion" has no clinical meaning;
    - ``abduction_deg``: the elevation where the plane is within the tolerance of 0 deg;
      below ``PLANE_MIN_ELEVATION_DEG`` the frontal projection atan2(out, down); NaN elsewhere.

    These are the globe coordinates of the humerus long axis: the first two angles of the
    ISB Y-X-Y decomposition (plane of elevation, elevation; axial rotation needs the
    epicondyles, which the pose model does not give). Unlike the projections of the
    drinking-task definition (docs/sources.md §1.2), they do not jump to ±180 deg when
    the arm is raised in the other plane.

    Parameters
    ----------
    xyz : (..., 33, 3) float
        Landmark coordinates (world, metres).
    side : {"left", "right"}
        The patient's arm.

    Returns
    -------
    dict of (...) float64 arrays in degrees: ``elevation_deg``, ``plane_of_elevation_deg``,
    ``flexion_deg``, ``abduction_deg``.
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
    """THE hand point of MirrorPlay: centroid of wrist, index and pinky, ``(..., D)``.

    One definition for every consumer (scoring, calibrated arm length, targets, cursor, the
    simulated patient's aim), so a hit means the same thing everywhere: with three different
    hand points in use, 5-6.5 cm of end-point error came from the definitions alone. The
    centroid approximates the centre of the palm, where a person feels "my hand" is; the
    wrist alone is steadier but 5-6 cm short of it (docs/sources.md §3 allows either).

    Parameters
    ----------
    xyz : (..., 33, D) float, D = 2 (image x, y) or 3 (world)

    Returns
    -------
    (..., D) float64; NaN if any of the three landmarks is missing.
    """
    p = _xyz(xyz, "xyz", (2, 3))
    return p[..., list(HAND_POINTS[_validate.side(side)]), :].mean(axis=-2)


def arm_length_m(xyz: np.ndarray, side: str) -> np.ndarray:
    """Arm length to the hand point: |shoulder-elbow| + |elbow-wrist| + |wrist-hand point|.

    The denominator of every reach normalised "by the calibrated arm length" must end at the
    same point as the numerator (:func:`hand_point`); a shoulder-to-wrist length under a
    shoulder-to-hand numerator reads about 10 % too much reach.

    Parameters
    ----------
    xyz : (..., 33, D) float, D = 3 (world, metres, e.g. the calibration's still frames) or
        D = 2 (a picture, in its own units, e.g. pixels)

    Returns
    -------
    (...) float64, in the units of ``xyz``; NaN if a landmark is missing. Take the median over
    frames.
    """
    p = _xyz(xyz, "xyz", (2, 3))
    s, e, w = shoulder_elbow_wrist(_validate.side(side))  # type: ignore[arg-type]
    hand = hand_point(p, side)
    return (
        np.linalg.norm(p[..., e, :] - p[..., s, :], axis=-1)
        + np.linalg.norm(p[..., w, :] - p[..., e, :], axis=-1)
        + np.linalg.norm(hand - p[..., w, :], axis=-1)
    )


def mid_shoulder(xyz: np.ndarray) -> np.ndarray:
    """Mid-point of the two shoulders, ``(..., D)``: the trunk point (no sternum landmark, §3)."""
    p = _xyz(xyz, "xyz", (2, 3))
    return 0.5 * (p[..., L_SHOULDER, :] + p[..., R_SHOULDER, :])


def shoulder_width(xyz: np.ndarray) -> np.ndarray:
    """Distance between the shoulders, ``(...)``, in the units of ``xyz`` (2-D or 3-D)."""
    p = _xyz(xyz, "xyz", (2, 3))
    return np.linalg.norm(p[..., L_SHOULDER, :] - p[..., R_SHOULDER, :], axis=-1)
