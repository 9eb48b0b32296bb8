"""The family progress screen: read-only, one patient, plain words and big pictures.

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

import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import pygame

from game.actions import Act, Action
from game.i18n import N_, Text, _
from game.render import progress_view
from game.render import theme as T
from game.render.widgets import Menu, column
from game.scenes.base import Pop, Replace, Scene, Transition
from game.scenes.digit_pad import DigitPadScene
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.services import AppServices
from game.storage.records import Patient
from game.therapist.family_access import FAMILY_CODE_DIGITS, FamilyGate
from game.therapist.review import progress_summary

Clock = Callable[[], float]
"""Wall-clock seconds since the epoch (the wrong-code pause outlives the process)."""


class FamilyProgressScene(MenuScene):
    """Read-only progress of one patient (chosen before: never a patient list here)."""

    for_patient = True
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


class FamilyCodeScene(DigitPadScene):
    """The family's way in: the family code of one patient (set by the therapist in the
    patient's menu). Never a list of patients. Wrong codes pause the pad for a while
    (game.therapist.family_access)."""

    max_digits = FAMILY_CODE_DIGITS
    masked = False
    icon = "heart"
    for_patient = True

    def __init__(self, app: AppServices, clock: Clock = time.time) -> None:
        super().__init__(app)
        self.gate = FamilyGate(app.db)
        self.clock = clock
        self.message = _("Type the family code the therapist gave you, then OK.")

    @property
    def title(self) -> Text:
        return N_("Family code")

    def submit(self) -> Transition | None:
        code, self.digits = self.digits, ""
        result = self.gate.open(code, self.clock())
        if result.patient is None:
            self.message = result.message
            return None
        return Replace(FamilyProgressScene(self.app, result.patient))


def family_scene_for(app: AppServices) -> Scene:
    """The family screen of the patient chosen in this session (or the demo's patient);
    otherwise the family code pad: the family never sees a list of patients."""
    if app.patient is not None:
        return FamilyProgressScene(app, app.patient)
    if app.settings.demo:
        demo = app.db.get_patient("demo")
        if demo is not None:
            return FamilyProgressScene(app, demo)
    return FamilyCodeScene(app)
