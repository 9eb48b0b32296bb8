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
from game.render.dwell import HAND
from game.render.viewport import Viewport
from game.scoring.kinematics import HAND_POINTS, hand_point
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, PoseFrame, PoseSource

RAISED_FRACTION = 0.35
"""A hand points when it is above the line 35 % of the way down from shoulders to hips."""
BOX_BOTTOM_FRACTION = 0.2
"""The screen's bottom edge is where the hand is 20 % of the way down from shoulders to hips:
a hand between that and the "raised" line points at the bottom edge, so the lowest buttons
are chosen with a margin before the hand stops pointing."""
BOX_HALF_WIDTH_SW = 1.1
BOX_TOP_SW = 1.0
"""The pointing box, in shoulder widths: ±1.1 around the pointing hand's own shoulder, from
1.0 above the shoulders down to BOX_BOTTOM_FRACTION. The whole screen maps onto it, so every
button is a small movement of one arm in front of its own shoulder: a hand straight ahead of
its shoulder points at the middle of the screen, and a patient with one working arm and a
weak shoulder reaches both edges and corners without crossing far over the body."""


def pointing_box(
    frame: PoseFrame | None, frame_size: tuple[int, int], side: P.Side
) -> tuple[float, float, float, float, float] | None:
    """The box of the raw frame that maps onto the whole screen when the `side` hand points,
    ``(x0, y0, x1, y1, raised_y)`` in raw pixels (``raised_y``: a hand below it does not point),
    or None when the shoulders are not seen.

    Parameters
    ----------
    frame : PoseFrame or None
        Raw (unmirrored) pose.
    frame_size : (width_px, height_px)
    side : {"left", "right"}
        The pointing hand (the person's own side).
    """
    if frame is None or not frame.present:
        return None
    px = frame.image[:, :2].astype(np.float64) * np.array(frame_size, dtype=np.float64)
    vis = frame.image[:, 3]
    mid = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER])
    sw = float(np.linalg.norm(px[P.L_SHOULDER] - px[P.R_SHOULDER]))
    if not np.isfinite(sw) or sw < 1.0:
        return None
    hips_seen = vis[P.L_HIP] >= VISIBLE and vis[P.R_HIP] >= VISIBLE
    hip_y = 0.5 * (px[P.L_HIP, 1] + px[P.R_HIP, 1]) if hips_seen else mid[1] + 1.6 * sw
    centre_x = px[P.L_SHOULDER if side == "left" else P.R_SHOULDER, 0]
    return (
        float(centre_x - BOX_HALF_WIDTH_SW * sw),
        float(mid[1] - BOX_TOP_SW * sw),
        float(centre_x + BOX_HALF_WIDTH_SW * sw),
        float(mid[1] + BOX_BOTTOM_FRACTION * (hip_y - mid[1])),
        float(mid[1] + RAISED_FRACTION * (hip_y - mid[1])),
    )


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
    px = frame.image[:, :2].astype(np.float64) * np.array(vp.frame_size, dtype=np.float64)
    vis = frame.image[:, 3]
    best: tuple[np.ndarray, P.Side] | None = None
    for side in ("left", "right"):
        point = _hand_px(px, vis, side)
        if point is not None and (best is None or point[1] < best[0][1]):
            best = (point, "left" if side == "left" else "right")
    if best is None:
        return None
    box = pointing_box(frame, vp.frame_size, best[1])
    if box is None or best[0][1] >= box[4]:
        return None
    x0, y0, x1, y1, _ = box
    u = float(np.clip((best[0][0] - x0) / (x1 - x0), 0.0, 1.0))
    v = float(np.clip((best[0][1] - y0) / (y1 - y0), 0.0, 1.0))
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
            return Action(Act.POINT, self.OFF, key=HAND) if was is not None else None
        return Action(Act.POINT, pos, key=HAND)
