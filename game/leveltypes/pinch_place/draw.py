"""Drawing a pinch-and-place level: the hands' close-up with the basket and the berry (lying
where it grew, or held between the thumb and index finger of the hand shown); the icons."""

from __future__ import annotations

import numpy as np
import pygame

from game.leveltypes.pinch_place.exercise import PinchView
from game.render import theme as T
from game.render.hand_view import STAGE_RECT, draw_stage, prompt
from game.render.icons import draw_icon
from game.render.level_views import DrawContext


def draw(surface: pygame.Surface, view: PinchView, ctx: DrawContext) -> None:
    stage = draw_stage(surface, view, ctx)
    prompt(surface, view.prompt, ctx.icon)
    if stage is None or view.waiting_hands:
        return
    to_screen = stage.shown
    scale = STAGE_RECT[2] / view.regions[0][2] * ctx.vp.frame_size[0]
    r = view.radius * scale
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(STAGE_RECT))
    if view.basket is not None:
        c = to_screen(np.array(view.basket))
        draw_icon(surface, "basket", (float(c[0]), float(c[1])), 1.8 * r)
    if view.berry is not None:
        c = to_screen(np.array(view.berry))
        if not view.held:
            pygame.draw.circle(surface, T.WHITE, c, r, 3)
        draw_icon(surface, ctx.icon, (float(c[0]), float(c[1])), max(r * 0.9, 20))
    surface.set_clip(clip)


def _icon_berry(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.VERMILLION, (x, y + r * 0.1), r * 0.7)
    pygame.draw.circle(s, (255, 170, 150), (x - r * 0.25, y - r * 0.1), r * 0.15)
    pygame.draw.polygon(
        s, T.GREEN, [(x - r * 0.4, y - r * 0.5), (x + r * 0.4, y - r * 0.5), (x, y - r * 0.9)]
    )


def _icon_bead(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.PURPLE, c, r * 0.75)
    pygame.draw.circle(s, T.WHITE, c, r * 0.22)
    pygame.draw.circle(s, (240, 200, 230), (x - r * 0.35, y - r * 0.35), r * 0.14)


def _icon_basket(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    wood = (170, 110, 50)
    pygame.draw.polygon(s, wood, [(x - r * 0.9, y - r * 0.1), (x + r * 0.9, y - r * 0.1),
                                  (x + r * 0.6, y + r * 0.75), (x - r * 0.6, y + r * 0.75)])  # fmt: skip
    pygame.draw.arc(s, wood, (x - r * 0.7, y - r * 0.9, r * 1.4, r * 1.6), 0.0, 3.1416, max(3, int(r * 0.12)))
    for k in range(1, 4):
        yy = y - r * 0.1 + k * r * 0.21
        pygame.draw.line(
            s, (120, 75, 30), (x - r * 0.8 + k * 0.07 * r, yy), (x + r * 0.8 - k * 0.07 * r, yy), 2
        )


ICONS = {"berry": _icon_berry, "bead": _icon_bead, "basket": _icon_basket}
"""Icons pinch-and-place levels may name."""
