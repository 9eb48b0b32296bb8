"""The digital mirror box: reflect one arm (and, for lower-limb mirror therapy, one leg)
across the body's midline.

``mirror_pose`` returns a copy of a pose whose affected-side arm and hand landmarks (and with
``parts`` including ``"leg"``, knee, ankle, heel and foot) are the reflections of the
unaffected side's counterparts. Everything else is unchanged. It works on any leading batch
axes, ``(..., 33, 4)``. The hips stay: they define the midline the legs are reflected across.

Image landmarks are reflected in *pixels* (so a tilted patient in a 16:9 frame is mirrored by
a true geometric reflection) across the body midline: the line through mid-shoulder and
mid-hip when both hips are visible, otherwise the perpendicular bisector of the shoulders.
World landmarks are reflected across the body's sagittal plane: the plane through the
mid-hip–mid-shoulder line whose normal is the shoulder-to-shoulder direction made
perpendicular to that line (docs/sources.md §5 item 6: "reflect the unaffected limb
across the trunk mid-sagittal plane").
"""

from __future__ import annotations

import numpy as np

from game.tracking.pose import (
    L_ANKLE,
    L_FOOT,
    L_HEEL,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    LEFT_ARM,
    R_ANKLE,
    R_FOOT,
    R_HEEL,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    RIGHT_ARM,
    VISIBLE,
    Side,
)

_EPS = 1e-9
LEFT_LEG = (L_KNEE, L_ANKLE, L_HEEL, L_FOOT)
RIGHT_LEG = (R_KNEE, R_ANKLE, R_HEEL, R_FOOT)
PARTS = ("arm", "leg")
"""Limbs the mirror can reflect: the arm with its hand, the leg below the hip with its foot."""


def _check(landmarks: np.ndarray, affected_side: str) -> np.ndarray:
    arr = np.asarray(landmarks)
    if arr.ndim < 2 or arr.shape[-2:] != (33, 4):
        raise ValueError(f"landmarks must have shape (..., 33, 4), got {arr.shape}")
    if affected_side not in ("left", "right"):
        raise ValueError(f"affected_side must be 'left' or 'right', got {affected_side!r}")
    return arr


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n > _EPS, n, np.nan)


def _arm_pairs(affected_side: Side, parts: tuple[str, ...] = ("arm",)) -> tuple[list[int], list[int]]:
    """(destination indices, source indices): affected limbs ← unaffected limbs."""
    bad = [p for p in parts if p not in PARTS]
    if bad:
        raise ValueError(f"parts must be within {PARTS}, got {parts}")
    left = [i for part, idx in (("arm", LEFT_ARM), ("leg", LEFT_LEG)) if part in parts for i in idx]
    right = [i for part, idx in (("arm", RIGHT_ARM), ("leg", RIGHT_LEG)) if part in parts for i in idx]
    return (left, right) if affected_side == "left" else (right, left)


