"""Colours, sizes and fonts: one high-contrast, colour-blind-safe look for every screen.

Colours come from the Okabe–Ito palette (safe for protanopia, deuteranopia and tritanopia);
meaning is never carried by colour alone: every state also has an icon or a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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

DWELL_SELECT_S = 1.5
"""Hover time that selects a button with the tracked hand or a still mouse."""

TEXT_SCALE_MIN = 1.0
TEXT_SCALE_MAX = 1.6
"""Allowed text sizes (× the designed size). 1.6 is the largest at which the screens that
follow the patient's ``text_scale`` (the family progress screen) still fit in 1280 × 720
(docs/family/04_text_scale_max.png); game.therapist.settings_schema uses the same range."""

_text_scale = [1.0]
"""The current scale; changed only by :func:`set_text_scale` and :func:`text_scale`."""


def clamp_text_scale(scale: float) -> float:
    """`scale` within [TEXT_SCALE_MIN, TEXT_SCALE_MAX]; NaN gives 1."""
    if scale != scale:
        return 1.0
    return min(max(float(scale), TEXT_SCALE_MIN), TEXT_SCALE_MAX)


def set_text_scale(scale: float) -> None:
    """Adjustable text size (the patient's ``text_scale`` setting), clamped to the range above."""
    _text_scale[0] = clamp_text_scale(scale)


def get_text_scale() -> float:
    return _text_scale[0]


@contextmanager
def text_scale(scale: float) -> Iterator[float]:
    """Draw with text `scale` inside the block, then restore the previous scale."""
    before = _text_scale[0]
    _text_scale[0] = clamp_text_scale(scale)
    try:
        yield _text_scale[0]
    finally:
        _text_scale[0] = before


def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The game font at a size (scaled by the current text scale).

    Fonts are cached by their final pixel size, so changing the scale needs no cache reset
    and screens at different scales share fonts.
    """
    return _font_px(max(int(round(size * _text_scale[0])), 1), bold)


@lru_cache(maxsize=128)
def _font_px(px: int, bold: bool) -> pygame.font.Font:
    f = pygame.font.Font(None, px)
    f.set_bold(bold)
    return f


def clear_font_cache() -> None:
    """Forget every font (they die with ``pygame.quit()``; call after re-initialising)."""
    _font_px.cache_clear()


def gradient(
    surface: pygame.Surface, top: tuple[int, int, int] = BG_TOP, bottom: tuple[int, int, int] = BG_BOTTOM
) -> None:
    """Fill a surface with a calm vertical gradient (drawn once per size and colours)."""
    surface.blit(_gradient(surface.get_size(), top, bottom), (0, 0))


@lru_cache(maxsize=8)
def _gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> pygame.Surface:
    w, h = size
    out = pygame.Surface(size)
    for i in range(0, h, 4):
        t = i / max(h - 1, 1)
        c = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        pygame.draw.rect(out, c, (0, i, w, 4))
    return out
