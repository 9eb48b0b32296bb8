"""Colours, sizes and fonts: one high-contrast, colour-blind-safe look for every screen.

Colours come from the Okabe–Ito palette (safe for protanopia, deuteranopia and tritanopia);
meaning is never carried by colour alone: every state also has an icon or a word.

Text is drawn in Atkinson Hyperlegible, a typeface designed by the Braille Institute for
readers with low vision (letters that are hard to confuse: I l 1, O 0, b d p q). It draws the
Latin alphabets only; a string with a character it lacks (Cyrillic, Greek) is drawn whole in
Noto Sans instead, so words never mix typefaces and never show missing-glyph boxes. Both fonts
(SIL Open Font License) ship in assets/fonts/ with their licences.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

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


FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONTS: dict[str, tuple[str, str]] = {
    "hyperlegible": ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf"),
    "fallback": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
}
"""Font name → (regular, bold) files in FONT_DIR."""
PRIMARY, FALLBACK = "hyperlegible", "fallback"
PX_PER_SIZE = 0.6875
"""Font pixel size per designed text size. The screens were laid out with pygame's built-in
font, which draws ``Font(None, n)`` at 0.6875 n pixels; the same factor keeps every layout, and
Atkinson Hyperlegible then runs about 10 % narrower (room for longer translations)."""
_NOTDEF = "\ue000"
"""A private-use code point no font here draws: it renders as the missing-glyph box."""


def font(size: int, bold: bool = False, text: str = "") -> pygame.font.Font:
    """The font for `text` at a designed size (scaled by the current text scale): Atkinson
    Hyperlegible when it draws every character of `text`, else the fallback (Noto Sans).

    Fonts are cached by their final pixel size, so changing the scale needs no cache reset
    and screens at different scales share fonts.
    """
    px = max(int(round(size * _text_scale[0] * PX_PER_SIZE)), 1)
    return _font_px(font_name_for(text), px, bold)


def font_name_for(text: str) -> str:
    """Which font draws `text`: the primary one if it has every character, else the fallback."""
    return PRIMARY if all(has_glyph(PRIMARY, ch) for ch in set(text)) else FALLBACK


@lru_cache(maxsize=4096)
def has_glyph(name: str, ch: str) -> bool:
    """Whether font `name` draws `ch` (its rendering differs from the missing-glyph box)."""
    if ch.isspace() or ord(ch) < 0x7F:
        return True
    f = _font_px(name, 24, False)
    return _pixels(f, ch) != _pixels(f, _NOTDEF)


def _pixels(f: pygame.font.Font, ch: str) -> tuple[tuple[int, int], bytes]:
    img = f.render(ch, False, (255, 255, 255), (0, 0, 0))
    return img.get_size(), pygame.image.tobytes(img, "RGB")


@lru_cache(maxsize=128)
def _font_px(name: str, px: int, bold: bool) -> pygame.font.Font:
    path = FONT_DIR / FONTS[name][1 if bold else 0]
    if not path.is_file():  # a broken install: say which file, do not draw in a wrong font
        raise FileNotFoundError(f"font file missing: {path} (reinstall MirrorPlay)")
    return pygame.font.Font(str(path), px)


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
