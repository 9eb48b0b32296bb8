"""The hand mirror (pure numpy): the good hand reflected onto the affected hand's place, and
shared control of the fingers.

Hand landmarks are MediaPipe's ``(21, 4)`` image landmarks (x, y normalised to the raw frame,
z relative depth in the scale of x, the hand's score last; game/tracking/pose.py), always on
the person's own sides. The reflection is done in pixels (a true geometric reflection whatever
the frame's aspect ratio) across the **mirror line**:

- the body midline (game.mirror.transform.body_midline_px: mid-shoulder to mid-hip, or the
  shoulders' perpendicular bisector) whenever both shoulders are visible, exactly the line the
  arm mirror uses, so hand and arm reflections agree;
- otherwise (a camera looking at the hands on a table, the shoulders out of the picture) the
  perpendicular bisector of the two hands' wrists, when both hands were found.

z is unchanged by a reflection across a line of the picture plane; the reflected good hand is
geometrically the other hand (a right hand's reflection is a left hand), so it can stand in
for the affected one. Shared control (:func:`blend_hand`) shows the reflected hand's palm with
finger bones turned part of the way towards the patient's own affected hand's (``gain``): the
finger flexion shown is the blend of the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from game.mirror.transform import body_midline_px
from game.tracking.hands import FINGERS, INDEX_MCP, MIDDLE_MCP, PINKY_MCP, WRIST, hand_size_px
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, PoseFrame, Side, found, other_side

PARENT = np.array([0, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19])
"""Each hand landmark's parent in the hand's skeleton (the wrist is its own)."""
CHILDREN_IN_ORDER = tuple(i for f in FINGERS.values() for i in f)
"""Landmarks in an order where every parent comes before its children (wrist excluded)."""


def _check_hand(hand: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(hand, dtype=np.float64)
    if arr.ndim < 2 or arr.shape[-2:] != (21, 4):
        raise ValueError(f"{name} must have shape (..., 21, 4), got {arr.shape}")
    return arr


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.where(n > 1e-12, n, np.nan)


def reflect_hand(
    hand: np.ndarray, point_px: np.ndarray, normal: np.ndarray, frame_size: tuple[int, int]
) -> np.ndarray:
    """Reflect hand image landmarks across a line of the picture, in pixels.

    Parameters
    ----------
    hand : (..., 21, 4) float
        Image landmarks (normalised x, y; z; score).
    point_px, normal : (..., 2) float
        A point on the line (pixels) and the line's unit normal.
    frame_size : (width_px, height_px)

    Returns
    -------
    (..., 21, 4) float64, a new array: x, y reflected, z and score unchanged.
    """
    arr = _check_hand(hand, "hand")
    scale = np.asarray(frame_size, dtype=np.float64)
    px = arr[..., :2] * scale
    n = np.asarray(normal, dtype=np.float64)[..., None, :]
    dist = np.sum((px - np.asarray(point_px, dtype=np.float64)[..., None, :]) * n, axis=-1, keepdims=True)
    out = arr.copy()
    out[..., :2] = (px - 2.0 * dist * n) / scale
    return out


@dataclass(frozen=True)
class MirrorLine:
    """The hand mirror's line in pixels: a point on it, its unit normal pointing into the
    affected side, and the size that sets the seam's width (the shoulder width when the line
    is the body midline, the hands' size when it is their wrists' bisector)."""

    point_px: np.ndarray
    normal: np.ndarray
    size_px: float
    from_body: bool


def mirror_line_px(
    pose_image: np.ndarray | None,
    hands: Mapping[str, np.ndarray | None],
    affected_side: Side,
    frame_size: tuple[int, int],
) -> MirrorLine | None:
    """The hand mirror's line (module doc), or None when neither the shoulders nor both
    hands are in view.

    Parameters
    ----------
    pose_image : (33, 4) float or None
        The body's image landmarks of the frame.
    hands : {"left": (21, 4) or None, "right": ...}
        The person's own hands (None or MISSING_HAND when not found).
    affected_side : {"left", "right"}
    frame_size : (width_px, height_px)
    """
    scale = np.asarray(frame_size, dtype=np.float64)
    if pose_image is not None:
        lm = np.asarray(pose_image, dtype=np.float64)
        if np.all(lm[[L_SHOULDER, R_SHOULDER], 3] >= VISIBLE):
            px = lm[:, :2] * scale
            point, normal = body_midline_px(np.concatenate([px, lm[:, 2:]], axis=-1))
            shoulder = px[L_SHOULDER if affected_side == "left" else R_SHOULDER]
            if np.all(np.isfinite(point)) and np.all(np.isfinite(normal)):
                sign = 1.0 if float(normal @ (shoulder - point)) >= 0 else -1.0
                width = float(np.linalg.norm(px[L_SHOULDER] - px[R_SHOULDER]))
                return MirrorLine(point, sign * normal, width, True)
    aff, good = hands.get(affected_side), hands.get(other_side(affected_side))
    if not (found(aff) and found(good)):
        return None
    assert aff is not None and good is not None
    a, b = aff[WRIST, :2] * scale, good[WRIST, :2] * scale
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))) or np.allclose(a, b):
        return None
    size = 0.5 * (hand_size_px(aff, frame_size) + hand_size_px(good, frame_size))
    return MirrorLine(0.5 * (a + b), (a - b) / np.linalg.norm(a - b), size, False)


def mirrored_hand(frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int]) -> np.ndarray | None:
    """The good hand reflected onto the affected side ``(21, 4)``, or None when the good hand
    was not found or there is no mirror line."""
    good = frame.hand(other_side(affected_side))
    if not found(good):
        return None
    assert good is not None
    line = mirror_line_px(frame.image, hands_of(frame), affected_side, frame_size)
    if line is None:
        return None
    return reflect_hand(good, line.point_px, line.normal, frame_size)


def hands_of(frame: PoseFrame) -> dict[str, np.ndarray | None]:
    """A frame's hands by the person's own side (None when hands were not tracked)."""
    return {"left": frame.left_hand, "right": frame.right_hand}


def palm_frame(hand_px: np.ndarray) -> np.ndarray:
    """Orthonormal palm axes ``(..., 3, 3)`` (rows: along the palm, across it, its normal)
    of hand landmarks in isotropic units ``(..., 21, 3)``."""
    along = _unit(hand_px[..., MIDDLE_MCP, :] - hand_px[..., WRIST, :])
    across = hand_px[..., INDEX_MCP, :] - hand_px[..., PINKY_MCP, :]
    across = _unit(across - np.sum(across * along, axis=-1, keepdims=True) * along)
    return np.stack([along, across, np.cross(along, across)], axis=-2)


def _slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Spherical interpolation between unit vectors ``(..., 3)`` (linear when nearly equal)."""
    dot = np.clip(np.sum(a * b, axis=-1, keepdims=True), -1.0, 1.0)
    omega = np.arccos(dot)
    small = omega < 1e-6
    s = np.sin(np.where(small, 1.0, omega))
    wa = np.where(small, 1.0 - t, np.sin((1.0 - t) * omega) / s)
    wb = np.where(small, t, np.sin(t * omega) / s)
    return _unit(wa * a + wb * b)


