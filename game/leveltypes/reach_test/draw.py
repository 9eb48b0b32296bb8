"""Drawing the functional reach test: the shared guided-test screen, and its icon."""

from __future__ import annotations

import pygame

from game.render import theme as T
from game.render.leg_views import draw_guided

draw = draw_guided


def _icon_reach_forward(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a person leaning forward, arm out, a ruler under the fist
    w = max(3, int(r * 0.13))
    pygame.draw.circle(s, T.SKY, (x - r * 0.2, y - r * 0.55), r * 0.18)
    pygame.draw.line(s, T.SKY, (x - r * 0.35, y - r * 0.35), (x - r * 0.6, y + r * 0.3), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.6, y + r * 0.3), (x - r * 0.6, y + r * 0.9), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.3, y - r * 0.3), (x + r * 0.5, y - r * 0.3), w)
    pygame.draw.circle(s, T.ORANGE, (x + r * 0.6, y - r * 0.3), r * 0.14)
    pygame.draw.line(s, T.YELLOW, (x - r * 0.2, y - r * 0.05), (x + r * 0.9, y - r * 0.05), max(2, w // 2))
    for k in range(5):
        xx = x - r * 0.2 + k * r * 0.27
        pygame.draw.line(s, T.YELLOW, (xx, y - r * 0.05), (xx, y + r * 0.08), max(2, w // 3))


ICONS = {"reach_forward": _icon_reach_forward}
"""Icons the functional reach test may name."""
