"""The half-face mirror: the healthy half of the face reflected onto the weak half across the
face's own midline, in the camera picture and in the landmarks (mirror therapy for a facial
palsy: the patient watches a symmetric face move while practising an expression).

Left/right are the person's own sides (game/tracking/face.py); pictures and landmarks stay in
raw camera coordinates here, the renderer flips them for display.

- **The midline** (:func:`face_midline_px`) is the straight line fitted to Face Mesh's 28
  midline landmarks (forehead, nose bridge, nose, philtrum, lips, chin; game/tracking/
  face_mesh.py) by total least squares, started on the rigid upper face (forehead to the
  nose's back) and re-weighted (Tukey's biweight, 4 rounds) so that points an expression pulls
  off the line (the lips and chin of a palsied or deviating mouth, the nose tip of a turned
  head) do not tilt it. It follows the head's tilt (roll) exactly.
- **The reflection** across that line is one affine involution
  (:func:`game.mirror.picture.reflection_matrix`); the picture is warped with it inside the
  face's region only (the face oval and its reflection, grown by :data:`MARGIN_ICD` inner eye
  corner distances), so the cost is that of a face-sized patch, not of the frame.
- **The seam** lies wholly on the weak side: the weight of the reflected picture rises from 0
  on the midline to 1 at :data:`SEAM_ICD` inner-eye-corner distances into the weak half (on the
  midline the reflection equals the picture, so there is no step), and falls off over
  :data:`EDGE_ICD` at the region's outer edge. Every pixel of the healthy half is left untouched.
- **A turned head** is not mirror-symmetric in the picture: the reflection fades out between
  :data:`YAW_FULL_DEG` and :data:`YAW_OFF_DEG` of turn (game.scoring.face.head_yaw_deg), and
  :attr:`HalfFace.turned` tells the screen to ask the patient to face the camera.
- **The landmarks** can be mirrored the same way (:func:`mirror_face_landmarks`): each weak-side
  landmark replaced by the reflection of its partner, the midline ones put on the line (the
  avatar face is drawn from these).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from game.mirror.picture import reflection_matrix
from game.scoring.face import UPPER_MIDLINE, head_yaw_deg
from game.tracking.face import LEFT_EYE_INNER, LEFT_EYE_OUTER, RIGHT_EYE_INNER
from game.tracking.face_mesh import FACE_OVAL, MIDLINE, NEUTRAL_MM, PARTNER
from game.tracking.pose import N_FACE_LANDMARKS, Side

YAW_FULL_DEG = 15.0
"""Up to this head turn the reflection is shown in full."""
YAW_OFF_DEG = 25.0
"""From this head turn on no reflection is shown (the two halves look too different)."""
SEAM_ICD = 0.3
"""Width of the feathered seam, in inner-eye-corner distances (about 10 mm on a face)."""
MARGIN_ICD = 0.15
"""How far the reflected region reaches beyond the face oval, in inner-eye-corner distances
(the cheek's edge and the jaw line are reflected too, little of the background)."""
EDGE_ICD = 0.3
"""Width of the soft outer edge of the reflected region, in inner-eye-corner distances (a
background that differs on the two sides then shows no hard outline)."""
TUKEY_C = 4.685
"""Tukey biweight tuning constant (95 % efficiency for Gaussian residuals)."""
MIN_SCALE_PX = 0.5
"""Smallest residual scale of the robust fit, pixels (a perfect line would divide by 0)."""

_SIDE_X = np.asarray(NEUTRAL_MM, dtype=np.float64)[:, 0]
LEFT_HALF = np.flatnonzero(_SIDE_X > 0)
"""Landmarks on the person's left half of the face."""
RIGHT_HALF = np.flatnonzero(_SIDE_X < 0)
"""Landmarks on the person's right half of the face."""
_PARTNER = np.asarray(PARTNER, dtype=np.int64)
_MIDLINE = np.asarray(MIDLINE, dtype=np.int64)
_OVAL = np.asarray(FACE_OVAL[0], dtype=np.int64)
_UPPER_START = np.isin(_MIDLINE, UPPER_MIDLINE).astype(np.float64)
"""The first round of the midline fit uses the upper face only (forehead to the nose's back:
rigid, where no expression pulls it aside); the rest joins where it agrees."""


@dataclass(frozen=True)
class Midline:
    """The face's midline in pixels: a point on it, its unit direction (forehead to chin) and
    its unit normal pointing into the person's left half."""

    point: np.ndarray
    direction: np.ndarray
    normal: np.ndarray

    def towards(self, side: Side) -> np.ndarray:
        """The unit normal pointing into the ``side`` half of the face."""
        return self.normal if side == "left" else -self.normal


@dataclass(frozen=True)
class HalfFace:
    """A composited picture and how it was made."""

    bgr: np.ndarray
    """(H, W, 3) uint8 raw picture (the input itself when nothing was reflected)."""
    midline: Midline | None
    weight: float
    """How much of the reflection is shown, 0..1 (fades with the head's turn)."""
    yaw_deg: float

    @property
    def turned(self) -> bool:
        """The head is turned too far for a full reflection: ask to face the camera."""
        return bool(np.isfinite(self.yaw_deg) and abs(self.yaw_deg) > YAW_FULL_DEG)


def fit_line(
    points: np.ndarray, rounds: int = 4, start: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Robust straight line through ``points`` ``(N, 2)``: (point, unit direction, weights (N,)).

    Total least squares (principal axis of the weighted points, in closed form), re-weighted
    ``rounds`` times with Tukey's biweight of the perpendicular residuals scaled by their
    median absolute deviation. ``start`` ``(N,)`` are the first round's weights (default all 1).
    """
    p = np.asarray(points, dtype=np.float64)
    w = np.ones(len(p)) if start is None else np.asarray(start, dtype=np.float64)
    centre, direction = p.mean(axis=0), np.array([0.0, 1.0])
    for _ in range(rounds + 1):
        centre = (w @ p) / w.sum()
        d = p - centre
        sxx, syy, sxy = w @ (d[:, 0] ** 2), w @ (d[:, 1] ** 2), w @ (d[:, 0] * d[:, 1])
        angle = 0.5 * np.arctan2(2.0 * sxy, sxx - syy)
        direction = np.array([np.cos(angle), np.sin(angle)])
        r = d @ np.array([-direction[1], direction[0]])
        scale = max(1.4826 * float(np.median(np.abs(r))), MIN_SCALE_PX)
        u = r / (TUKEY_C * scale)
        w = np.where(np.abs(u) < 1.0, (1.0 - u**2) ** 2, 0.0)
        if w.sum() < 3:
            break
    return centre, direction, w


def face_midline_px(face_px: np.ndarray) -> Midline | None:
    """The midline of one face's pixel landmarks ``(478, 2)``; None if they are not finite."""
    px = np.asarray(face_px, dtype=np.float64)
    if px.shape != (N_FACE_LANDMARKS, 2):
        raise ValueError(f"face_px must have shape ({N_FACE_LANDMARKS}, 2), got {px.shape}")
    mid = px[_MIDLINE]
    if not np.isfinite(mid).all() or not np.isfinite(px[[LEFT_EYE_OUTER, LEFT_EYE_INNER]]).all():
        return None
    point, direction, _ = fit_line(mid, start=_UPPER_START)
    if float(direction @ (px[_MIDLINE[-1]] - px[_MIDLINE[0]])) < 0:
        direction = -direction  # forehead -> chin
    normal = np.array([-direction[1], direction[0]])
    if float(normal @ (px[LEFT_EYE_OUTER] - point)) < 0:
        normal = -normal  # into the person's left half
    return Midline(point, direction, normal)


def reflect_px(points: np.ndarray, midline: Midline) -> np.ndarray:
    """``(..., 2)`` pixel points reflected across the midline."""
    p = np.asarray(points, dtype=np.float64)
    n = midline.normal
    return p - 2.0 * ((p - midline.point) @ n)[..., None] * n


def mirror_face_landmarks(face_px: np.ndarray, weak_side: Side, midline: Midline) -> np.ndarray:
    """``(478, 2)`` landmarks of the symmetric face the mirror shows: each landmark of the
    weak half is the reflection of its partner on the healthy half, the midline landmarks are
    moved onto the line, the healthy half is unchanged."""
    px = np.asarray(face_px, dtype=np.float64)
    out = px.copy()
    weak = LEFT_HALF if weak_side == "left" else RIGHT_HALF
    out[weak] = reflect_px(px[_PARTNER[weak]], midline)
    mid = px[_MIDLINE]
    out[_MIDLINE] = mid - ((mid - midline.point) @ midline.normal)[:, None] * midline.normal
    return out


def mirror_weight(yaw_deg: float) -> float:
    """1 up to :data:`YAW_FULL_DEG` of head turn, 0 from :data:`YAW_OFF_DEG`, linear between."""
    if not np.isfinite(yaw_deg):
        return 0.0
    return float(np.clip((YAW_OFF_DEG - abs(yaw_deg)) / (YAW_OFF_DEG - YAW_FULL_DEG), 0.0, 1.0))


def half_face_mirror(
    bgr: np.ndarray, face: np.ndarray, weak_side: Side, out: np.ndarray | None = None
) -> HalfFace:
    """The half-face mirror of one raw picture.

    Parameters
    ----------
    bgr : (H, W, 3) uint8
        Raw camera picture.
    face : (478, >=3) float
        Face Mesh landmarks of that picture (normalised x, y; z), NaN if not found.
    weak_side : {"left", "right"}
        The person's weak side, whose half is replaced.
    out : (H, W, 3) uint8, optional
        Where to write the picture (a buffer reused frame after frame); a new one by default.

    Returns
    -------
    HalfFace
        ``bgr`` itself (weight 0) when the face was not found or the head is turned past
        :data:`YAW_OFF_DEG`; otherwise the composited picture.
    """
    if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.dtype != np.uint8:
        raise ValueError(f"bgr must be (H, W, 3) uint8, got {bgr.shape} {bgr.dtype}")
    if weak_side not in ("left", "right"):
        raise ValueError(f"weak_side must be 'left' or 'right', got {weak_side!r}")
    h, w = bgr.shape[:2]
    lm = np.asarray(face, dtype=np.float64)
    px = lm[:, :2] * np.array([w, h], dtype=np.float64)
    midline = face_midline_px(px)
    if midline is None:
        return HalfFace(bgr, None, 0.0, float("nan"))
    yaw = float(head_yaw_deg(lm, (w, h)))
    weight = mirror_weight(yaw)
    if weight <= 0.0:
        return HalfFace(bgr, midline, 0.0, yaw)
    icd = max(float(np.linalg.norm(px[LEFT_EYE_INNER] - px[RIGHT_EYE_INNER])), 1.0)
    if out is None:
        out = bgr.copy()
    else:
        np.copyto(out, bgr)
    _composite(out, bgr, px, midline, weak_side, weight, icd)
    return HalfFace(out, midline, weight, yaw)


def face_region_px(face_px: np.ndarray, midline: Midline, icd_px: float) -> np.ndarray:
    """``(K, 2)`` convex polygon of the region the mirror may change: the face oval and its
    reflection, grown by :data:`MARGIN_ICD` inner-eye-corner distances."""
    oval = np.asarray(face_px, dtype=np.float64)[_OVAL]
    region = np.concatenate([oval, reflect_px(oval, midline)])
    centre = region.mean(axis=0)
    away = region - centre
    grown = (
        region + away / np.maximum(np.linalg.norm(away, axis=1, keepdims=True), 1e-9) * MARGIN_ICD * icd_px
    )
    hull = cv2.convexHull(grown.astype(np.float32))
    return hull.reshape(-1, 2).astype(np.float64)


def clip_half_plane(polygon: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """``(M, 2)`` the part of a convex polygon ``(K, 2)`` where ``(p - point) · normal >= 0``
    (Sutherland-Hodgman against one line)."""
    poly = np.asarray(polygon, dtype=np.float64)
    d = (poly - point) @ normal
    out = []
    for i in range(len(poly)):
        a, b, da, db = poly[i - 1], poly[i], d[i - 1], d[i]
        if (da >= 0) != (db >= 0):
            out.append(a + (b - a) * (da / (da - db)))
        if db >= 0:
            out.append(b)
    return np.asarray(out, dtype=np.float64).reshape(-1, 2)


def _composite(
    out: np.ndarray, bgr: np.ndarray, px: np.ndarray, midline: Midline, weak: Side, weight: float, icd: float
) -> None:
    """Blend the reflected picture into ``out`` inside the face region of the weak half."""
    h, w = bgr.shape[:2]
    n = midline.towards(weak)
    region = face_region_px(px, midline, icd)
    half = clip_half_plane(region, midline.point, n)
    if len(half) < 3:
        return
    x0, y0 = np.floor(half.min(axis=0)).astype(int) - 1
    x1, y1 = np.ceil(half.max(axis=0)).astype(int) + 2
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    seam = SEAM_ICD * icd
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(mask, np.round(region - [x0, y0]).astype(np.int32), (255,))
    k = max(3, int(round(EDGE_ICD * icd)) | 1)
    alpha = cv2.blur(mask, (k, k), borderType=cv2.BORDER_REPLICATE).astype(np.float32)
    alpha *= _ramp((x1 - x0, y1 - y0), midline.point - [x0, y0], n, seam) * np.float32(weight / 255.0)
    matrix = reflection_matrix(midline.point, midline.normal)
    matrix[:, 2] += matrix[:, 0] * x0 + matrix[:, 1] * y0  # dst(u, v) = src(M (u + x0, v + y0))
    reflected = cv2.warpAffine(
        bgr,
        matrix,
        (x1 - x0, y1 - y0),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    patch = np.ascontiguousarray(bgr[y0:y1, x0:x1])
    out[y0:y1, x0:x1] = cv2.blendLinear(reflected, patch, alpha, 1.0 - alpha)


def _ramp(size: tuple[int, int], point: np.ndarray, normal: np.ndarray, width_px: float) -> np.ndarray:
    """``(H, W) float32``: 0 on and behind the line, rising to 1 at ``width_px`` along ``normal``."""
    w, h = size
    n = np.asarray(normal, dtype=np.float64) / width_px
    c = -float(n @ np.asarray(point, dtype=np.float64))
    xs = (np.arange(w, dtype=np.float32) * np.float32(n[0])).reshape(1, w)
    ys = (np.arange(h, dtype=np.float32) * np.float32(n[1]) + np.float32(c)).reshape(h, 1)
    ramp = xs + ys
    np.clip(ramp, 0.0, 1.0, out=ramp)
    return ramp
