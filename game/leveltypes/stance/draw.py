"""Drawing a stance level: the chair question, then the calm zone (green inside, orange out),
the hold clock, the live sway trace and the standing figure; and the one-leg balance icon."""

from __future__ import annotations

import math

import pygame

from game.leveltypes.stance.exercise import StanceView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.leg_views import draw_guidance
from game.render.level_views import BOARD, BOARD_HALF_PX, DrawContext, balance_board, pct_to_board
from game.render.widgets import progress_ring, text


def draw(surface: pygame.Surface, view: StanceView, ctx: DrawContext) -> None:
    if not balance_board(surface, view.confirm, ctx, water=False):
        return
    if view.guidance is not None:
        draw_guidance(surface, view.guidance)
        return
    centre = pct_to_board((0.0, 0.0), BOARD)
    zone_r = view.zone_pct / 100.0 * BOARD_HALF_PX
    inside = math.hypot(*view.pos_pct) <= view.zone_pct
    pygame.draw.circle(surface, T.GREEN if inside else T.ORANGE, centre, zone_r, 6)
    hold = view.hold
    if hold is not None:
        progress_ring(surface, centre, zone_r + 16, hold.progress, T.YELLOW, 12)
        label = f"{int(hold.held_s)} / {int(round(hold.target_s))} s"
        draw_icon(surface, "sun", (BOARD[0] + 40, BOARD[1] + 40), 44)
        text(surface, label, (BOARD[0] + 70, BOARD[1] + 40), 44, T.TEXT, "midleft", bold=True)
    _draw_trace(surface, view.trace)
    draw_icon(surface, "balance" if view.single_leg else "person", pct_to_board(view.pos_pct, BOARD), 90)


def _draw_trace(surface: pygame.Surface, trace: tuple[float, ...]) -> None:
    """Live sway trace: lateral lean over the last seconds, newest at right."""
    if len(trace) < 2:
        return
    x0, w, y0 = BOARD[0] + 20, BOARD[2] - 40, BOARD[1] + BOARD[3] - 34
    n = len(trace)
    pts = [(x0 + w * i / (n - 1), y0 - max(min(v, 100.0), -100.0) / 100.0 * 24) for i, v in enumerate(trace)]
    pygame.draw.lines(surface, T.SKY, False, pts, 3)


def _icon_balance(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a person standing on one leg, arms out
    w = max(3, int(r * 0.14))
    pygame.draw.circle(s, T.SKY, (x, y - r * 0.7), r * 0.2)
    pygame.draw.line(s, T.SKY, (x, y - r * 0.5), (x, y + r * 0.2), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.75, y - r * 0.35), (x + r * 0.75, y - r * 0.35), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.2), (x, y + r * 0.9), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.2), (x + r * 0.45, y + r * 0.45), w)


ICONS = {"balance": _icon_balance}
"""Icons stance levels may name."""
