"""Hands-free pointing: the tracked hand becomes a screen pointer on menu screens.

A patient with one working hand can choose any button by holding that hand over it for
1.5 s (dwell select, game/render/widgets.py). Only a *raised* hand points: a hand resting on
the lap or hanging down never moves the pointer, so nothing is chosen by accident while the
patient sits still. The picture is a mirror, so the pointer is where the patient sees the
hand on screen.
"""

from __future__ import annotations

import numpy as np

from game.render.viewport import Viewport
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, PoseFrame

RAISED_FRACTION = 0.35
"""A hand points when it is above the line 35 % of the way down from shoulders to hips."""


def hand_pointer(frame: PoseFrame | None, vp: Viewport) -> tuple[int, int] | None:
    """Screen position of the raised hand (the higher one if both are raised), or None.

    Parameters
    ----------
    frame : PoseFrame or None
        Raw (unmirrored) pose.
    vp : Viewport
        Raw frame → mirrored screen mapping.
    """
    if frame is None or not frame.present:
        return None
    img = frame.image.astype(np.float64)
    sh_y = 0.5 * (img[P.L_SHOULDER, 1] + img[P.R_SHOULDER, 1])
    hips_seen = img[P.L_HIP, 3] >= VISIBLE and img[P.R_HIP, 3] >= VISIBLE
    hip_y = 0.5 * (img[P.L_HIP, 1] + img[P.R_HIP, 1]) if hips_seen else sh_y + 0.3
    line_y = sh_y + RAISED_FRACTION * (hip_y - sh_y)
    best: np.ndarray | None = None
    for wrist, index in ((P.L_WRIST, P.L_INDEX), (P.R_WRIST, P.R_INDEX)):
        if img[wrist, 3] < VISIBLE or not np.all(np.isfinite(img[wrist, :2])):
            continue
        tip = img[index, :2] if img[index, 3] >= VISIBLE else img[wrist, :2]
        point = 0.5 * (img[wrist, :2] + tip)
        if point[1] < line_y and (best is None or point[1] < best[1]):
            best = point
    if best is None:
        return None
    sx, sy = vp.to_screen(best)
    return int(round(sx)), int(round(sy))


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

    def step(self, source: object, now_s: float, scene: object) -> object | None:
        from game.actions import Act, Action

        if not getattr(scene, "hand_pointer", False):
            self.pos = None
            return None
        frame = source.poll(now_s)  # type: ignore[attr-defined]
        if frame is None:
            return None  # no new pose: keep the pointer where it was
        pos = hand_pointer(frame, self.vp)
        if pos == self.pos:
            return None
        was, self.pos = self.pos, pos
        if pos is None:
            return Action(Act.POINT, self.OFF) if was is not None else None
        return Action(Act.POINT, pos)