def _to_px3(hand: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    """x, y in pixels and z in the same scale (z is in the scale of x: × width)."""
    w, h = frame_size
    return hand[..., :3] * np.array([w, h, w], dtype=np.float64)


def _rotation_vectors(local: np.ndarray) -> np.ndarray:
    """Each bone's turn from its parent bone as a rotation vector (unit axis x angle in
    radians), ``(21, 3)`` in palm-frame coordinates; zero for the bones leaving the wrist
    (they are placed by their palm-frame direction) and for straight joints."""
    parent = local[PARENT]
    cross = np.cross(parent, local)
    sin = np.linalg.norm(cross, axis=-1)
    angle = np.arctan2(sin, np.sum(parent * local, axis=-1))
    out = cross * (angle / np.where(sin > 1e-12, sin, np.inf))[:, None]
    out[PARENT == WRIST] = 0.0
    return np.nan_to_num(out)


def _rotate(v: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues' rotation of ``v`` (3,) about the unit ``axis`` by ``angle`` radians."""
    c, s = np.cos(angle), np.sin(angle)
    return v * c + np.cross(axis, v) * s + axis * float(axis @ v) * (1.0 - c)


def blend_hand(own: np.ndarray, mirrored: np.ndarray, gain: float, frame_size: tuple[int, int]) -> np.ndarray:
    """Shared control of the fingers: the mirrored hand's palm with every finger joint bent
    ``gain`` of the way from the mirrored hand's angle to the own affected hand's.

    Parameters
    ----------
    own, mirrored : (21, 4) float
        The patient's own affected hand and the good hand's reflection (image landmarks).
    gain : float in [0, 1]
        0 shows the mirror, 1 the own hand's finger angles (on the mirrored hand's palm).

    Returns
    -------
    (21, 4) float64 with the mirrored hand's bone lengths. The bones leaving the wrist keep a
    direction interpolated (spherically) between the two hands' palm frames; every other bone
    turns from its parent bone by the blend of the two hands' turns (rotation vectors in the
    palm frame interpolated linearly), so the flexion shown at each joint
    is (1 - gain) x mirrored + gain x own when the two hands bend about the same axes. The
    wrist moves ``gain`` of the way to the own wrist. An own hand with missing landmarks is
    not blended.
    """
    if not 0.0 <= gain <= 1.0:
        raise ValueError(f"gain must be within 0..1, got {gain}")
    own_px = _to_px3(_check_hand(own, "own"), frame_size)
    mir_px = _to_px3(_check_hand(mirrored, "mirrored"), frame_size)
    if not np.all(np.isfinite(own_px)):
        return np.array(mirrored, dtype=np.float64)
    r_own, r_mir = palm_frame(own_px), palm_frame(mir_px)
    local_own = _unit((own_px - own_px[PARENT]) @ r_own.T)
    local_mir = _unit((mir_px - mir_px[PARENT]) @ r_mir.T)
    length = np.linalg.norm(mir_px - mir_px[PARENT], axis=-1)
    # each joint's turn as a rotation vector (axis x angle, palm frame), blended linearly:
    # two turns about the same axis blend their angles exactly, a straight joint adds nothing
    turn = (1.0 - gain) * _rotation_vectors(local_mir) + gain * _rotation_vectors(local_own)
    angle = np.linalg.norm(turn, axis=-1)
    axis = turn / np.where(angle > 1e-12, angle, 1.0)[:, None]
    palm_dirs = _slerp(local_mir, local_own, gain)
    direction = np.zeros_like(local_mir)
    out_px = np.empty_like(mir_px)
    out_px[WRIST] = mir_px[WRIST] + gain * (own_px[WRIST] - mir_px[WRIST])
    for i in CHILDREN_IN_ORDER:
        if PARENT[i] == WRIST:
            direction[i] = palm_dirs[i]
        else:
            direction[i] = _rotate(direction[PARENT[i]], axis[i], float(angle[i]))
        out_px[i] = out_px[PARENT[i]] + length[i] * (direction[i] @ r_mir)
    out = np.array(mirrored, dtype=np.float64)
    w, h = frame_size
    out[:, :3] = out_px / np.array([w, h, w], dtype=np.float64)
    return out


def displayed_hand(
    frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int], gain: float = 0.0
) -> np.ndarray | None:
    """The hand shown on the affected side: the good hand's reflection (gain 0), the shared-
    control blend with the own affected hand (0 < gain), or None when there is no mirrored hand.
    At gain 1 with the own hand found it is the own hand itself."""
    mirrored = mirrored_hand(frame, affected_side, frame_size)
    own = frame.hand(affected_side)
    if gain >= 1.0 and found(own):
        assert own is not None
        return np.array(own, dtype=np.float64)
    if mirrored is None or gain <= 0.0 or not found(own):
        return mirrored
    assert own is not None
    return blend_hand(own, mirrored, gain, frame_size)
