"""The three mirror modes on screen: video mirror, avatar mirror and shared control.

Left/right conventions (pose.py): landmarks stay in *raw* camera coordinates; the picture is
flipped for display only, at the very end, and :class:`Viewport` does the same flip for
landmarks, so picture and drawings agree.

- ``"video"``: the camera picture as a mirror, with the affected side replaced by the
  reflection of the unaffected side across the tracked body midline
  (:func:`game.mirror.body_midline_px`), which follows the patient's lean. The reflection is
  one ``cv2.warpAffine`` (a line reflection is an affine involution) and the seam is a linear
  feather a few percent of the shoulder width wide, blended with ``cv2.blendLinear``.
- ``"avatar"``: a drawn body; its affected arm is the reflected unaffected arm.
- ``"shared"``: the plain mirrored picture under an avatar whose affected arm is the blend,
  gain 0..1, of the reflected healthy arm and the patient's own arm (display_pose's gain).

Sources without pixels (simulated patient, replay) always show the avatar.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import cv2
import numpy as np
import pygame

from game.mirror import body_midline_px
from game.render import theme as T
from game.render.avatar import draw_avatar
from game.render.viewport import Viewport
from game.render.widgets import panel, text
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE, Picture, Side, SourceStatus

MirrorMode = Literal["video", "avatar", "shared"]
MIRROR_MODES: tuple[str, ...] = ("video", "avatar", "shared")

FEATHER_FRACTION = 0.15
"""Seam width as a fraction of the shoulder width: wide enough to hide the join, narrow
enough that the head and neck stay the patient's own."""
MIN_FEATHER_PX = 4.0

STATUS_MESSAGES: dict[SourceStatus, str] = {
    SourceStatus.DEVICE_LOST: "Camera lost \u2013 reconnecting\u2026",
    SourceStatus.STARTING: "Starting the camera\u2026",
    SourceStatus.NO_PERSON: "Step into view",
}
"""What the play screen says about a source that is not OK (ENDED says nothing)."""


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


def _affected_midline(
    image: np.ndarray, affected_side: Side, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Midline point, normal pointing *into the affected side*, shoulder width (pixels)."""
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


def mirror_picture(bgr: np.ndarray, image: np.ndarray, affected_side: Side) -> np.ndarray:
    """The video mirror in raw orientation (not flipped yet).

    Only the affected side is warped and only the seam band is blended, which keeps a
    1280×720 frame to a few milliseconds (benchmarks/pipeline.py).

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
    if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.dtype != np.uint8:
        raise ValueError(f"bgr must be (H, W, 3) uint8, got {bgr.shape} {bgr.dtype}")
    h, w = bgr.shape[:2]
    line = _affected_midline(image, affected_side, (w, h))
    if line is None:
        return bgr
    point, normal, width = line
    feather_px = max(FEATHER_FRACTION * width, MIN_FEATHER_PX)
    matrix = reflection_matrix(point, normal)
    cols = _affected_columns((w, h), point, normal, feather_px)
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


def _affected_columns(
    size: tuple[int, int], point: np.ndarray, normal: np.ndarray, feather_px: float
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Column ranges ``(c0, c1)`` with any reflected weight and ``(b0, b1)`` of the seam band.

    None when the midline is far from vertical (|n_x| < 0.2), where column ranges save little.
    """
    w, h = size
    nx, ny = float(normal[0]), float(normal[1])
    if abs(nx) < 0.2:
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


def draw_picture(surface: pygame.Surface, picture: Picture | np.ndarray, vp: Viewport) -> None:
    """Flip, fit and blit a raw BGR picture (cv2 flip/resize are the cheap path, perf §1.4)."""
    bgr = picture.bgr if isinstance(picture, Picture) else picture
    x, y, w, h = vp.rect
    # Into reused buffers: a fresh 2 MB array per frame costs page faults on every frame.
    frame = cv2.flip(bgr, 1, dst=_scratch("flip", bgr.shape))
    if frame.shape[1] != w or frame.shape[0] != h:
        frame = cv2.resize(frame, (w, h), dst=_scratch("fit", (h, w, 3)), interpolation=cv2.INTER_LINEAR)
    img = pygame.image.frombuffer(frame.data, (w, h), "BGR")
    surface.blit(img, (x, y))  # the blit copies: the buffers are free again after it


@lru_cache(maxsize=8)
def _scratch(role: str, shape: tuple[int, ...]) -> np.ndarray:
    """A ``uint8`` work buffer of ``shape`` for one step (``role``) of :func:`draw_picture`,
    reused frame after frame (the render loop is the only caller)."""
    return np.empty(shape, dtype=np.uint8)


def draw_mirror(
    surface: pygame.Surface,
    mode: str,
    picture: Picture | None,
    raw_image: np.ndarray | None,
    display_image: np.ndarray | None,
    affected_side: Side,
    vp: Viewport,
) -> None:
    """Draw the mirror the patient sees, in one of :data:`MIRROR_MODES`.

    Parameters
    ----------
    mode : {"video", "avatar", "shared"}
        Unknown values fall back to "video" (the therapist setting is validated elsewhere).
    picture : Picture or None
        Newest raw camera picture; None for sources without pixels.
    raw_image : (33, 4) float or None
        Raw landmarks of the patient (used to find the midline for the video mirror).
    display_image : (33, 4) float or None
        The displayed pose (mirrored, or shared-control blend; see display_pose).
    """
    if picture is not None and mode != "avatar":
        if mode == "shared" or raw_image is None:
            draw_picture(surface, picture, vp)
        else:
            draw_picture(surface, mirror_picture(picture.bgr, raw_image, affected_side), vp)
            return
    if display_image is not None:
        draw_avatar(surface, display_image, vp, affected_side)


def status_message(status: SourceStatus) -> str | None:
    """The words shown for a source status, or None when all is well."""
    return STATUS_MESSAGES.get(status)


def draw_source_status(surface: pygame.Surface, status: SourceStatus) -> None:
    """A strip near the bottom when the camera is lost or starting (the pause overlay says
    "Step into view" itself)."""
    if status not in (SourceStatus.DEVICE_LOST, SourceStatus.STARTING):
        return
    message = STATUS_MESSAGES[status]
    panel(surface, (290, 560, 700, 64), T.PANEL)
    color = T.VERMILLION if status is SourceStatus.DEVICE_LOST else T.TEXT
    text(surface, message, (640, 592), 44, color, "center", bold=True)
