"""Drawing a posture level: the flower, the hand cursor and a spirit level whose bubble drifts
with the trunk lean (green while upright); and the flower and upright-posture icons."""

from __future__ import annotations

import math

import pygame

from game.leveltypes.posture.exercise import PostureView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import DrawContext, draw_hand, draw_target
from game.render.widgets import panel


def draw(surface: pygame.Surface, view: PostureView, ctx: DrawContext) -> None:
    for t in view.targets:
        draw_target(surface, t, ctx)
    draw_hand(surface, view.hud, ctx)
    x, y, w = 900, 150, 340
    panel(surface, (x, y, w, 80))
    draw_icon(surface, "posture", (x + 40, y + 40), 56)
    frac = min(view.lean_deg / max(view.lean_max_deg, 1e-6), 1.5)
    ok = view.posture_cue is None
    bx = x + 80 + (w - 110) * 0.5 + frac * (w - 110) * 0.33
    pygame.draw.rect(surface, T.TEXT_DIM, (x + 80, y + 28, w - 110, 24), 2, 12)
    pygame.draw.circle(surface, T.GREEN if ok else T.ORANGE, (bx, y + 40), 14)


def _icon_posture(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.16))
    pygame.draw.circle(s, T.GREEN, (x, y - r * 0.65), r * 0.24)
    pygame.draw.line(s, T.GREEN, (x, y - r * 0.4), (x, y + r * 0.8), w)
    pygame.draw.line(s, T.GREEN, (x - r * 0.5, y - r * 0.25), (x + r * 0.5, y - r * 0.25), w)


def _icon_flower(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    for k in range(6):
        a = k * math.pi / 3
        pygame.draw.circle(s, T.PURPLE, (x + r * 0.45 * math.cos(a), y + r * 0.45 * math.sin(a)), r * 0.32)
    pygame.draw.circle(s, T.YELLOW, c, r * 0.3)


ICONS = {"posture": _icon_posture, "flower": _icon_flower}
"""Icons posture levels may name."""
