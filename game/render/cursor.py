"""The hand pointer drawn over menu screens (hands-free dwell selection)."""

from __future__ import annotations

import pygame

from game.render import theme as T
from game.render.icons import draw_icon


def draw_pointer(surface: pygame.Surface, pos: tuple[int, int]) -> None:
    """A large hand in a ring: visible on any background, never mistaken for a button."""
    pygame.draw.circle(surface, T.BLACK, pos, 34)
    pygame.draw.circle(surface, T.YELLOW, pos, 34, 5)
    draw_icon(surface, "hand", pos, 44)
