"""Drawing a shrug level: the shrug icon with the hold ring, and a bar of the shoulders' rise."""

from __future__ import annotations

import pygame

from game.render import theme as T
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import panel, progress_ring
from tests.leveltypes.extra.shrug.exercise import ShrugView


def draw(surface: pygame.Surface, view: ShrugView, ctx: DrawContext) -> None:
    panel(surface, (960, 150, 280, 300))
    draw_icon(surface, ctx.icon, (1100, 260), 120)
    progress_ring(surface, (1100, 260), 80, view.progress, T.YELLOW, 12)
    frac = min(max(view.rise_m / view.lift_m, 0.0), 1.5) / 1.5 if view.lift_m > 0 else 0.0
    pygame.draw.rect(surface, T.TEXT_DIM, (990, 360, 220, 30), 2, 10)
    pygame.draw.rect(surface, T.GREEN, (990, 360, int(220 * frac), 30), 0, 10)


def _icon_shrug(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a head between two raised shoulders, arrows up
    w = max(3, int(r * 0.14))
    pygame.draw.circle(s, T.SKY, (x, y - r * 0.1), r * 0.28)
    pygame.draw.lines(
        s,
        T.SKY,
        False,
        [(x - r * 0.9, y + r * 0.6), (x - r * 0.55, y + r * 0.15), (x - r * 0.2, y + r * 0.35)],
        w,
    )
    pygame.draw.lines(
        s,
        T.SKY,
        False,
        [(x + r * 0.9, y + r * 0.6), (x + r * 0.55, y + r * 0.15), (x + r * 0.2, y + r * 0.35)],
        w,
    )
    for dx in (-0.6, 0.6):
        pygame.draw.polygon(
            s,
            T.YELLOW,
            [
                (x + dx * r, y - r * 0.9),
                (x + (dx - 0.15) * r, y - r * 0.6),
                (x + (dx + 0.15) * r, y - r * 0.6),
            ],
        )


ICONS = {"shrug": _icon_shrug}
"""Icons shrug levels may name."""
