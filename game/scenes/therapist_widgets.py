"""Widgets of the therapist screens: a key grid (PIN pad, keyboard) and the on-screen keyboard.

The grid follows the Menu contract (``handle``/``update``/``draw``): arrows move in two
dimensions (wrapping), Enter/Space press the focused key, a click presses, and resting the
pointer on a key for ``theme.DWELL_SELECT_S`` presses it, with a progress ring.
Scenes that take typed text also offer ``type_char(ch)`` for a physical keyboard.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.actions import BACKSPACE, Act, Action
from game.i18n import N_, Text
from game.render import theme as T
from game.render.dwell import Dwell
from game.render.icons import draw_icon, register
from game.render.widgets import fit_size, panel, progress_ring, text
from game.scenes.base import Pop, Quit, Scene, Target, Transition
from game.scenes.services import AppServices


@dataclass(frozen=True)
class Key:
    key: str
    label: Text
    icon: str | None = None
    span: int = 1


class Grid:
    """Keys laid out in rows of `cols` cells inside `rect`."""

    def __init__(self, keys: list[Key], cols: int, rect: tuple[int, int, int, int], gap: int = 12,
                 font_px: int = 52) -> None:  # fmt: skip
        if not keys:
            raise ValueError("a grid needs at least one key")
        self.keys, self.cols, self.font_px = keys, cols, font_px
        x, y, w, h = rect
        rows = -(-len(keys) // cols)
        cw, ch = (w - gap * (cols - 1)) / cols, (h - gap * (rows - 1)) / rows
        self.rects = [pygame.Rect(int(x + (i % cols) * (cw + gap)), int(y + (i // cols) * (ch + gap)),
                                  int(cw), int(ch)) for i in range(len(keys))]  # fmt: skip
        self.focus = 0
        self.dwell = Dwell()

    def handle(self, action: Action) -> str | None:
        n, c = len(self.keys), self.cols
        moves = {Act.LEFT: -1, Act.RIGHT: 1, Act.UP: -c, Act.DOWN: c}
        if action.act in moves:
            self.focus = (self.focus + moves[action.act]) % n
        elif action.act is Act.SELECT:
            return self.keys[self.focus].key
        elif action.act in (Act.POINT, Act.CLICK):
            clicked = self.dwell.handle_pointer(action, self._hit)
            if self.dwell.hover is not None:
                self.focus = self.dwell.hover
            if clicked is not None:
                return self.keys[clicked].key
        return None

    def _hit(self, pos: tuple[int, int]) -> int | None:
        return next((i for i, r in enumerate(self.rects) if r.collidepoint(pos)), None)

    def update(self, dt_s: float) -> str | None:
        hit = self.dwell.tick(dt_s)
        return None if hit is None else self.keys[hit].key

    def targets(self) -> list[Target]:
        """The keys as pointer targets."""
        return [Target(k.key, (r.x, r.y, r.w, r.h)) for k, r in zip(self.keys, self.rects, strict=True)]

    def focused(self) -> str:
        return self.keys[self.focus].key

    def draw(self, surface: pygame.Surface) -> None:
        for i, (k, r) in enumerate(zip(self.keys, self.rects, strict=True)):
            focused = i == self.focus
            panel(surface, tuple(r), T.PANEL, 235, 16)  # type: ignore[arg-type]
            pygame.draw.rect(
                surface, T.FOCUS if focused else T.TEXT_DIM, r, 6 if focused else 2, border_radius=16
            )
            if k.icon:
                size = int(min(r.height - 20, 48, r.width * 0.3))
                draw_icon(surface, k.icon, (r.x + 10 + size / 2, r.centery), size)
                label = str(k.label)  # a long word shrinks to fit its key
                fs = fit_size(label, min(self.font_px - 8, 42), r.width - size - 24, focused, min_size=18)
                text(surface, label, (r.x + 16 + size, r.centery), fs, T.TEXT, "midleft", bold=focused)
            else:
                text(surface, k.label, r.center, self.font_px, T.TEXT, "center", bold=True)
            if i == self.dwell.hover and self.dwell.fraction > 0:
                progress_ring(surface, (r.right - 22, r.top + 22), 16, self.dwell.fraction, width=5)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ENTER_KEYS = ("return", "enter", "keypad enter")


class KeyboardScene(Scene):
    """Type a short text with arrows + Enter, the mouse, dwell or a real keyboard.

    Pops with the text on OK, or None on Back/Esc.
    """

    autoplay_after_s = None
    therapist_screen = True

    def __init__(self, app: AppServices, title: Text, initial: str = "", max_len: int = 40) -> None:
        super().__init__(app)
        self.title, self.value, self.max_len = title, initial, max_len
        keys = [Key(ch, ch) for ch in LETTERS] + [
            Key(" ", N_("Space")),
            Key("-", "-"),
            Key("del", N_("Delete"), "back"),
            Key("ok", N_("OK"), "play"),
        ]
        self.grid = Grid(keys, 10, (40, 230, 1200, 450), gap=10, font_px=44)
        self._typing = False

    def type_char(self, ch: str) -> None:
        """A character from a physical keyboard (``BACKSPACE`` deletes the last one).

        After typing, Enter means "done" (OK) rather than pressing the focused on-screen key;
        an arrow or the pointer hands Enter back to the on-screen keys.
        """
        self._typing = True
        self._add(ch)

    def _add(self, ch: str) -> None:
        if ch == BACKSPACE:
            self.value = self.value[:-1]
        elif len(ch) == 1 and ch.isprintable() and len(self.value) < self.max_len:
            self.value += ch

    def press(self, key: str) -> Transition | None:
        if key == "ok":
            return Pop(self.value.strip())
        if key == "del":
            self.value = self.value[:-1]
        else:
            self._add(key if not self.value or key == " " else key.lower())
        return None

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop(None)
        if action.act is Act.SELECT and self._typing and action.key in ENTER_KEYS:
            return self.press("ok")
        if action.act is not Act.SELECT:
            self._typing = False
        key = self.grid.handle(action)
        return self.press(key) if key is not None else None

    def update(self, dt_s: float) -> Transition | None:
        key = self.grid.update(dt_s)
        return self.press(key) if key is not None else None

    def targets(self) -> list[Target]:
        return self.grid.targets()

    def focused(self) -> str | None:
        return self.grid.focused()

    def draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface)
        draw_icon(surface, "pencil", (60, 60), 60)
        text(surface, self.title, (110, 60), 52, T.TEXT, "midleft", bold=True)
        panel(surface, (40, 110, 1200, 100), T.PANEL, 240, 16)
        text(surface, self.value + "_", (64, 160), 60, T.YELLOW, "midleft")
        self.grid.draw(surface)


# -- icons of the therapist screens (drawn from shapes, registered with game.render.icons) ----

P = tuple[float, float]


def _pencil(s: pygame.Surface, c: P, r: float) -> None:
    x, y = c
    pts = [
        (x - r * 0.75, y + r * 0.75),
        (x - r * 0.55, y + r * 0.25),
        (x + r * 0.45, y - r * 0.75),
        (x + r * 0.75, y - r * 0.45),
        (x - r * 0.25, y + r * 0.55),
    ]
    pygame.draw.polygon(s, T.YELLOW, pts)
    pygame.draw.polygon(s, T.BLACK, pts, 2)


def _gear(s: pygame.Surface, c: P, r: float) -> None:
    for i in range(8):
        a = i * math.pi / 4
        pygame.draw.circle(
            s, T.TEXT_DIM, (c[0] + r * 0.68 * math.cos(a), c[1] + r * 0.68 * math.sin(a)), r * 0.2
        )
    pygame.draw.circle(s, T.TEXT_DIM, c, r * 0.62)
    pygame.draw.circle(s, T.PANEL, c, r * 0.25)


def _listing(s: pygame.Surface, c: P, r: float) -> None:
    x, y = c
    for i in range(3):
        yy = y - r * 0.55 + i * r * 0.55
        pygame.draw.circle(s, T.SKY, (x - r * 0.65, yy), r * 0.14)
        pygame.draw.rect(s, T.TEXT, (x - r * 0.4, yy - r * 0.1, r * 1.2, r * 0.2))


def _export(s: pygame.Surface, c: P, r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.TEXT, (x - r * 0.7, y - r * 0.2, r * 1.4, r * 0.95), 3, border_radius=6)
    pygame.draw.line(s, T.GREEN, (x, y + r * 0.35), (x, y - r * 0.85), max(3, int(r * 0.16)))
    pygame.draw.polygon(
        s, T.GREEN, [(x - r * 0.35, y - r * 0.45), (x + r * 0.35, y - r * 0.45), (x, y - r * 0.95)]
    )


def _plus(s: pygame.Surface, c: P, r: float) -> None:
    w = max(4, int(r * 0.28))
    pygame.draw.line(s, T.GREEN, (c[0] - r * 0.7, c[1]), (c[0] + r * 0.7, c[1]), w)
    pygame.draw.line(s, T.GREEN, (c[0], c[1] - r * 0.7), (c[0], c[1] + r * 0.7), w)


def _minus(s: pygame.Surface, c: P, r: float) -> None:
    pygame.draw.line(s, T.VERMILLION, (c[0] - r * 0.7, c[1]), (c[0] + r * 0.7, c[1]), max(4, int(r * 0.28)))


def _arrow(up: bool) -> Callable[[pygame.Surface, P, float], None]:
    def draw(s: pygame.Surface, c: P, r: float) -> None:
        k = -1 if up else 1
        x, y = c
        pygame.draw.polygon(s, T.SKY, [(x - r * 0.7, y - k * r * 0.4), (x + r * 0.7, y - k * r * 0.4),
                                       (x, y + k * r * 0.6)])  # fmt: skip

    return draw


def _save(s: pygame.Surface, c: P, r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.BLUE, (x - r * 0.75, y - r * 0.75, r * 1.5, r * 1.5), border_radius=6)
    pygame.draw.rect(s, T.WHITE, (x - r * 0.45, y - r * 0.75, r * 0.9, r * 0.55))
    pygame.draw.rect(s, T.WHITE, (x - r * 0.5, y + r * 0.15, r, r * 0.5))


for _name, _fn in (("pencil", _pencil), ("gear", _gear), ("list", _listing), ("export", _export),
                   ("plus", _plus), ("minus", _minus), ("up", _arrow(True)), ("down", _arrow(False)),
                   ("save", _save)):  # fmt: skip
    register(_name, _fn)
