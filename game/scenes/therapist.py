"""Therapist mode: the PIN screen, the patient list, adding a patient, and a patient's menu.

The PIN is chosen on first use (entered twice) and stored only as a salted scrypt hash
(game/therapist/pin.py); wrong PINs lock the pad with a growing delay that survives restarts,
and the screen counts it down. Nothing past this screen is reachable without the PIN.

Controls everywhere: arrows move the yellow focus, Enter/Space press, a click presses, resting
the pointer (mouse or tracked hand) on a key for 1.5 s presses it, Esc goes back. Scenes that
take digits or text also accept a physical keyboard through ``type_char``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pygame

from game.actions import BACKSPACE, Act, Action
from game.export.writer import export_all
from game.i18n import APP_LANGUAGE_KEY, LANGUAGES, N_, Msg, Nn_, Text, _, choose_language
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, panel, text
from game.scenes.base import Pop, Push, Quit, Replace, Scene, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.progress import FamilyProgressScene
from game.scenes.services import AppServices
from game.scenes.therapist_levels import LevelPickScene
from game.scenes.therapist_plan import PlanEditorScene
from game.scenes.therapist_review import AdaptiveLogScene, SessionReviewScene
from game.scenes.therapist_settings import SettingsEditorScene
from game.scenes.therapist_widgets import Grid, Key, KeyboardScene
from game.storage.records import Patient, Side, utc_now
from game.therapist.pin import (
    FREE_TRIES,
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    PinGate,
    PinResult,
    validate_new_pin,
)
from game.therapist.settings_schema import PatientSettings, SettingsError

Clock = Callable[[], float]
"""Wall-clock seconds since the epoch (the lockout must outlive the process)."""
BAD_NEW_PIN = N_("The PIN must be {low} to {high} digits.", low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS)


def pin_message(result: PinResult) -> Msg:
    """What the PIN screen says after an attempt (from the result's numbers, in any language)."""
    if result.ok:
        return N_("PIN accepted.")
    wait = _duration(result.locked_for_s)
    if result.locked_for_s > 0 and result.failures > FREE_TRIES:
        return N_("Wrong PIN. Locked for {time}.", time=wait)
    if result.locked_for_s > 0:
        return N_("Locked. Try again in {time}.", time=wait)
    left = FREE_TRIES - result.failures
    return Nn_("Wrong PIN. {n} try before a pause.", "Wrong PIN. {n} tries before a pause.", left)


def _duration(seconds: float) -> Msg:
    whole = int(-(-seconds // 1))  # round up: "0 s" would be wrong while still locked
    return N_("{n} s", n=whole) if whole < 120 else N_("{n} min", n=-(-whole // 60))


SIDE_WORDS = {"left": N_("left"), "right": N_("right")}


def patient_label(alias: str, side: str) -> Text:
    """A patient as the therapist lists them: the alias and the affected side."""
    words = {"left": N_("{name}  (left side)", name=alias), "right": N_("{name}  (right side)", name=alias)}
    return words.get(side, alias)


def next_language(current: str | None) -> str:
    """The shipped language after `current` (the clinic-language button cycles through them)."""
    codes = list(LANGUAGES)
    return codes[(codes.index(current) + 1) % len(codes)] if current in codes else codes[0]


class PinScene(Scene):
    """Number pad: choose a PIN (first use, twice) or enter it; shows the lockout countdown."""

    autoplay_after_s = None
    therapist_screen = True

    def __init__(self, app: AppServices, clock: Clock = time.time, monotonic: Clock = time.monotonic) -> None:
        super().__init__(app)
        self.gate = PinGate(app.db, monotonic=monotonic)  # the countdown ignores clock changes
        self.clock = clock
        self.mode = "enter" if self.gate.has_pin() else "new"
        self.digits = ""
        self.first = ""
        self.message: Text = ""
        self.locked_s = self.gate.locked_for_s(clock())
        keys = [Key(str(d), str(d)) for d in range(1, 10)]
        keys += [Key("del", N_("Delete"), "back"), Key("0", "0"), Key("ok", N_("OK"), "play")]
        self.grid = Grid(keys, 3, (340, 245, 600, 410), gap=14, font_px=64)

    @property
    def title(self) -> Text:
        return {"new": N_("Choose a therapist PIN (4-8 digits)"), "confirm": N_("Enter the new PIN again"),
                "enter": N_("Therapist PIN")}[self.mode]  # fmt: skip

    def type_char(self, ch: str) -> Transition | None:
        """A key from a physical keyboard: digits type, Backspace deletes (Enter is SELECT)."""
        if ch == BACKSPACE:
            return self.press("del")
        return self.press(ch) if ch.isdigit() and len(ch) == 1 else None

    def press(self, key: str) -> Transition | None:
        if key == "del":
            self.digits = self.digits[:-1]
        elif key == "ok":
            return self.submit()
        elif len(self.digits) < PIN_MAX_DIGITS:
            self.digits += key
        return None

    def submit(self) -> Transition | None:
        pin, self.digits = self.digits, ""
        if self.mode == "new":
            try:
                validate_new_pin(pin)
            except ValueError:
                self.message = BAD_NEW_PIN
                return None
            self.first, self.mode, self.message = pin, "confirm", ""
            return None
        if self.mode == "confirm":
            if pin != self.first:
                self.mode, self.first, self.message = "new", "", N_("The two PINs differ. Choose again.")
                return None
            try:
                self.gate.set_first_pin(pin)
            except ValueError:  # another screen set one meanwhile
                self.mode, self.message = "enter", N_("A PIN was set meanwhile: enter it.")
                return None
            return Replace(TherapistHomeScene(self.app))
        result = self.gate.attempt(pin, self.clock())
        if result.ok:
            return Replace(TherapistHomeScene(self.app))
        self.message, self.locked_s = pin_message(result), result.locked_for_s
        return None

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop()
        key = self.grid.handle(action)
        return self.press(key) if key is not None else None

    def update(self, dt_s: float) -> Transition | None:
        if self.mode in ("enter", "old"):
            self.locked_s = self.gate.locked_for_s(self.clock())
        key = self.grid.update(dt_s)
        return self.press(key) if key is not None else None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "lock", (380, 90), 70)
        text(surface, self.title, (430, 90), 50, T.TEXT, "midleft", bold=True)
        panel(surface, (340, 140, 600, 90), T.PANEL, 240, 16)
        dots = " ".join("*" * len(self.digits)) or " "
        text(surface, dots, (640, 188), 72, T.YELLOW, "center", bold=True)
        if self.locked_s > 0:
            whole = int(-(-self.locked_s // 1))
            draw_icon(surface, "clock", (985, 190), 50)
            text(
                surface,
                _("Locked: wait {n} s").format(n=whole),
                (1015, 190),
                38,
                T.ORANGE,
                "midleft",
                bold=True,
            )
        if self.message:
            text(surface, self.message, (640, 708), 34, T.YELLOW, "midbottom")
        self.grid.draw(surface)


class ChangePinScene(PinScene):
    """Change the therapist PIN: the current PIN (same lockout as the PIN screen), then the new
    PIN twice. Pops with ``"PIN changed."`` when done; Esc leaves without changing anything."""

    def __init__(self, app: AppServices, clock: Clock = time.time) -> None:
        super().__init__(app, clock)
        self.mode = "old"
        self.old = ""

    @property
    def title(self) -> Text:
        return {"old": N_("Current PIN"), "new": N_("New PIN (4-8 digits)"),
                "confirm": N_("Enter the new PIN again")}[self.mode]  # fmt: skip

    def submit(self) -> Transition | None:
        pin, self.digits = self.digits, ""
        if self.mode == "old":
            result = self.gate.attempt(pin, self.clock())
            self.message, self.locked_s = ("" if result.ok else pin_message(result)), result.locked_for_s
            if result.ok:
                self.old, self.mode = pin, "new"
            return None
        if self.mode == "new":
            try:
                validate_new_pin(pin)
            except ValueError:
                self.message = BAD_NEW_PIN
                return None
            self.first, self.mode, self.message = pin, "confirm", ""
            return None
        if pin != self.first:
            self.mode, self.first, self.message = (
                "new",
                "",
                N_("The two PINs differ. Choose the new PIN again."),
            )
            return None
        result = self.gate.change_pin(self.old, pin, self.clock())
        if not result.ok:  # the old PIN stopped working meanwhile: start again
            self.mode, self.old, self.first, self.message = "old", "", "", pin_message(result)
            return None
        return Pop(N_("PIN changed."))


class TherapistHomeScene(MenuScene):
    """Patient list (behind the PIN, left, a page at a time) and the actions (right): more
    patients, add a patient, change the PIN, leave."""

    autoplay_after_s = None
    therapist_screen = True
    PAGE = 5

    def __init__(self, app: AppServices, page: int = 0, notice: Text = "") -> None:
        super().__init__(app)
        self.patients = list(app.db.list_patients(include_guests=False))
        pages = max(1, -(-len(self.patients) // self.PAGE))
        self.page, self.notice = page % pages, notice
        shown = self.patients[self.page * self.PAGE : (self.page + 1) * self.PAGE]
        left: list[tuple[str, Text, str]] = [(p.id, patient_label(p.alias, p.affected_side), "person")
                                             for p in shown]  # fmt: skip
        right: list[tuple[str, Text, str]] = []
        if pages > 1:
            right.append(
                ("__more", N_("More patients ({page}/{pages})", page=self.page + 1, pages=pages), "down")
            )
        right += [("__add", N_("Add patient"), "plus"), ("__pin", N_("Change PIN"), "lock"),
                  ("__lang", N_("Language: {name}", name=LANGUAGES[self.clinic_language()]), "gear"),
                  ("__back", N_("Leave"), "back")]  # fmt: skip
        self.menu = Menu(column(left, x=40, y=120, w=720, h=84, gap=12)
                         + column(right, x=800, y=120, w=440, h=84, gap=12))  # fmt: skip

    def clinic_language(self) -> str:
        """The clinic's language as stored (else the one the therapist screens fall back to)."""
        stored = self.app.db.get_meta(APP_LANGUAGE_KEY)
        return choose_language(override=None, therapist_screen=True, patient=None, clinic=stored,
                               system=self.app.system_language)  # fmt: skip

    def choose(self, key: str) -> Transition | None:
        if key == "__back":
            return Pop()
        if key == "__add":
            return Push(AddPatientScene(self.app))
        if key == "__pin":
            return Push(ChangePinScene(self.app))
        if key == "__lang":  # the next language; the new screen is drawn in it
            self.app.db.set_meta(APP_LANGUAGE_KEY, next_language(self.clinic_language()))
            fresh = TherapistHomeScene(self.app, self.page)
            fresh.menu.focus = self.menu.focus
            return Replace(fresh)
        if key == "__more":
            return Replace(TherapistHomeScene(self.app, self.page + 1))
        patient = next(p for p in self.patients if p.id == key)
        return Push(PatientMenuScene(self.app, patient))

    def resume(self, result: Any) -> Transition | None:
        notice = result if isinstance(result, str | Msg) else ""
        return Replace(TherapistHomeScene(self.app, self.page, notice))  # names may have changed

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "lock", (70, 64), 56)
        text(surface, _("Therapist: patients"), (110, 64), 56, T.TEXT, "midleft", bold=True)
        if not self.patients:
            text(surface, _("No patients yet: choose Add patient."), (60, 160), 32, T.YELLOW, "midleft")
        if self.notice:
            text(surface, self.notice, (640, 700), 32, T.YELLOW, "midbottom")
        self.menu.draw(surface)


class AddPatientScene(MenuScene):
    """New patient: a name or alias (on-screen keyboard) and the affected side."""

    autoplay_after_s = None
    therapist_screen = True

    def __init__(self, app: AppServices) -> None:
        super().__init__(app)
        self.alias = ""
        self.side = "left"
        self.message: Text = ""
        self.menu = self._menu()

    def _menu(self) -> Menu:
        name = self.alias or N_("(choose)")
        side = SIDE_WORDS.get(self.side, self.side)
        items = [("name", N_("Name: {name}", name=name), "pencil"),
                 ("side", N_("Affected side: {side}", side=side), "hand"),
                 ("create", N_("Create patient"), "plus"), ("back", N_("Back"), "back")]  # fmt: skip
        return Menu(column(items, x=240, y=130, w=800, h=100, gap=16))

    def _rebuild(self) -> None:
        """The same buttons with the new words, the focus kept where it was."""
        focus, self.menu = self.menu.focus, self._menu()
        self.menu.focus = focus

    def handle(self, action: Action) -> Transition | None:
        if self.menu.focus == 1 and action.act in (Act.LEFT, Act.RIGHT):
            return self.choose("side")
        return super().handle(action)

    def choose(self, key: str) -> Transition | None:
        if key == "back":
            return Pop()
        if key == "name":
            return Push(KeyboardScene(self.app, N_("Name or alias"), self.alias))
        if key == "side":
            self.side = "right" if self.side == "left" else "left"
            self._rebuild()
            return None
        return self.create()

    def create(self) -> Transition | None:
        try:
            settings = PatientSettings(alias=self.alias, affected_side=self.side)
        except SettingsError as err:
            where = N_("Name or alias") if err.key == "alias" else err.key
            self.message = N_("{setting}: {reason}", setting=where, reason=err.reason)
            return None
        taken = {p.id for p in self.app.db.list_patients(include_guests=True)}
        n = len(taken) + 1
        while f"p{n}" in taken:
            n += 1
        side: Side = "right" if self.side == "right" else "left"
        patient = Patient(f"p{n}", self.alias.strip(), side, utc_now(), settings.to_mapping())
        self.app.db.add_patient(patient)
        return Replace(PatientMenuScene(self.app, patient))

    def resume(self, result: Any) -> Transition | None:
        if isinstance(result, str):
            self.alias = result
            self._rebuild()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "plus", (270, 64), 56)
        text(surface, _("Add a patient"), (310, 64), 56, T.TEXT, "midleft", bold=True)
        text(surface, _("Left/Right changes the side."), (640, 610), 30, T.TEXT_DIM, "center")
        if self.message:
            text(surface, self.message, (640, 660), 32, T.YELLOW, "center")
        self.menu.draw(surface)


class PatientMenuScene(MenuScene):
    """One patient's therapist menu: settings, per-level settings, plan, review, log, export."""

    autoplay_after_s = None
    therapist_screen = True

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.message: Text = ""
        left = [
            ("settings", N_("Settings"), "gear"),
            ("levels", N_("Level settings"), "target"),
            ("plan", N_("Session plan"), "list"),
            ("review", N_("Sessions"), "chart"),
        ]
        right = [("adaptive", N_("Adaptive changes"), "wave"), ("family", N_("Family view"), "heart"),
                 ("export", N_("Export"), "export"), ("back", N_("Back"), "back")]  # fmt: skip
        buttons = column(left, x=60, y=130, w=560, h=100, gap=16)
        buttons += column(right, x=660, y=130, w=560, h=100, gap=16)
        self.menu = Menu(buttons)

    def choose(self, key: str) -> Transition | None:
        p = self.patient
        scenes: dict[str, Callable[[], Scene]] = {
            "settings": lambda: SettingsEditorScene(self.app, p),
            "levels": lambda: LevelPickScene(self.app, p),
            "plan": lambda: PlanEditorScene(self.app, p),
            "review": lambda: SessionReviewScene(self.app, p),
            "adaptive": lambda: AdaptiveLogScene(self.app, p),
            "family": lambda: FamilyProgressScene(self.app, p),
        }
        if key == "back":
            return Pop()
        if key == "export":
            self.message = export_all(self.app.db, p)
            return None
        return Push(scenes[key]())

    def resume(self, result: Any) -> Transition | None:
        fresh = self.app.db.get_patient(self.patient.id)
        self.patient = fresh if fresh is not None else self.patient
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "person", (90, 64), 60)
        text(surface, patient_label(self.patient.alias, self.patient.affected_side), (135, 64), 56,
             T.TEXT, "midleft", bold=True)  # fmt: skip
        notes = str(self.patient.settings.get("safety_notes", "") or "")
        if notes:
            draw_icon(surface, "heart", (80, 600), 40)
            text(surface, _("Safety: {notes}").format(notes=notes[:80]), (110, 600), 32, T.ORANGE, "midleft")
        if self.message:
            text(surface, self.message, (640, 700), 28, T.YELLOW, "midbottom")
        self.menu.draw(surface)
