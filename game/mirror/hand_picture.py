"""The video mirror of a hand: the camera picture with the affected side replaced by the
reflection of the good hand's side, seam feathered, across the hand mirror's line.

The line (game.mirror.hand.mirror_line_px) is the body midline while the shoulders are in
view, so the reflected good hand lands where the affected hand rests when the two hands lie
symmetrically on the table; with only the hands in the picture (a camera over the table) it
is the perpendicular bisector of the two wrists. The compositing is the arm mirror's
(game.mirror.picture.reflect_picture: one ``cv2.warpAffine`` of the affected columns and a
linear feather across the seam). Its seam is narrower than the arm mirror's (a third of a hand
size, or 15 % of the shoulder width), because the hands lie close to the midline.
"""

from __future__ import annotations

import numpy as np

from game.mirror.hand import hands_of, mirror_line_px
from game.mirror.picture import FEATHER_FRACTION, MIN_FEATHER_PX, reflect_picture
from game.tracking.pose import PoseFrame, Side

HAND_FEATHER_FRACTION = 0.33
"""Seam width as a fraction of the hand size when the line is the wrists' bisector."""


def hand_mirror_picture(bgr: np.ndarray, frame: PoseFrame, affected_side: Side) -> np.ndarray:
    """The hand video mirror in raw orientation (not flipped for display yet).

    Parameters
    ----------
    bgr : (H, W, 3) uint8
        Raw camera picture.
    frame : PoseFrame
        The tracked frame of that picture (body, and hands when tracked).
    affected_side : {"left", "right"}
        The person's affected side, whose half shows the reflected good hand.

    Returns
    -------
    (H, W, 3) uint8, a new picture; ``bgr`` itself when there is no mirror line (neither the
    shoulders nor both hands in view).
    """
    h, w = bgr.shape[:2]
    line = mirror_line_px(frame.image, hands_of(frame), affected_side, (w, h))
    if line is None:
        return bgr
    fraction = FEATHER_FRACTION if line.from_body else HAND_FEATHER_FRACTION
    return reflect_picture(bgr, line.point_px, line.normal, max(fraction * line.size_px, MIN_FEATHER_PX))


def hand_mirror_crop(
    bgr: np.ndarray, frame: PoseFrame, affected_side: Side, region: tuple[int, int, int, int]
) -> np.ndarray:
    """The hand video mirror of one part of the picture only, ``region`` = (x, y, w, h) in
    pixels (the hands' close-up): the same line and seam as :func:`hand_mirror_picture`, so the
    same pixels as that picture's region, composited on the region and the part of the picture
    its reflection comes from (:func:`source_box`) rather than the whole frame. The good hand
    lies across the line from the affected one, mostly outside the affected hand's region:
    composited on the region alone, its reflection repeated the region's border there, smearing
    half of the close-up (seen in a real window). Only pixels from outside the picture itself
    repeat its border.

    Returns a new ``(h, w, 3) uint8`` picture (the plain crop when there is no mirror line).
    """
    full_h, full_w = bgr.shape[:2]
    x0, y0 = max(int(region[0]), 0), max(int(region[1]), 0)
    x1, y1 = min(x0 + int(region[2]), full_w), min(y0 + int(region[3]), full_h)
    crop = np.ascontiguousarray(bgr[y0:y1, x0:x1])
    line = mirror_line_px(frame.image, hands_of(frame), affected_side, (full_w, full_h))
    if line is None or crop.size == 0:
        return crop
    fraction = FEATHER_FRACTION if line.from_body else HAND_FEATHER_FRACTION
    feather = max(fraction * line.size_px, MIN_FEATHER_PX)
    sx0, sy0, sx1, sy1 = source_box((x0, y0, x1, y1), line.point_px, line.normal, (full_w, full_h))
    work = np.ascontiguousarray(bgr[sy0:sy1, sx0:sx1])
    out = reflect_picture(work, line.point_px - np.array([sx0, sy0], dtype=np.float64), line.normal, feather)
    return np.ascontiguousarray(out[y0 - sy0 : y1 - sy0, x0 - sx0 : x1 - sx0])


def source_box(
    box: tuple[int, int, int, int], point_px: np.ndarray, normal: np.ndarray, size: tuple[int, int]
) -> tuple[int, int, int, int]:
    """The box ``(x0, y0, x1, y1)`` grown to hold its own reflection across the line through
    ``point_px`` with ``normal`` (pixels), within a picture of ``size`` = (w, h): every pixel
    the reflection of ``box`` reads (one pixel more each way for the bilinear neighbours)."""
    x0, y0, x1, y1 = box
    n = np.asarray(normal, dtype=np.float64) / np.linalg.norm(normal)
    corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], dtype=np.float64)
    mirrored = corners - 2.0 * ((corners - point_px) @ n)[:, None] * n
    w, h = size
    lo = np.floor(mirrored.min(axis=0)) - 1
    hi = np.ceil(mirrored.max(axis=0)) + 2
    return (
        int(np.clip(min(x0, lo[0]), 0, w)),
        int(np.clip(min(y0, lo[1]), 0, h)),
        int(np.clip(max(x1, hi[0]), 0, w)),
        int(np.clip(max(y1, hi[1]), 0, h)),
    )
