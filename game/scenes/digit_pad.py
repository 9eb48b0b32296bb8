"""A number pad screen: the therapist PIN, the family code, choosing a family code.

Keys: the arrows move the yellow focus over the pad and Enter presses the focused key; digits
typed on a keyboard type, Backspace deletes, and after typing Enter means OK (as on the name
keyboard). Pointer: click a key, or rest the pointer or the raised hand on it for 1.5 s; the
Back button (or Esc) leaves. Subclasses say what the title is and what OK does.
"""

from __future__ import annotations

import pygame

from game.actions import BACKSPACE, Act, Action
from game.i18n import N_, Text
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Button, Menu, fit_text, panel, text
from game.scenes.base import Pop, Quit, Scene, Target, Transition
from game.scenes.kit import draw_backdrop, menu_targets, patient_text
from game.scenes.services import AppServices
from game.scenes.therapist_widgets import ENTER_KEYS, Grid, Key


class DigitPadScene(Scene):
    """Digits in, one OK: override :attr:`title` and :meth:`submit`."""

    autoplay_after_s = None
    max_digits = 8
    masked = True
    """Show typed digits as stars (a PIN) or as digits (a code being chosen)."""
    icon = "lock"

    def __init__(self, app: AppServices) -> None:
        super().__init__(app)
        self.digits = ""
        self.message: Text = ""
        keys = [Key(str(d), str(d)) for d in range(1, 10)]
        keys += [Key("del", N_("Delete"), "back"), Key("0", "0"), Key("ok", N_("OK"), "play")]
        self.grid = Grid(keys, 3, (340, 245, 600, 410), gap=14, font_px=64)
        self.back_button = Menu([Button("back", N_("Back"), "back", (40, 560, 260, 96))])
        self.back_button.focus = -1  # Esc is the keys' way back; the button is for a pointer
        self._typing = False
        """Digits came from a keyboard: Enter then means OK, as on the name keyboard."""

    @property
    def title(self) -> Text:
        raise NotImplementedError

    def submit(self) -> Transition | None:
        raise NotImplementedError

    def type_char(self, ch: str) -> Transition | None:
        """A key from a physical keyboard: digits type, Backspace deletes; after typing,
        Enter submits (an arrow or the pointer gives Enter back to the on-screen keys)."""
        if ch == BACKSPACE:
            return self.press("del")
        if ch.isdigit() and len(ch) == 1:
            self._typing = True
            return self.press(ch)
        return None

    def press(self, key: str) -> Transition | None:
        if key == "del":
            self.digits = self.digits[:-1]
        elif key == "ok":
            return self.submit()
        elif len(self.digits) < self.max_digits:
            self.digits += key
        return None

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop()
        if action.act is Act.SELECT and self._typing and action.key in ENTER_KEYS:
            return self.press("ok")
        if action.act is not Act.SELECT:
            self._typing = False
        if action.act in (Act.POINT, Act.CLICK) and self.back_button.handle(action) is not None:
            return Pop()
        key = self.grid.handle(action)
        return self.press(key) if key is not None else None

    def update(self, dt_s: float) -> Transition | None:
        if self.back_button.update(dt_s) is not None:
            return Pop()
        key = self.grid.update(dt_s)
        return self.press(key) if key is not None else None

    def targets(self) -> list[Target]:
        back = [Target(t.key, t.rect, keys=False) for t in menu_targets(self.back_button)]
        return self.grid.targets() + back

    def focused(self) -> str | None:
        return self.grid.focused()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        if self.for_patient:
            with patient_text(self.app):
                self._draw(surface)
        else:
            self._draw(surface)

    def _draw(self, surface: pygame.Surface) -> None:
        draw_icon(surface, self.icon, (380, 90), 70)
        fit_text(surface, self.title, (430, 90), 50, 820, T.TEXT, "midleft", bold=True)
        panel(surface, (340, 140, 600, 90), T.PANEL, 240, 16)
        shown = " ".join("*" * len(self.digits) if self.masked else self.digits) or " "
        text(surface, shown, (640, 188), 72, T.YELLOW, "center", bold=True)
        if self.message:
            fit_text(surface, self.message, (640, 708), 34, 1240, T.YELLOW, "midbottom")
        self.grid.draw(surface)
        self.back_button.draw(surface)
