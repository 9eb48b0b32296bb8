"""Title and patient-select screens.

Controls: arrows move the yellow focus ring, Enter/Space choose, a mouse click chooses, and
resting the pointer (mouse or tracked hand) on a button for 1.5 s chooses it. Esc goes back.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.i18n import N_, Text, _
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, fit_text
from game.scenes.base import ChoosePatient, Pop, Push, Quit, Replace, Transition
from game.scenes.calibration import CalibrationScene
from game.scenes.kit import MenuScene, draw_backdrop, patient_text
from game.scenes.play import start_play
from game.scenes.progress import family_scene_for
from game.scenes.services import AppServices
from game.scenes.therapist import PinScene
from game.storage.records import Patient

APP_NAME = "MirrorPlay"
"""The game's name: the same in every language."""


class TitleScene(MenuScene):
    """First screen: play, or quit."""

    for_patient = True
    autoplay_after_s = 3.0
    """The demo waits this long on the title, so a viewer can read it."""

    def __init__(self, app: AppServices) -> None:
        super().__init__(app)
        items = [
            ("play", N_("Play"), "play"),
            ("calibrate", N_("Measure me"), "person"),
            ("progress", N_("Progress"), "chart"),
        ]
        more = [("therapist", N_("Therapist"), "lock"), ("quit", N_("Quit"), "quit")]
        self.menu = Menu(
            column(items, x=130, y=280, w=500, h=100, gap=18)
            + column(more, x=650, y=280, w=500, h=100, gap=18)
        )

    def back(self) -> Transition | None:
        return Quit()

    def choose(self, key: str) -> Transition | None:
        if key == "quit":
            return Quit()
        if key == "progress":
            return Push(family_scene_for(self.app))
        if key == "therapist":
            return Push(PinScene(self.app))
        if key == "calibrate":
            if self.app.patient is not None:
                return Push(CalibrationScene(self.app, self.app.patient))
            return Push(PatientSelectScene(self.app, purpose="calibrate"))
        if self.app.patient is not None:
            return Push(start_play(self.app))
        return Push(PatientSelectScene(self.app))

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            draw_icon(surface, "hand", (400, 140), 110)
            fit_text(surface, APP_NAME, (470, 140), 110, 700, T.TEXT, "midleft", bold=True)
            fit_text(surface, _("Move your good arm - watch both arms move."), (640, 232), 40, 1200,
                     T.TEXT_DIM, "center")  # fmt: skip
            if self.app.notice:
                fit_text(surface, self.app.notice, (640, 680), 32, 1240, T.YELLOW, "center")
            self.menu.draw(surface)


class PatientSelectScene(MenuScene):
    """Who is playing (or being measured)? One key or one hand is enough; the patients come
    :attr:`PAGE` at a time with a "More patients" button when there are more."""

    PAGE = 4
    for_patient = True

    def __init__(self, app: AppServices, purpose: str = "play", page: int = 0) -> None:
        super().__init__(app)
        self.purpose = purpose
        self.patients = self._patients()
        pages = max(1, -(-len(self.patients) // self.PAGE))
        self.page = page % pages
        shown = self.patients[self.page * self.PAGE : (self.page + 1) * self.PAGE]
        left: list[tuple[str, Text, str]] = [(p.id, p.alias, "person") for p in shown]
        more = N_("More patients ({page} of {pages})", page=self.page + 1, pages=pages)
        right: list[tuple[str, Text, str]] = [("__more", more, "down")] if pages > 1 else []
        buttons = column(left, x=160, y=160, w=600, h=96, gap=16)
        buttons += column(right, x=800, y=160, w=400, h=96)
        buttons += column([("__back", N_("Back"), "back")], x=800, y=496, w=400, h=96)
        self.menu = Menu(buttons)

    def _patients(self) -> list[Patient]:
        db = self.app.db
        if self.app.settings.demo:
            demo = db.get_patient("demo")
            return [demo] if demo is not None else []
        return list(db.list_patients(include_guests=False))

    def choose(self, key: str) -> Transition | None:
        if key == "__back":
            return Pop()
        if key == "__more":
            return Replace(PatientSelectScene(self.app, self.purpose, self.page + 1))
        patient = next(p for p in self.patients if p.id == key)
        if self.purpose == "calibrate":
            return ChoosePatient(patient, lambda: Push(CalibrationScene(self.app, patient)))
        return ChoosePatient(patient, lambda: Push(start_play(self.app)))

    def resume(self, result: Any) -> Transition | None:
        return Pop()  # after playing, go back to the title screen

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            fit_text(surface, _("Who is playing?"), (640, 90), 64, 1200, T.TEXT, "center", bold=True)
            if not self.patients:
                fit_text(surface, _("No patients yet - the therapist adds them."), (640, 660), 34, 1200,
                         T.YELLOW, "center")  # fmt: skip
            self.menu.draw(surface)
