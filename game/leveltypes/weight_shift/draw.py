"""Drawing a weight-shift level: the chair question, then the board with the boat (the trunk),
its wake and the gate between two buoys; and the boat and marble icons."""

from __future__ import annotations

import pygame

from game.leveltypes.weight_shift.exercise import WeightShiftView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import BOARD, BOARD_HALF_PX, DrawContext, balance_board, pct_to_board
from game.render.widgets import progress_ring

PLAYER_PX = 110
"""The boat or marble (the trunk's position), in pixels: large for older eyes."""
BUOY_PX = 22


def draw(surface: pygame.Surface, view: WeightShiftView, ctx: DrawContext) -> None:
    if not balance_board(surface, view.confirm, ctx, water=True):
        return
    for p in view.trail[::6]:
        pygame.draw.circle(surface, T.SKY, pct_to_board(p, BOARD), 5)
    gate = view.gate
    if gate is not None:
        g = pct_to_board(gate.pct, BOARD)
        r = gate.radius_pct / 100.0 * BOARD_HALF_PX
        pygame.draw.circle(surface, T.YELLOW, g, r, 4)
        pygame.draw.circle(surface, T.YELLOW, g, r - 3, 3)  # thick: the gate is easy to see
        for dx in (-r, r):
            pygame.draw.circle(surface, T.VERMILLION, (g[0] + dx, g[1]), BUOY_PX)
            pygame.draw.circle(surface, T.WHITE, (g[0] + dx, g[1]), BUOY_PX, 4)
        progress_ring(surface, g, r + BUOY_PX, gate.progress, T.YELLOW, 10)
    draw_icon(surface, ctx.icon, pct_to_board(view.pos_pct, BOARD), PLAYER_PX)


def _icon_boat(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.polygon(
        s,
        T.VERMILLION,
        [
            (x - r * 0.9, y + r * 0.15),
            (x + r * 0.9, y + r * 0.15),
            (x + r * 0.55, y + r * 0.6),
            (x - r * 0.55, y + r * 0.6),
        ],
    )
    pygame.draw.line(s, T.WHITE, (x, y + r * 0.15), (x, y - r * 0.85), max(2, int(r * 0.08)))
    pygame.draw.polygon(
        s, T.WHITE, [(x + r * 0.05, y - r * 0.8), (x + r * 0.65, y + r * 0.05), (x + r * 0.05, y + r * 0.05)]
    )


def _icon_marble(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pygame.draw.circle(s, T.BLUE, c, r * 0.8)
    pygame.draw.circle(s, T.SKY, (c[0] - r * 0.15, c[1] - r * 0.15), r * 0.5)
    pygame.draw.circle(s, T.WHITE, (c[0] - r * 0.35, c[1] - r * 0.35), r * 0.16)


ICONS = {"boat": _icon_boat, "marble": _icon_marble}
"""Icons weight-shift levels may name."""
