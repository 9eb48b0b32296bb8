"""Widgets: large icon buttons with keyboard focus, mouse click and dwell-to-select.

A :class:`Menu` follows the three-call contract (pygame_gui): ``handle(action)``,
``update(dt_s)``, ``draw(surface)``. Arrows move the focus, Enter/Space select, a click
selects, and a pointer (mouse or tracked hand) resting on a button for
``theme.DWELL_SELECT_S`` selects it, with a progress ring while it dwells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pygame

from game.actions import Act, Action
from game.i18n import Text
from game.render import theme as T
from game.render.icons import draw_icon
from game.storage.records import printable


@dataclass(frozen=True)
class Button:
    key: str
    label: Text
    """Words on the button: a name as it is, or a :class:`~game.i18n.Msg` translated when drawn."""
    icon: str
    rect: tuple[int, int, int, int]
    color: tuple[int, int, int] = T.PANEL


def text(
    surface: pygame.Surface,
    s: Text,
    pos: tuple[float, float],
    size: int = 36,
    color: tuple[int, int, int] = T.TEXT,
    anchor: str = "topleft",
    bold: bool = False,
    shadow: bool = True,
) -> pygame.Rect:
    """Draw text with a dark shadow (readable over any picture); returns its rect.

    A :class:`~game.i18n.Msg` is translated into the active language first; the font is the
    one that draws every character of the words (theme.font)."""
    s = str(s)
    f = T.font(size, bold, s)
    img = _rendered(f, s, color)
    rect = img.get_rect(**{anchor: (int(pos[0]), int(pos[1]))})
    if shadow:
        surface.blit(_rendered(f, s, T.BLACK), rect.move(2, 2))
    surface.blit(img, rect)
    return rect


@lru_cache(maxsize=512)
def _rendered(f: pygame.font.Font, s: str, color: tuple[int, int, int]) -> pygame.Surface:
    """One rendered text line, kept: the HUD redraws the same words 60 times a second and a
    render costs far more than a blit. Keyed on the font object, so a new text scale (a new
    font) renders afresh."""
    # Stored text may predate the name checks: a NUL makes pygame raise, other control
    # characters draw as boxes. Drop them here, the one place text is rendered.
    return f.render(printable(s), True, color)


def progress_ring(
    surface: pygame.Surface,
    centre: tuple[float, float],
    radius: float,
    fraction: float,
    color: tuple[int, int, int] = T.YELLOW,
    width: int = 8,
) -> None:
    """A ring that fills clockwise from the top as ``fraction`` goes 0 → 1."""
    if fraction <= 0:
        return
    rect = pygame.Rect(0, 0, radius * 2, radius * 2)
    rect.center = (int(centre[0]), int(centre[1]))
    start = math.pi / 2 - 2 * math.pi * min(fraction, 1.0)
    pygame.draw.arc(surface, color, rect, start, math.pi / 2, width)


def panel(
    surface: pygame.Surface,
    rect: tuple[int, int, int, int],
    color: tuple[int, int, int] = T.PANEL,
    alpha: int = 215,
    radius: int = 18,
) -> None:
    """A translucent rounded panel behind text."""
    r = pygame.Rect(rect)
    surface.blit(_panel_layer(r.size, tuple(color), alpha, radius), r.topleft)


@lru_cache(maxsize=64)
def _panel_layer(size: tuple[int, int], color: tuple[int, ...], alpha: int, radius: int) -> pygame.Surface:
    """The translucent rounded rectangle of :func:`panel`, drawn once per size and colour."""
    layer = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(layer, (*color, alpha), layer.get_rect(), border_radius=radius)
    return layer


def banner(surface: pygame.Surface, s: Text, color: tuple[int, int, int] = T.ORANGE) -> None:
    """A clearly visible strip at the top (e.g. "DEMO – simulated patient")."""
    w = surface.get_width()
    pygame.draw.rect(surface, color, (0, 0, w, 44))
    draw_icon(surface, "robot", (30, 22), 34)
    text(surface, s, (56, 22), 34, T.BLACK, "midleft", bold=True, shadow=False)


class Dwell:
    """Dwell-to-select over any set of targets: rest the pointer on one for
    ``theme.DWELL_SELECT_S`` (about 1.5 s) to choose it. Shared by every widget that dwells."""

    def __init__(self) -> None:
        self.hover: Any = None
        self.t_s = 0.0

    def point(self, hit: Any) -> None:
        """The pointer is now over ``hit`` (None: over nothing); a new target restarts the clock."""
        if hit != self.hover:
            self.hover, self.t_s = hit, 0.0

    def tick(self, dt_s: float) -> Any:
        """Advance; return the target when its dwell completes (then start again), else None."""
        if self.hover is None:
            return None
        self.t_s += dt_s
        if self.t_s >= T.DWELL_SELECT_S:
            self.t_s = 0.0
            return self.hover
        return None

    @property
    def fraction(self) -> float:
        """Progress of the current dwell, 0–1 (for the progress ring)."""
        return self.t_s / T.DWELL_SELECT_S if self.hover is not None else 0.0


class Menu:
    """A vertical or horizontal list of big buttons."""

    def __init__(self, buttons: list[Button], *, horizontal: bool = False) -> None:
        if not buttons:
            raise ValueError("a menu needs at least one button")
        self.buttons = buttons
        self.horizontal = horizontal
        self.focus = 0
        self.dwell = Dwell()
        self.chosen: str | None = None

    def handle(self, action: Action) -> str | None:
        """Apply one action; return the chosen button's key when one is selected."""
        nxt = (Act.RIGHT, Act.DOWN) if not self.horizontal else (Act.RIGHT,)
        prev = (Act.LEFT, Act.UP) if not self.horizontal else (Act.LEFT,)
        if action.act in nxt:
            self.focus = (self.focus + 1) % len(self.buttons)
        elif action.act in prev:
            self.focus = (self.focus - 1) % len(self.buttons)
        elif action.act is Act.SELECT:
            return self._choose(self.focus)
        elif action.act in (Act.POINT, Act.CLICK) and action.pos is not None:
            hit = self._hit(action.pos)
            if hit is not None:
                self.focus = hit
                if action.act is Act.CLICK:
                    return self._choose(hit)
            self.dwell.point(hit)
        return None

    def update(self, dt_s: float) -> str | None:
        """Advance dwell-to-select; return the chosen key when the dwell completes."""
        hit = self.dwell.tick(dt_s)
        return None if hit is None else self._choose(hit)

    def draw(self, surface: pygame.Surface) -> None:
        for i, b in enumerate(self.buttons):
            r = pygame.Rect(b.rect)
            focused = i == self.focus
            panel(surface, b.rect, b.color, 235, 22)
            pygame.draw.rect(
                surface, T.FOCUS if focused else T.TEXT_DIM, r, 6 if focused else 2, border_radius=22
            )
            icon_size = min(r.height - 24, 84)
            draw_icon(surface, b.icon, (r.x + 20 + icon_size / 2, r.centery), icon_size)
            label = str(b.label)
            size = fit_size(label, 46, r.width - icon_size - 60 - 56 * (self.dwell.hover == i), focused)
            text(surface, label, (r.x + 40 + icon_size, r.centery), size, T.TEXT, "midleft", bold=focused)
            if i == self.dwell.hover and self.dwell.fraction > 0:
                progress_ring(surface, (r.right - 44, r.centery), 28, self.dwell.fraction)

    def _hit(self, pos: tuple[int, int]) -> int | None:
        for i, b in enumerate(self.buttons):
            if pygame.Rect(b.rect).collidepoint(pos):
                return i
        return None

    def _choose(self, index: int) -> str:
        self.chosen = self.buttons[index].key
        return self.chosen


def fit_size(s: str, size: int, max_w: float, bold: bool = False, min_size: int = 14) -> int:
    """The largest font size <= `size` (design px, before the text scale) at which `s` is at
    most `max_w` pixels wide (never below `min_size`): a longer translation shrinks to fit."""
    while size > min_size and T.font(size, bold, s).size(s)[0] > max_w:
        size -= 2
    return size


def column(
    keys_labels_icons: Sequence[tuple[str, Text, str]], *, x: int, y: int, w: int, h: int = 110, gap: int = 22
) -> list[Button]:
    """Lay out buttons in a column."""
    return [
        Button(k, label, icon, (x, y + i * (h + gap), w, h))
        for i, (k, label, icon) in enumerate(keys_labels_icons)
    ]
