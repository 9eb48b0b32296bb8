"""Drawing a trace level: the path, the moving target (glowing while the hand is on it), the
hand cursor; and the icons trace levels bring (fish, figure-eight compass)."""

from __future__ import annotations

import numpy as np
import pygame

from game.leveltypes.trace.exercise import TraceView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import DrawContext, draw_hand
from game.render.widgets import progress_ring


def draw(surface: pygame.Surface, view: TraceView, ctx: DrawContext) -> None:
    if len(view.path) >= 2:
        pts = [tuple(ctx.vp.to_screen(np.array(p))) for p in view.path]
        pygame.draw.lines(surface, T.WHITE, False, pts, 14)
        pygame.draw.lines(surface, T.SKY, False, pts, 8)
    for t in view.targets:
        c = ctx.vp.to_screen(np.array(t.xy))
        r = ctx.vp.length_px(t.radius)
        glow = T.YELLOW if view.on_target else T.WHITE
        pygame.draw.circle(surface, glow, c, r + 6, 5)
        draw_icon(surface, ctx.icon, (c[0], c[1]), r * 1.6)
        progress_ring(surface, (float(c[0]), float(c[1])), r + 18, t.progress, T.YELLOW, 10)
    draw_hand(surface, view.hud, ctx)


def _icon_compass(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a figure of eight
    w = max(3, int(r * 0.14))
    pygame.draw.ellipse(s, T.PURPLE, (x - r * 0.9, y - r * 0.4, r * 0.9, r * 0.8), w)
    pygame.draw.ellipse(s, T.PURPLE, (x, y - r * 0.4, r * 0.9, r * 0.8), w)


def _icon_fish(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.ORANGE, (x - r * 0.75, y - r * 0.4, r * 1.2, r * 0.8))
    pygame.draw.polygon(
        s, T.ORANGE, [(x + r * 0.35, y), (x + r * 0.9, y - r * 0.4), (x + r * 0.9, y + r * 0.4)]
    )
    pygame.draw.circle(s, T.BLACK, (x - r * 0.4, y - r * 0.08), max(2, r * 0.09))


ICONS = {"compass": _icon_compass, "fish": _icon_fish}
"""Icons trace levels may name."""
