"""The therapist's level chooser: pick one level to give it its own settings (per-level
overrides, edited in game/scenes/therapist_settings.py)."""

from __future__ import annotations

from typing import Any

import pygame

from game.actions import Act, Action
from game.i18n import N_, Msg, Text, _
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, fit_text, text
from game.scenes.base import Pop, Push, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.services import AppServices
from game.scenes.therapist_settings import SettingsEditorScene
from game.session.plan import allowed_levels
from game.storage.records import Patient
from game.therapist.settings_schema import settings_of


class LevelPickScene(MenuScene):
    """Choose a level to give its own settings: a scrolling list, :attr:`VISIBLE` at a time.

    Up/Down move through the levels (the list scrolls) and on to Back; Left/Right or the
    "Earlier"/"More" buttons (click or dwell, for pointer-only use) turn a page.
    """

    autoplay_after_s = None
    therapist_screen = True
    VISIBLE = 7

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.ids = list(allowed_levels(app.levels, settings_of(patient).seated_only))
        self.cursor = 0
        """Index into the levels; ``len(self.ids)`` is the Back button."""
        self.first = 0
        self._build()

    def _build(self) -> None:
        n = len(self.ids)
        if self.cursor < n:
            self.first = min(max(self.first, self.cursor - self.VISIBLE + 1), self.cursor)
        self.first = max(0, min(self.first, n - self.VISIBLE))
        shown = self.ids[self.first : self.first + self.VISIBLE]
        levels = self.app.levels
        items: list[tuple[str, Text, str]] = [
            (lid, Msg(levels[lid].title), levels[lid].icon) for lid in shown
        ]
        pager: list[tuple[str, Text, str]] = [("__prev", N_("Earlier"), "up"), ("__next", N_("More"), "down")]
        pager = pager if n > self.VISIBLE else []
        buttons = column(items, x=200, y=120, w=800, h=62, gap=10)
        buttons += column(pager, x=1030, y=120, w=230, h=96, gap=16)
        buttons += column([("__back", N_("Back"), "back")], x=1030, y=612, w=230, h=96)
        self.menu = Menu(buttons)
        self.menu.focus = self.cursor - self.first if self.cursor < n else len(buttons) - 1

    def handle(self, action: Action) -> Transition | None:
        moves = {Act.UP: -1, Act.DOWN: 1, Act.LEFT: -self.VISIBLE, Act.RIGHT: self.VISIBLE}
        if action.act in moves:
            self.app.play("move")
            step = moves[action.act]
            if abs(step) == 1:
                self.cursor = (self.cursor + step) % (len(self.ids) + 1)
            else:
                self.page(step)
            self._build()
            return None
        out = super().handle(action)
        if action.act in (Act.POINT, Act.CLICK) and not isinstance(out, Push):
            self._sync()
        return out

    def _sync(self) -> None:
        """Follow a pointer's focus: a level row or Back becomes the keyboard cursor."""
        shown = min(self.VISIBLE, len(self.ids) - self.first)
        key = self.menu.buttons[self.menu.focus].key
        if self.menu.focus < shown:
            self.cursor = self.first + self.menu.focus
        elif key == "__back":
            self.cursor = len(self.ids)

    def page(self, step: int) -> None:
        """Scroll a page (keeps the focus on a level in view)."""
        n = len(self.ids)
        self.first = max(0, min(self.first + step, n - self.VISIBLE))
        self.cursor = min(max(self.cursor, self.first), self.first + self.VISIBLE - 1, n - 1)

    def choose(self, key: str) -> Transition | None:
        if key == "__back":
            return Pop()
        if key in ("__prev", "__next"):
            self.page(-self.VISIBLE if key == "__prev" else self.VISIBLE)
            self._build()
            return None
        return Push(SettingsEditorScene(self.app, self.patient, level_id=key))

    def resume(self, result: Any) -> Transition | None:
        self.patient = self.app.db.get_patient(self.patient.id) or self.patient
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "target", (60, 64), 56)
        title = _("{name}: settings for one level").format(name=self.patient.alias)
        fit_text(surface, title, (100, 64), 50, 820, T.TEXT, "midleft", bold=True)
        n = len(self.ids)
        last = min(self.first + self.VISIBLE, n)
        levels = _("Levels {first}-{last} of {total}").format(first=self.first + 1, last=last, total=n)
        text(surface, levels, (1240, 64), 30, T.TEXT_DIM, "midright")
        if self.first > 0:
            draw_icon(surface, "up", (600, 104), 26)
        if last < n:
            draw_icon(surface, "down", (600, 640), 26)
        self.menu.draw(surface)
