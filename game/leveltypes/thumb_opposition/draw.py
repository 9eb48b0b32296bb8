"""Drawing a thumb-opposition level: the hands' close-up, a glowing ring on the fingertip to
touch (with the hold filling it), small stars on the fingertips already touched; the icons."""

from __future__ import annotations

import pygame

from game.leveltypes.thumb_opposition.exercise import OppositionView
from game.render import theme as T
from game.render.hand_view import draw_shown_stage, palm_px
from game.render.icons import draw_icon, draw_star
from game.render.level_views import DrawContext
from game.render.widgets import progress_ring
from game.tracking import hands as H


def draw(surface: pygame.Surface, view: OppositionView, ctx: DrawContext) -> None:
    pts = draw_shown_stage(surface, view, ctx)
    if pts is None:
        return
    size = palm_px(pts)
    for finger in view.touched:
        draw_star(surface, tuple(pts[H.FINGERS[finger][3]]), size * 0.35, True)
    if view.target is not None:
        tip = pts[H.FINGERS[view.target][3]]
        pygame.draw.circle(surface, T.YELLOW, tip, size * 0.28, 6)
        progress_ring(surface, (float(tip[0]), float(tip[1])), size * 0.4, view.hold, T.GREEN, 6)


def _icon_touch(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a thumb and a finger meeting in a ring: the "OK" sign
    w = max(3, int(r * 0.16))
    pygame.draw.circle(s, T.SKY, (x - r * 0.2, y + r * 0.2), r * 0.42, w)
    pygame.draw.line(s, T.SKY, (x + r * 0.15, y - r * 0.05), (x + r * 0.35, y - r * 0.85), w)
    pygame.draw.line(s, T.SKY, (x + r * 0.3, y + r * 0.05), (x + r * 0.65, y - r * 0.7), w)
    pygame.draw.line(s, T.SKY, (x + r * 0.4, y + r * 0.25), (x + r * 0.85, y - r * 0.4), w)


def _icon_rainbow(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    for k, color in enumerate((T.VERMILLION, T.ORANGE, T.YELLOW, T.GREEN, T.SKY)):
        rr = r * (0.95 - 0.14 * k)
        pygame.draw.arc(s, color, (x - rr, y - rr * 0.6, 2 * rr, 2 * rr), 0.0, 3.1416, max(2, int(r * 0.12)))
    draw_icon(s, "star", (x, y + r * 0.35), r * 0.5)


ICONS = {"touch": _icon_touch, "rainbow": _icon_rainbow}
"""Icons thumb-opposition levels may name."""