def body_midline_px(image_px: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Point on, and unit normal of, the body midline in pixel coordinates.

    Parameters
    ----------
    image_px : (..., 33, 4) float
        Image landmarks with x and y already in pixels; column 3 is visibility.

    Returns
    -------
    point : (..., 2) float
        Mid-shoulder point (on the midline in both cases).
    normal : (..., 2) float
        Unit normal of the midline. With both hips visible (visibility >= 0.5) the midline
        runs through mid-shoulder and mid-hip; otherwise it is the perpendicular bisector of
        the shoulders, whose normal is the shoulder-to-shoulder direction.
    """
    xy = image_px[..., :2]
    mid_sh = 0.5 * (xy[..., L_SHOULDER, :] + xy[..., R_SHOULDER, :])
    mid_hip = 0.5 * (xy[..., L_HIP, :] + xy[..., R_HIP, :])
    along = _unit(mid_sh - mid_hip)
    hip_normal = np.stack([-along[..., 1], along[..., 0]], axis=-1)
    shoulder_normal = _unit(xy[..., L_SHOULDER, :] - xy[..., R_SHOULDER, :])
    hips_ok = (image_px[..., L_HIP, 3] >= VISIBLE) & (image_px[..., R_HIP, 3] >= VISIBLE)
    hips_ok &= np.all(np.isfinite(hip_normal), axis=-1)
    normal = np.where(hips_ok[..., None], hip_normal, shoulder_normal)
    return mid_sh, normal


def _world_plane(world: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Point on, and unit normal of, the sagittal plane in world coordinates."""
    xyz = world[..., :3]
    mid_sh = 0.5 * (xyz[..., L_SHOULDER, :] + xyz[..., R_SHOULDER, :])
    mid_hip = 0.5 * (xyz[..., L_HIP, :] + xyz[..., R_HIP, :])
    axis = _unit(mid_sh - mid_hip)
    across = xyz[..., L_SHOULDER, :] - xyz[..., R_SHOULDER, :]
    # Gram–Schmidt: the shoulder line made perpendicular to the trunk axis.
    across = across - np.sum(across * axis, axis=-1, keepdims=True) * axis
    return mid_sh, _unit(across)


def _reflect(points: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Reflect ``points`` (..., K, D) across the hyperplane (point (..., D), normal (..., D))."""
    rel = points - point[..., None, :]
    dist = np.sum(rel * normal[..., None, :], axis=-1, keepdims=True)
    return points - 2.0 * dist * normal[..., None, :]


def mirror_pose(
    landmarks: np.ndarray,
    affected_side: Side,
    frame_size: tuple[int, int] | None = None,
    parts: tuple[str, ...] = ("arm",),
) -> np.ndarray:
    """Return a copy whose affected arm (and leg) is the reflection of the unaffected one.

    Parameters
    ----------
    landmarks : (..., 33, 4) float
        Image landmarks (x, y normalised, z, visibility) when ``frame_size`` is given,
        otherwise world landmarks in metres.
    affected_side : {"left", "right"}
        The patient's anatomical affected side; its arm and hand landmarks (MediaPipe indices
        among 11–22) are replaced.
    frame_size : (width_px, height_px), optional
        Size of the raw frame the image landmarks are normalised to. The reflection is done
        in pixels so that it is a true geometric reflection whatever the aspect ratio.
    parts : tuple of {"arm", "leg"}
        The limbs reflected (default the arm; the leg mirror level adds "leg").

    Returns
    -------
    (..., 33, 4) float
        A new array; the input is not modified. z and visibility of the reflected landmarks
        are copied from their unaffected counterparts (image z is relative depth, which the
        sagittal reflection leaves unchanged).
    """
    arr = _check(landmarks, affected_side)
    out = np.array(arr, dtype=np.float64 if arr.dtype != np.float32 else np.float32, copy=True)
    dst, src = _arm_pairs(affected_side, parts)
    if frame_size is not None:
        w_px, h_px = frame_size
        if w_px <= 0 or h_px <= 0:
            raise ValueError(f"frame_size must be positive (width_px, height_px), got {frame_size}")
        scale = np.array([w_px, h_px], dtype=np.float64)
        px = arr.astype(np.float64, copy=True)
        px[..., :2] *= scale
        point, normal = body_midline_px(px)
        reflected = _reflect(px[..., src, :2], point, normal) / scale
        out[..., dst, :2] = reflected
        out[..., dst, 2:] = arr[..., src, 2:]
    else:
        world = arr.astype(np.float64)
        point, normal = _world_plane(world)
        out[..., dst, :3] = _reflect(world[..., src, :3], point, normal)
        out[..., dst, 3] = arr[..., src, 3]
    return out


def blend_arm(own: np.ndarray, mirrored: np.ndarray, affected_side: Side, gain: float) -> np.ndarray:
    """Shared control: the displayed affected arm as a blend of mirror and own arm.

    Parameters
    ----------
    own : (..., 33, 4) float
        The patient's tracked (unmirrored) landmarks.
    mirrored : (..., 33, 4) float
        ``mirror_pose(own, affected_side, ...)``.
    affected_side : {"left", "right"}
    gain : float in [0, 1]
        0 shows the pure mirror, 1 the patient's own affected arm (Augenstein et al. 2022's
        "shared control" for patients regaining movement). Where the own arm is not tracked
        the mirror is shown.

    Returns
    -------
    (..., 33, 4) float
        ``mirrored`` with its affected-arm rows replaced by the blend.
    """
    if not 0.0 <= gain <= 1.0:
        raise ValueError(f"gain must be within 0..1, got {gain}")
    _check(own, affected_side)
    dst, _ = _arm_pairs(affected_side)
    out = np.array(mirrored, copy=True)
    a = own[..., dst, :3]
    b = mirrored[..., dst, :3]
    tracked = np.all(np.isfinite(a), axis=-1, keepdims=True) & (own[..., dst, 3:4] >= VISIBLE)
    out[..., dst, :3] = np.where(tracked, gain * a + (1.0 - gain) * b, b)
    return out


def display_pose(
    image: np.ndarray,
    affected_side: Side,
    frame_size: tuple[int, int],
    gain: float = 0.0,
    parts: tuple[str, ...] = ("arm",),
) -> np.ndarray:
    """The image pose the patient sees: mirrored (gain 0) or shared-control blend (the arm)."""
    mirrored = mirror_pose(image, affected_side, frame_size, parts)
    if gain <= 0.0:
        return mirrored
    return blend_arm(np.asarray(image), mirrored, affected_side, gain)


def reflect_point_norm(xy_norm: np.ndarray, image: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    """Reflect a raw-image point (2,) across the body midline of one pose (33, 4), in pixels.

    Used to turn a target shown on the affected side into the place the unaffected arm must
    reach for the mirror to touch it.
    """
    scale = np.array(frame_size, dtype=np.float64)
    px = np.asarray(image, dtype=np.float64).copy()
    px[..., :2] *= scale
    point, normal = body_midline_px(px)
    p = np.asarray(xy_norm, dtype=np.float64) * scale
    out = _reflect(p[None, :], point, normal)[0]
    return out / scale
