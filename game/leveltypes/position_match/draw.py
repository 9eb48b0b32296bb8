"""Drawing a position-match level: the ghost arm and target, the curtain over the hidden arm,
and the answer with its error in degrees; and the leaf, moon and eye icons."""

from __future__ import annotations

import numpy as np
import pygame

from game.i18n import _
from game.leveltypes.position_match.exercise import PositionMatchView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import DrawContext, draw_hand, draw_target
from game.render.widgets import panel, progress_ring, text


def draw(surface: pygame.Surface, view: PositionMatchView, ctx: DrawContext) -> None:
    if view.hidden:  # a curtain over the affected side: the arm must be felt, not seen
        _draw_curtain(surface, view, ctx)
        return
    if view.ghost is not None:
        a = ctx.vp.to_screen(np.array(view.ghost.shoulder))
        b = ctx.vp.to_screen(np.array(view.ghost.hand))
        pygame.draw.line(surface, T.YELLOW, a, b, 10)
    for t in view.targets:
        draw_target(surface, t, ctx)
    if view.answer is not None:
        c = ctx.vp.to_screen(np.array(view.answer.hand))
        pygame.draw.circle(surface, T.SKY, c, 22, 6)
        label = f"{abs(view.answer.error_deg):.0f}° away"
        text(surface, label, (c[0], c[1] - 60), 44, T.TEXT, "center", bold=True)
    draw_hand(surface, view.hud, ctx)


def _draw_curtain(surface: pygame.Surface, view: PositionMatchView, ctx: DrawContext) -> None:
    x0, y0, w, h = ctx.vp.rect
    left = view.side_sign > 0  # affected = patient's left → screen left
    rx = x0 if left else x0 + w // 2 + 60
    rect = (rx, y0 + 90, w // 2 - 60, h - 180)
    panel(surface, rect, (70, 40, 90), alpha=245, radius=24)
    cx, cy = rect[0] + rect[2] / 2, rect[1] + rect[3] / 2
    draw_icon(surface, ctx.icon, (cx, cy - 70), 110)
    progress_ring(surface, (cx, cy - 70), 80, view.progress, T.YELLOW, 12)
    text(surface, _("Arm hidden"), (cx, cy + 50), 48, T.TEXT, "center", bold=True)


def _icon_leaf(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.GREEN, (x - r * 0.85, y - r * 0.45, r * 1.7, r * 0.9))
    pygame.draw.line(s, (0, 100, 70), (x - r * 0.85, y), (x + r * 0.8, y), max(2, int(r * 0.08)))


def _icon_moon(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pygame.draw.circle(s, T.YELLOW, c, r * 0.8)
    pygame.draw.circle(s, (40, 56, 84), (c[0] + r * 0.35, c[1] - r * 0.2), r * 0.65)


def _icon_eye(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.WHITE, (x - r * 0.9, y - r * 0.45, r * 1.8, r * 0.9))
    pygame.draw.circle(s, T.BLUE, c, r * 0.35)
    pygame.draw.circle(s, T.BLACK, c, r * 0.15)


ICONS = {"leaf": _icon_leaf, "moon": _icon_moon, "eye": _icon_eye}
"""Icons position-match levels may name."""
