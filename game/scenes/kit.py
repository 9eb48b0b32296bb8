"""What the menu-like scenes share: the backdrop with the demo banner, and the one-menu scene.

Controls of a :class:`MenuScene`: arrows move the yellow focus ring, Enter/Space choose, a
mouse click chooses, and resting the pointer (mouse or tracked hand) on a button for 1.5 s
chooses it. Esc goes back.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import pygame

from game.actions import Act, Action
from game.i18n import N_
from game.render import theme as T
from game.render.widgets import Menu, banner
from game.scenes.base import ChoosePatient, Pop, Quit, Scene, Target, Transition
from game.scenes.services import AppServices
from game.storage.protocol import PatientStore
from game.storage.records import Patient
from game.therapist.settings_schema import PatientSettings, settings_of

DEMO_BANNER = N_("DEMO \u2013 simulated patient")


def draw_backdrop(app: AppServices, surface: pygame.Surface) -> None:
    """Background shared by the menu screens, with the demo banner when in the demo."""
    T.gradient(surface)
    if app.settings.demo:
        banner(surface, DEMO_BANNER)


def patient_text(app: AppServices, patient: Patient | None = None) -> AbstractContextManager[float]:
    """Draw inside this block at the text size of the patient reading the screen (`patient`,
    default the current one: their ``text_scale`` setting; before anyone is chosen, the
    default patient setting, which is made for older eyes)."""
    who = patient if patient is not None else app.patient
    scale = settings_of(who).text_scale if who is not None else PatientSettings().text_scale
    return T.text_scale(scale)


def name_taken(db: PatientStore, alias: str, other_than: str | None = None) -> str | None:
    """The name of another patient already called `alias` (case and spaces ignored), or None:
    two patients with one name would be two identical buttons."""
    wanted = " ".join(alias.split()).casefold()
    for p in db.list_patients(include_guests=False):
        if p.id != other_than and " ".join(p.alias.split()).casefold() == wanted:
            return p.alias
    return None


def follow_saved_patient(app: AppServices, saved: Patient) -> Transition | None:
    """After the therapist saved `saved` (fresh from the database): if that is the patient
    playing, have the stack swap in the fresh record, so the next session uses the new
    settings."""
    current = app.patient
    if current is not None and current.id == saved.id:
        return ChoosePatient(saved)
    return None


class MenuScene(Scene):
    """A screen that is mostly one big menu: subclasses set ``menu`` and say what
    :meth:`choose` does with the chosen key."""

    menu: Menu

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return self.back()
        chosen = self.menu.handle(action)
        if chosen is not None:
            self.app.play("select")
            return self.choose(chosen)
        if action.act in (Act.UP, Act.DOWN, Act.LEFT, Act.RIGHT):
            self.app.play("move")
        return None

    def update(self, dt_s: float) -> Transition | None:
        chosen = self.menu.update(dt_s)
        return self.choose(chosen) if chosen is not None else None

    def back(self) -> Transition | None:
        return Pop()

    def targets(self) -> list[Target]:
        return menu_targets(self.menu)

    def focused(self) -> str | None:
        return menu_focus(self.menu)

    def choose(self, key: str) -> Transition | None:
        raise NotImplementedError


def menu_targets(menu: Menu) -> list[Target]:
    """A menu's buttons as pointer targets."""
    return [Target(b.key, b.rect) for b in menu.buttons]


def menu_focus(menu: Menu) -> str | None:
    """The key of the menu button with the keyboard focus (None when no button has it)."""
    return menu.buttons[menu.focus].key if 0 <= menu.focus < len(menu.buttons) else None
