"""The family progress screen: read-only, no PIN, one patient, plain words and big pictures.

Shows this week's sessions and minutes against the plan, the streak, stars, and four charts
(drawn by game/render/progress_view.py): minutes each day, how far the *affected* arm reaches
(``affected_reach_fraction``; the mirrored arm's reach is not shown here), steadier movement
(SPARC) and balance (one of ``hold_s``, ``time_in_zone_frac``, ``single_leg_stance_s``). The
plan is the patient's ``sessions_per_week`` × ``session_minutes``. Text is drawn at the
patient's ``text_scale``. Nothing on it changes settings or leads to another patient.

Controls: Enter/Space, Esc, a click or resting the pointer on "Back" for 1.5 s goes back.
``main.py progress --png`` draws the same picture offscreen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pygame

from game.actions import Act, Action
from game.i18n import N_, Text, _
from game.render import progress_view
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, text
from game.scenes.base import Pop, Replace, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.services import AppServices
from game.storage.records import Patient
from game.therapist.review import progress_summary


class FamilyProgressScene(MenuScene):
    """Read-only progress of one patient (chosen before: never a patient list here)."""

    autoplay_after_s = 4.0

    def __init__(self, app: AppServices, patient: Patient, today: date | None = None) -> None:
        super().__init__(app)
        self.patient = patient
        self.today = today or datetime.now(UTC).date()
        self.summary = progress_summary(app.db, patient, self.today)
        self.back_w = progress_view.back_button_w(self.summary.text_scale)
        top = 52 if app.settings.demo else 6
        self.menu = Menu(
            column([("back", N_("Back"), "back")], x=1260 - self.back_w, y=top, w=self.back_w, h=74)
        )

    def reader(self) -> Patient | None:
        return self.patient  # the family reads it in the patient's language, wherever it opens

    def handle(self, action: Action) -> Transition | None:
        if action.act in (Act.BACK, Act.SELECT):
            return Pop()
        return super().handle(action)

    def choose(self, key: str) -> Transition | None:
        return Pop()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with T.text_scale(self.summary.text_scale):  # the patient reads this screen
            progress_view.draw_progress(surface, self.summary, banner=bool(self.app.settings.demo),
                                        date_right_px=1260 - self.back_w - 20)  # fmt: skip
            self.menu.draw(surface)


class ProgressPickScene(MenuScene):
    """Whose progress? Shown only when several patients exist and none is chosen yet."""

    autoplay_after_s = None

    def __init__(self, app: AppServices, patients: list[Patient]) -> None:
        super().__init__(app)
        self.patients = patients[:4]
        items: list[tuple[str, Text, str]] = [(p.id, p.alias, "person") for p in self.patients]
        items.append(("__back", N_("Back"), "back"))
        self.menu = Menu(column(items, x=340, y=170, w=600, h=96, gap=18))

    def choose(self, key: str) -> Transition | None:
        if key == "__back":
            return Pop()
        return Replace(FamilyProgressScene(self.app, next(p for p in self.patients if p.id == key)))

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "chart", (300, 100), 60)
        text(surface, _("Whose progress?"), (340, 100), 64, T.TEXT, "midleft", bold=True)
        self.menu.draw(surface)


def family_scene_for(app: AppServices) -> MenuScene:
    """The family screen of the chosen (or only) patient; else a choice of patients."""
    if app.patient is not None:
        return FamilyProgressScene(app, app.patient)
    if app.settings.demo:
        demo = app.db.get_patient("demo")
        patients = [demo] if demo is not None else []
    else:
        patients = list(app.db.list_patients(include_guests=False))
    if len(patients) == 1:
        return FamilyProgressScene(app, patients[0])
    return ProgressPickScene(app, patients)
