"""Colours, sizes and fonts: one high-contrast, colour-blind-safe look for every screen.

Colours come from the Okabe–Ito palette (safe for protanopia, deuteranopia and tritanopia);
meaning is never carried by colour alone: every state also has an icon or a word.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

BG_TOP = (16, 24, 48)
BG_BOTTOM = (30, 52, 88)
PANEL = (12, 18, 36)
TEXT = (250, 250, 250)
TEXT_DIM = (200, 210, 225)
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)

MIRROR_ARM = SKY
"""The mirrored (virtual) affected arm."""
OWN_ARM = ORANGE
"""The patient's own tracked arm."""
FOCUS = YELLOW
"""Keyboard / dwell focus ring."""

MIN_TARGET_PX = 96
"""Smallest interactive target on screen (large targets for tremor and low vision)."""
DWELL_SELECT_S = 1.5
"""Hover time that selects a button with the tracked hand or a still mouse."""

_text_scale = [1.0]


def set_text_scale(scale: float) -> None:
    """Adjustable text size (therapist setting), 0.8–1.6."""
    _text_scale[0] = min(max(scale, 0.8), 1.6)
    font.cache_clear()


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The game font at a size (scaled by the text-size setting)."""
    f = pygame.font.Font(None, int(size * _text_scale[0]))
    f.set_bold(bold)
    return f


def gradient(surface: pygame.Surface, top: tuple[int, int, int] = BG_TOP,
             bottom: tuple[int, int, int] = BG_BOTTOM) -> None:
    """Fill a surface with a calm vertical gradient (drawn once per size and colours)."""
    surface.blit(_gradient(surface.get_size(), top, bottom), (0, 0))


@lru_cache(maxsize=8)
def _gradient(size: tuple[int, int], top: tuple[int, int, int],
              bottom: tuple[int, int, int]) -> pygame.Surface:
    w, h = size
    out = pygame.Surface(size)
    for i in range(0, h, 4):
        t = i / max(h - 1, 1)
        c = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        pygame.draw.rect(out, c, (0, i, w, 4))
    return out
