"""The video mirror: the camera picture with the affected side replaced by the reflection of
the unaffected side across the tracked body midline.

Left/right conventions (game/tracking/pose.py): landmarks and pictures stay in *raw* camera
coordinates here; flipping for display is the renderer's last step (game/render/camera_view.py).

The midline (:func:`game.mirror.body_midline_px`) follows the patient's lean. The reflection is
one ``cv2.warpAffine`` (a line reflection is an affine involution) and the seam is a linear
feather a few percent of the shoulder width wide, blended with ``cv2.blendLinear``. Only the
affected side is warped and only the seam band is blended, which keeps a 1280×720 frame to a
few milliseconds (benchmarks/pipeline.py). The geometry (:func:`reflection_matrix`,
:func:`affected_midline`, :func:`feather_mask`, :func:`affected_columns`) is plain numpy.
"""

from __future__ import annotations

import cv2
import numpy as np

from game.mirror.transform import body_midline_px
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, Side

FEATHER_FRACTION = 0.15
"""Seam width as a fraction of the shoulder width: wide enough to hide the join, narrow
enough that the head and neck stay the patient's own."""
MIN_FEATHER_PX = 4.0
"""Narrowest seam in pixels (a patient far from the camera still gets a soft join)."""
STEEP_NORMAL_X = 0.2
"""Below this |n_x| the midline is far from vertical (lying down): column ranges save little."""


