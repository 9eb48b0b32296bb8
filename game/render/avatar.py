"""Draw a body from landmarks: the avatar mirror and the skeleton overlay.

The displayed affected arm (mirrored or shared control) is drawn in ``theme.MIRROR_ARM`` with
a soft glow, the rest of the body in calm neutral tones, so the patient's eye goes to the arm
that moves well "on the weak side".
"""

from __future__ import annotations

import numpy as np
import pygame

from game.render import theme as T
from game.render.viewport import Viewport
from game.tracking import pose as P

BODY = (120, 134, 160)
SKIN = (236, 200, 170)


def _ok(pts: np.ndarray, vis: np.ndarray, *idx: int) -> bool:
    return all(vis[i] >= 0.3 and np.all(np.isfinite(pts[i])) for i in idx)


def draw_avatar(
    surface: pygame.Surface,
    image: np.ndarray,
    vp: Viewport,
    affected_side: P.Side,
    scale_px: float | None = None,
    mirrored: tuple[str, ...] = ("arm",),
) -> None:
    """Draw a friendly filled avatar from (33, 4) display image landmarks; the ``mirrored``
    limbs of the affected side ("arm", "leg") in the mirror colour."""
    pts = vp.to_screen(image[:, :2])
    vis = image[:, 3]
    if not _ok(pts, vis, P.L_SHOULDER, P.R_SHOULDER):
        return
    width = float(np.linalg.norm(pts[P.L_SHOULDER] - pts[P.R_SHOULDER]))
    limb = max(int((scale_px or width) * 0.22), 10)
    # trunk
    quad = [pts[P.L_SHOULDER], pts[P.R_SHOULDER], pts[P.R_HIP], pts[P.L_HIP]]
    if _ok(pts, vis, P.L_HIP, P.R_HIP):
        pygame.draw.polygon(surface, BODY, [tuple(p) for p in quad])
    bad_leg = (P.L_HIP, P.L_KNEE, P.L_ANKLE) if affected_side == "left" else (P.R_HIP, P.R_KNEE, P.R_ANKLE)
    for a, b in ((P.L_HIP, P.L_KNEE), (P.L_KNEE, P.L_ANKLE), (P.R_HIP, P.R_KNEE), (P.R_KNEE, P.R_ANKLE)):
        if _ok(pts, vis, a, b):
            shown = "leg" in mirrored and a in bad_leg  # the mirrored leg of lower-limb mirror therapy
            _limb(surface, pts[a], pts[b], limb, T.MIRROR_ARM if shown else BODY)
    # head
    neck = 0.5 * (pts[P.L_SHOULDER] + pts[P.R_SHOULDER])
    if _ok(pts, vis, P.NOSE):
        pygame.draw.line(surface, SKIN, neck, pts[P.NOSE], limb)
        pygame.draw.circle(surface, SKIN, pts[P.NOSE], width * 0.32)
    own = P.other_side(affected_side)
    _arm(surface, pts, vis, own, limb, T.OWN_ARM, glow=False)
    _arm(surface, pts, vis, affected_side, limb, T.MIRROR_ARM, glow=True)


UPPER_BODY = (
    P.NOSE,
    P.L_SHOULDER,
    P.R_SHOULDER,
    P.L_ELBOW,
    P.R_ELBOW,
    P.L_WRIST,
    P.R_WRIST,
    P.L_HIP,
    P.R_HIP,
)
"""The landmarks of the part of the avatar the patient watches (head, arms, trunk)."""


def avatar_box(image: np.ndarray | None, vp: Viewport) -> pygame.Rect | None:
    """Screen rectangle of the avatar's head, arms and trunk as :func:`draw_avatar` draws them
    from (33, 4) display landmarks (limbs and the head have their drawn thickness), or None.
    Words and icons of the play screen are placed outside it."""
    if image is None:
        return None
    pts = vp.to_screen(image[:, :2])
    vis = image[:, 3]
    if not _ok(pts, vis, P.L_SHOULDER, P.R_SHOULDER):
        return None
    width = float(np.linalg.norm(pts[P.L_SHOULDER] - pts[P.R_SHOULDER]))
    seen = [pts[i] for i in UPPER_BODY if _ok(pts, vis, i)]
    xy = np.array(seen)
    pad = max(width * 0.22, 10) / 2 + 4
    x0, y0 = xy.min(axis=0) - pad
    x1, y1 = xy.max(axis=0) + pad
    if _ok(pts, vis, P.NOSE):
        head = width * 0.32 + 4
        x0, y0 = min(x0, pts[P.NOSE][0] - head), min(y0, pts[P.NOSE][1] - head)
        x1 = max(x1, pts[P.NOSE][0] + head)
    return pygame.Rect(int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def _arm(
    surface: pygame.Surface,
    pts: np.ndarray,
    vis: np.ndarray,
    side: P.Side,
    limb: int,
    color: tuple[int, int, int],
    glow: bool,
) -> None:
    sh, el, wr = P.shoulder_elbow_wrist(side)
    if not _ok(pts, vis, sh, el, wr):
        return
    if glow:  # a soft halo, drawn on a layer only as big as the arm
        arm = pts[[sh, el, wr]]
        pad = limb * 2
        x0, y0 = np.floor(arm.min(axis=0) - pad)
        x1, y1 = np.ceil(arm.max(axis=0) + pad)
        layer = pygame.Surface((int(x1 - x0), int(y1 - y0)), pygame.SRCALPHA)
        off = np.array([x0, y0])
        for a, b in ((sh, el), (el, wr)):
            _limb(layer, pts[a] - off, pts[b] - off, limb * 2, (*color, 70))
        surface.blit(layer, (int(x0), int(y0)))
    _limb(surface, pts[sh], pts[el], limb, color)
    _limb(surface, pts[el], pts[wr], int(limb * 0.85), color)
    idx = P.arm_indices(side)
    hand = np.nanmean(pts[[idx[2], idx[3], idx[4]]], axis=0)
    pygame.draw.circle(surface, color, hand, limb * 0.9)


def _limb(surface: pygame.Surface, a: np.ndarray, b: np.ndarray, width: int, color: tuple[int, ...]) -> None:
    pygame.draw.line(surface, color, a, b, width)
    pygame.draw.circle(surface, color, a, width / 2)
    pygame.draw.circle(surface, color, b, width / 2)
