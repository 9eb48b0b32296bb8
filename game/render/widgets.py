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

import pygame

from game.actions import Act, Action
from game.i18n import Text
from game.render import theme as T
from game.render.dwell import Dwell
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


def fit_text(surface: pygame.Surface, s: Text, pos: tuple[float, float], size: int, max_w: float,
             color: tuple[int, int, int] = T.TEXT, anchor: str = "topleft",
             bold: bool = False) -> pygame.Rect:  # fmt: skip
    """Draw text shrunk until it fits `max_w` pixels (large text scales and long translations
    must not overflow)."""
    s = str(s)
    return text(surface, s, pos, fit_size(s, size, max_w, bold), color, anchor, bold)


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
        """Apply one action; return the chosen button's key when one is selected.

        A horizontal row moves with Left/Right. Any other layout moves by where the buttons
        are: each arrow goes to the nearest button in its direction (Right from a left column
        goes to the right column); Up/Down past the end of a column wrap round to its other
        end; Left/Right with nothing on that side stay."""
        if action.act in (Act.UP, Act.DOWN, Act.LEFT, Act.RIGHT):
            if self.horizontal:
                step = {Act.RIGHT: 1, Act.LEFT: -1}.get(action.act, 0)
                self.focus = (self.focus + step) % len(self.buttons)
            else:
                self.focus = self._neighbour(action.act)
        elif action.act is Act.SELECT:
            # a pointer-only menu (focus -1) is never pressed by Enter
            return self._choose(self.focus) if 0 <= self.focus < len(self.buttons) else None
        elif action.act in (Act.POINT, Act.CLICK):
            clicked = self.dwell.handle_pointer(action, self._hit)
            if self.dwell.hover is not None:
                self.focus = self.dwell.hover
            if clicked is not None:
                return self._choose(clicked)
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
            room = r.right - (r.x + 40 + icon_size) - 12 - 56 * (self.dwell.hover == i)
            fit_text(
                surface, b.label, (r.x + 40 + icon_size, r.centery), 46, room, T.TEXT, "midleft", bold=focused
            )
            if i == self.dwell.hover and self.dwell.fraction > 0:
                progress_ring(surface, (r.right - 44, r.centery), 28, self.dwell.fraction)

    def _neighbour(self, act: Act) -> int:
        """The button an arrow moves the focus to (see :meth:`handle`)."""
        if not 0 <= self.focus < len(self.buttons):
            return self.focus  # a pointer-only menu: the arrows do not move into it
        dx, dy = {Act.RIGHT: (1, 0), Act.LEFT: (-1, 0), Act.DOWN: (0, 1), Act.UP: (0, -1)}[act]
        here = pygame.Rect(self.buttons[self.focus].rect).center
        best, best_cost = self.focus, math.inf
        far, far_cost = self.focus, -math.inf
        for i, b in enumerate(self.buttons):
            c = pygame.Rect(b.rect).center
            along = (c[0] - here[0]) * dx + (c[1] - here[1]) * dy
            across = abs((c[0] - here[0]) * dy) + abs((c[1] - here[1]) * dx)
            if i != self.focus and along > 0 and across < along + 1 and along + 2 * across < best_cost:
                best, best_cost = i, along + 2 * across
            if dy and across < 40 and -along > far_cost:  # same column, furthest the other way
                far, far_cost = i, -along
        if best != self.focus or dx:
            return best
        return far

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