def reflection_matrix(point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Affine ``(2, 3) float64`` reflection across the line through ``point`` with unit ``normal``.

    ``x' = (I - 2 n nᵀ) x + 2 (n · p) n``. A reflection is its own inverse, so the same matrix
    serves ``cv2.warpAffine`` whichever direction it maps.
    """
    n = np.asarray(normal, dtype=np.float64).reshape(2)
    n = n / np.linalg.norm(n)
    p = np.asarray(point, dtype=np.float64).reshape(2)
    lin = np.eye(2) - 2.0 * np.outer(n, n)
    return np.hstack([lin, (2.0 * float(n @ p) * n)[:, None]])


def affected_midline(
    image: np.ndarray, affected_side: Side, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The line the picture is reflected across, in pixels.

    Parameters
    ----------
    image : (33, 4) float
        Raw image landmarks (normalised x, y; visibility last).
    affected_side : {"left", "right"}
        The patient's anatomical affected side.
    size : (width_px, height_px)
        The picture's size.

    Returns
    -------
    (point (2,), unit normal (2,) pointing *into the affected side*, shoulder width in pixels),
    or None when the shoulders are not both visible or the midline is undefined.
    """
    if affected_side not in ("left", "right"):
        raise ValueError(f"affected_side must be 'left' or 'right', got {affected_side!r}")
    lm = np.asarray(image, dtype=np.float64)
    if lm.shape != (33, 4):
        raise ValueError(f"image landmarks must have shape (33, 4), got {lm.shape}")
    if not np.all(lm[[L_SHOULDER, R_SHOULDER], 3] >= VISIBLE):
        return None
    px = lm.copy()
    px[:, :2] *= np.asarray(size, dtype=np.float64)
    point, normal = body_midline_px(px)
    if not (np.all(np.isfinite(point)) and np.all(np.isfinite(normal))):
        return None
    toward_left = float(normal @ (px[L_SHOULDER, :2] - point))
    sign = 1.0 if toward_left >= 0 else -1.0  # make the normal point to the patient's left
    if affected_side == "right":
        sign = -sign
    width = float(np.linalg.norm(px[L_SHOULDER, :2] - px[R_SHOULDER, :2]))
    return point, sign * normal, width


def feather_mask(
    size: tuple[int, int], point: np.ndarray, normal: np.ndarray, feather_px: float
) -> np.ndarray:
    """Weight ``(H, W) float32`` of the reflected picture: 1 deep in the affected side, 0 on
    the unaffected side, a linear ramp ``feather_px`` wide centred on the midline."""
    w, h = size
    if feather_px <= 0:
        raise ValueError(f"feather_px must be > 0, got {feather_px}")
    n = np.asarray(normal, dtype=np.float64) / feather_px
    c = 0.5 - float(n @ np.asarray(point, dtype=np.float64))
    xs = (np.arange(w, dtype=np.float32) * np.float32(n[0])).reshape(1, w)
    ys = (np.arange(h, dtype=np.float32) * np.float32(n[1]) + np.float32(c)).reshape(h, 1)
    alpha = xs + ys
    np.clip(alpha, 0.0, 1.0, out=alpha)
    return alpha


def affected_columns(
    size: tuple[int, int], point: np.ndarray, normal: np.ndarray, feather_px: float
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Column ranges ``(c0, c1)`` with any reflected weight and ``(b0, b1)`` of the seam band.

    None when the midline is far from vertical (|n_x| < :data:`STEEP_NORMAL_X`), where column
    ranges save little.
    """
    w, h = size
    nx, ny = float(normal[0]), float(normal[1])
    if abs(nx) < STEEP_NORMAL_X:
        return None
    # alpha = 0.5 + n·((x, y) - p) / F is 0 and 1 on two lines; their x on the top and bottom rows.
    xs = [
        float(point[0]) + ((k - 0.5) * feather_px - ny * (y - float(point[1]))) / nx
        for k in (0.0, 1.0)
        for y in (0.0, h - 1.0)
    ]
    b0 = int(np.clip(np.floor(min(xs)), 0, w))
    b1 = int(np.clip(np.ceil(max(xs)) + 1, 0, w))
    cols = (b0, w) if nx > 0 else (0, b1)
    return cols, (b0, b1)


def mirror_picture(bgr: np.ndarray, image: np.ndarray, affected_side: Side) -> np.ndarray:
    """The video mirror in raw orientation (not flipped yet).

    Parameters
    ----------
    bgr : (H, W, 3) uint8
        Raw camera picture.
    image : (33, 4) float
        Raw image landmarks of that picture (normalised x, y; visibility last).
    affected_side : {"left", "right"}
        The patient's anatomical affected side, whose half is replaced.

    Returns
    -------
    (H, W, 3) uint8
        A new picture whose affected side shows the reflected unaffected side; ``bgr``
        itself when the shoulders are not tracked (nothing to reflect across).
    """
    _check_bgr(bgr)
    h, w = bgr.shape[:2]
    line = affected_midline(image, affected_side, (w, h))
    if line is None:
        return bgr
    point, normal, width = line
    return reflect_picture(bgr, point, normal, max(FEATHER_FRACTION * width, MIN_FEATHER_PX))


def _check_bgr(bgr: np.ndarray) -> None:
    if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.dtype != np.uint8:
        raise ValueError(f"bgr must be (H, W, 3) uint8, got {bgr.shape} {bgr.dtype}")


def reflect_picture(bgr: np.ndarray, point: np.ndarray, normal: np.ndarray, feather_px: float) -> np.ndarray:
    """The picture with the side its ``normal`` points into replaced by the reflection of the
    other side across the line through ``point`` (pixels), the seam feathered ``feather_px``
    wide: the compositing step of every video mirror (the arm's and the hand's).

    Returns a new ``(H, W, 3) uint8`` picture.
    """
    _check_bgr(bgr)
    h, w = bgr.shape[:2]
    matrix = reflection_matrix(point, normal)
    cols = affected_columns((w, h), point, normal, feather_px)
    if cols is None:  # midline far from vertical (lying down): do the whole frame
        reflected = _reflect_cols(bgr, matrix, 0, w)
        alpha = feather_mask((w, h), point, normal, feather_px)
        return cv2.blendLinear(reflected, bgr, alpha, 1.0 - alpha)
    (c0, c1), (b0, b1) = cols
    out = bgr.copy()
    if c1 <= c0:
        return out
    reflected = _reflect_cols(bgr, matrix, c0, c1)
    out[:, c0:c1] = reflected
    if b1 > b0:
        shifted = point - np.array([b0, 0.0])
        alpha = feather_mask((b1 - b0, h), shifted, normal, feather_px)
        out[:, b0:b1] = cv2.blendLinear(
            np.ascontiguousarray(reflected[:, b0 - c0 : b1 - c0]),
            np.ascontiguousarray(bgr[:, b0:b1]),
            alpha,
            1.0 - alpha,
        )
    return out


def _reflect_cols(bgr: np.ndarray, matrix: np.ndarray, c0: int, c1: int) -> np.ndarray:
    """Columns ``c0:c1`` of the reflected picture (WARP_INVERSE_MAP: dst(u) = src(M (u + c0)))."""
    m = matrix.copy()
    m[:, 2] += m[:, 0] * c0
    return cv2.warpAffine(
        bgr,
        m,
        (c1 - c0, bgr.shape[0]),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
