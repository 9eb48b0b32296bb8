"""Drawing a bilateral level: the shelf with its band and hold ring, the tray between the
hands (orange with a "Level it" word while tilted); and the tray icon."""

from __future__ import annotations

import numpy as np
import pygame

from game.i18n import _
from game.leveltypes.bilateral.exercise import BilateralView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import progress_ring, text

WOOD = (176, 120, 60)


def draw(surface: pygame.Surface, view: BilateralView, ctx: DrawContext) -> None:
    shelf = view.shelf
    if shelf is not None:
        xs = sorted(ctx.vp.to_screen(np.array([[x, shelf.y] for x in shelf.x]))[:, 0])
        y = ctx.vp.to_screen(np.array([0.5, shelf.y]))[1]
        band = ctx.vp.rect[3] * shelf.tol
        pygame.draw.rect(surface, WOOD, (xs[0] - 60, y - 8, xs[1] - xs[0] + 120, 16), border_radius=6)
        pygame.draw.rect(surface, T.YELLOW, (xs[0] - 60, y - band, xs[1] - xs[0] + 120, 2 * band), 2, 8)
        progress_ring(surface, ((xs[0] + xs[1]) / 2, y - band - 40), 30, shelf.progress, T.YELLOW, 10)
    if view.tray is not None:
        a, b = ctx.vp.to_screen(np.array(view.tray[0])), ctx.vp.to_screen(np.array(view.tray[1]))
        level = abs(view.tilt_deg) <= view.tilt_cue_deg
        pygame.draw.line(surface, T.BLACK, a, b, 26)
        pygame.draw.line(surface, WOOD if level else T.ORANGE, a, b, 20)
        mid = (a + b) / 2
        draw_icon(surface, "tray", (mid[0], mid[1] - 34), 70)
        if not level:
            draw_icon(surface, "tray", (mid[0], mid[1] + 60), 44)
            text(surface, _("Level it"), (mid[0] + 30, mid[1] + 60), 40, T.ORANGE, "midleft", bold=True)


def _icon_tray(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.rect(s, (176, 120, 60), (x - r * 0.95, y + r * 0.2, r * 1.9, r * 0.25), border_radius=4)
    pygame.draw.rect(s, T.WHITE, (x - r * 0.55, y - r * 0.35, r * 0.4, r * 0.55), border_radius=3)
    pygame.draw.rect(s, T.SKY, (x + r * 0.15, y - r * 0.45, r * 0.4, r * 0.65), border_radius=3)


ICONS = {"tray": _icon_tray}
"""Icons bilateral levels may name."""
