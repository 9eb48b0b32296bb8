"""Hands-free pointing: the tracked hand becomes a screen pointer on menu screens.

A patient with one working hand can choose any button by holding that hand over it for
1.5 s (dwell select, game/render/widgets.py). Only a *raised* hand points: a hand resting on
the lap or hanging down never moves the pointer, so nothing is chosen by accident while the
patient sits still. The picture is a mirror, so the pointer is where the patient sees the
hand on screen.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from game.actions import Act, Action
from game.render.viewport import Viewport
from game.scoring.kinematics import HAND_POINTS, hand_point
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, PoseFrame, PoseSource

RAISED_FRACTION = 0.35
"""A hand points when it is above the line 35 % of the way down from shoulders to hips."""
BOX_HALF_WIDTH_SW = 1.6
BOX_TOP_SW = 1.3
"""The pointing box, in shoulder widths: ±1.6 around mid-shoulder, from 1.3 above the
shoulders down to the "raised" line. The whole screen maps onto it, so every button is within
a comfortable, small arm movement (a patient with a weak shoulder cannot reach a screen corner
with the camera's full field of view)."""


def hand_pointer(frame: PoseFrame | None, vp: Viewport) -> tuple[int, int] | None:
    """Screen position of the raised hand (the higher one if both are raised), or None.

    Parameters
    ----------
    frame : PoseFrame or None
        Raw (unmirrored) pose.
    vp : Viewport
        Raw frame → mirrored screen mapping (its frame size and screen rectangle).
    """
    if frame is None or not frame.present:
        return None
    size = np.array(vp.frame_size, dtype=np.float64)
    px = frame.image[:, :2].astype(np.float64) * size
    vis = frame.image[:, 3]
    mid = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER])
    sw = float(np.linalg.norm(px[P.L_SHOULDER] - px[P.R_SHOULDER]))
    if not np.isfinite(sw) or sw < 1.0:
        return None
    hips_seen = vis[P.L_HIP] >= VISIBLE and vis[P.R_HIP] >= VISIBLE
    hip_y = 0.5 * (px[P.L_HIP, 1] + px[P.R_HIP, 1]) if hips_seen else mid[1] + 1.6 * sw
    line_y = mid[1] + RAISED_FRACTION * (hip_y - mid[1])
    best: np.ndarray | None = None
    for side in ("left", "right"):
        point = _hand_px(px, vis, side)
        if point is not None and point[1] < line_y and (best is None or point[1] < best[1]):
            best = point
    if best is None:
        return None
    x0, x1 = mid[0] - BOX_HALF_WIDTH_SW * sw, mid[0] + BOX_HALF_WIDTH_SW * sw
    y0, y1 = mid[1] - BOX_TOP_SW * sw, line_y
    u = float(np.clip((best[0] - x0) / (x1 - x0), 0.0, 1.0))
    v = float(np.clip((best[1] - y0) / (y1 - y0), 0.0, 1.0))
    rx, ry, rw, rh = vp.rect
    # a mirror: the patient's left (larger raw x) is on the screen's left
    return int(round(rx + (1.0 - u) * (rw - 1))), int(round(ry + v * (rh - 1)))


def _hand_px(px: np.ndarray, vis: np.ndarray, side: str) -> np.ndarray | None:
    """The hand point of one side in pixels (game.scoring.kinematics.hand_point: the point
    every level and the scoring use), or the wrist alone when a finger landmark is not seen;
    None without a seen wrist."""
    wrist = P.L_WRIST if side == "left" else P.R_WRIST
    if vis[wrist] < VISIBLE or not np.all(np.isfinite(px[wrist])):
        return None
    if np.all(vis[list(HAND_POINTS[side])] >= VISIBLE):
        point = hand_point(px, side)
        if np.all(np.isfinite(point)):
            return point
    return px[wrist]


class PointedAt(Protocol):
    """The screen on top: whether the raised hand points there (menus do; play and
    calibration read the pose source themselves)."""

    @property
    def hand_pointer(self) -> bool: ...


class PointerFeed:
    """Turns the tracked pose into pointer actions for screens that accept them.

    Call :meth:`step` once per frame with the scene on top; it returns an Action to deliver
    (a POINT where the raised hand is, or a POINT off-screen when the hand comes down, which
    cancels a dwell in progress), or None when nothing changed. ``pos`` is where to draw the
    pointer.
    """

    OFF = (-1000, -1000)

    def __init__(self, vp: Viewport) -> None:
        self.vp = vp
        self.pos: tuple[int, int] | None = None

    def step(self, source: PoseSource, now_s: float, scene: PointedAt) -> Action | None:
        if not scene.hand_pointer:
            self.pos = None
            return None
        frame = source.poll(now_s)
        if frame is None:
            return None  # no new pose: keep the pointer where it was
        pos = hand_pointer(frame, self.vp)
        if pos == self.pos:
            return None
        was, self.pos = self.pos, pos
        if pos is None:
            return Action(Act.POINT, self.OFF) if was is not None else None
        return Action(Act.POINT, pos)
