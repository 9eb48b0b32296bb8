"""Therapist settings editor (drawn from ``SPECS``): the patient's settings or one level's overrides.

Keys: Up/Down choose a row (the list scrolls to keep it in view); Left/Right change its
value by one step within the allowed range (choices cycle, on/off toggles); digits typed on
a number row replace the value when Enter is pressed (Enter with nothing typed changes
nothing); Enter on a text row opens the on-screen keyboard, on a choice row it takes the next
choice. The last rows are Save and Back. Every change is checked by ``PatientSettings`` at
once: a bad value shows the reason and changes nothing; a limit that other settings lie
beyond (Max reach below the Target distance) offers to lower them too, naming each one.

Pointer (mouse or tracked hand): the < and > ends of a row step once per click or dwell; a
click on a text row opens the keyboard; the bar below has Earlier / More (scroll the list),
Save and Back. The list never scrolls under a resting pointer. "Save" writes through
``update_patient_settings(..., who="therapist")``, which logs each changed key with its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.actions import BACKSPACE, Act, Action
from game.i18n import N_, Nn_, Text, _
from game.render import theme as T
from game.render.dwell import Dwell
from game.render.icons import draw_icon
from game.render.widgets import Button, Menu, fit_text, text
from game.scenes.base import Pop, Push, Quit, Scene, Target, Transition
from game.scenes.kit import draw_backdrop, follow_saved_patient, menu_targets, name_taken
from game.scenes.services import AppServices
from game.scenes.therapist_settings_view import (
    ROW_H,
    STEPS,
    VISIBLE_ROWS,
    Row,
    RowLook,
    draw_row,
    editor_rows,
    fmt_value,
    help_line,
    spec_of,
    with_unit,
)
from game.scenes.therapist_widgets import KeyboardScene
from game.storage.records import Patient, utc_now
from game.therapist.settings_fit import describe, lowered_to_fit
from game.therapist.settings_schema import PatientSettings, SettingsError, diff, settings_of

__all__ = ["STEPS", "SettingsEditorScene"]
BAR = (("__earlier", N_("Earlier"), "up"), ("__more", N_("More"), "down"), ("__save", N_("Save"), "save"),
       ("__back", N_("Back"), "back"))  # fmt: skip
"""The bar under the list: scroll, Save and Back are always in view."""


@dataclass(frozen=True)
class Offer:
    """A change refused because other settings lie beyond it, offered with those lowered."""

    key: str
    direction: int
    settings: PatientSettings
    what: str


class SettingsEditorScene(Scene):
    """Edit one patient's settings, or one level's overrides when `level_id` is given."""

    autoplay_after_s = None
    therapist_screen = True

    def __init__(self, app: AppServices, patient: Patient, level_id: str | None = None) -> None:
        super().__init__(app)
        self.patient, self.level_id = patient, level_id
        self.saved = settings_of(patient)
        self.draft = self.saved
        self.rows = editor_rows(level_id)
        self.listed = [r for r in self.rows if r.key not in ("__save", "__back")]
        """The rows in the scrolling list (Save and Back live in the bar)."""
        self.focus = 0
        self.first = 0
        self.buffer = ""
        self.message: Text = ""
        self.offer: Offer | None = None
        self._confirm_back = False
        self.dwell = Dwell()
        self.bar = Menu([Button(k, label, icon, (40 + i * 306, 612, 290, 60)) for i, (k, label, icon) in
                         enumerate(BAR)], horizontal=True)  # fmt: skip

    # -- values --------------------------------------------------------------------------

    @property
    def row(self) -> Row:
        return self.rows[self.focus]

    def value(self, key: str) -> Any:
        if key.startswith("bounds:"):
            _, param, i = key.split(":")
            pair = self.draft.adaptive_bounds.get(param)
            return None if pair is None else pair[int(i)]
        if self.level_id is not None:
            return getattr(self.draft.effective_for_level(self.level_id), key)
        return getattr(self.draft, key)

    def overridden(self, key: str) -> bool:
        return self.level_id is not None and key in self.draft.level_overrides.get(self.level_id, {})

    def unsaved(self) -> bool:
        """Changes on screen that Save has not written yet."""
        return bool(diff(self.saved, self.draft))

    def set_value(self, key: str, value: Any, direction: int = 0) -> bool:
        """Apply a change if valid; otherwise show why (or offer the fitting change) and keep
        the draft. Returns success."""
        label = next((r.label for r in self.rows if r.key == key), key)
        try:
            new = self._changed(key, value)
        except SettingsError as err:
            fit = lowered_to_fit(self.draft, key, value) if self.level_id is None else None
            if fit is None or not fit[1]:
                self.message = N_("Not changed - {setting}: {reason}", setting=label, reason=err.reason)
                return False
            spec = spec_of(key)
            unit = spec.unit if spec is not None else ""
            what = describe(fit[1], "")
            self.offer = Offer(key, direction, fit[0], what)
            again = Nn_(
                "Press again to lower it to {value} too.",
                "Press again to lower them to {value} too.",
                len(fit[1]),
                value=fmt_value(value),
            )
            self.message = N_("{setting} {value} is below {what}. {again}", setting=label,
                              value=with_unit(value, unit), what=what, again=again)  # fmt: skip
            return False
        self.draft, self.message, self._confirm_back = new, "", False
        return True

    def _changed(self, key: str, value: Any) -> PatientSettings:
        if key.startswith("bounds:"):
            _, param, i = key.split(":")
            bounds = {k: list(v) for k, v in self.draft.adaptive_bounds.items()}
            pair = bounds.setdefault(param, [float(getattr(self.draft, param))] * 2)
            pair[int(i)] = value
            return self.draft.with_change("adaptive_bounds", bounds)
        return self.draft.with_change(key, value, level_id=self.level_id)

    def step(self, direction: int) -> None:
        key = self.row.key
        offer, self.offer = self.offer, None
        if offer is not None and offer.key == key and offer.direction in (0, direction):
            self.draft, self._confirm_back = offer.settings, False
            self.message = N_("Lowered {what} too (press Save to keep).", what=offer.what)
            return
        spec = spec_of(key)
        if spec is None:
            return
        current = self.value(key)
        if spec.type is bool:
            self.set_value(key, not current, direction)
        elif spec.choices is not None:
            options: list[Any] = ([None] if spec.optional else []) + list(spec.choices)
            i = options.index(current) if current in options else 0
            self.set_value(key, options[(i + direction) % len(options)], direction)
        elif spec.type in (int, float):
            lo, hi = float(spec.min or 0.0), float(spec.max or 0.0)
            name = key.split(":")[1] if key.startswith("bounds:") else key
            new = min(
                max(float(current if current is not None else lo) + direction * STEPS.get(name, 1.0), lo), hi
            )
            self.set_value(key, int(round(new)) if spec.type is int else round(new, 4), direction)
        else:
            self.message = N_("Press Enter to type.")

    def type_char(self, ch: str) -> None:
        """Typed key from a physical keyboard: digits, '.' and '-' build a number; Backspace
        deletes the last one. Letters type nothing here, and the line below says so."""
        if ch == BACKSPACE:
            self.buffer = self.buffer[:-1]
        elif len(ch) == 1 and (ch.isdigit() or ch in ".-") and len(self.buffer) < 12:
            self.buffer += ch
        elif len(ch) == 1 and ch.isprintable() and not ch.isspace():
            self.message = N_("Only digits can be typed here: letters change nothing.")

    def commit_buffer(self) -> None:
        key, text_in = self.row.key, self.buffer
        self.buffer = ""
        spec = spec_of(key)
        if spec is None or spec.type not in (int, float):
            self.message = N_("Only number rows take typed digits.")
            return
        try:
            number = float(text_in)
        except ValueError:
            self.message = N_("Not changed - {setting}: {typed} is not a number", setting=self.row.label,
                              typed=repr(text_in))  # fmt: skip
            return
        value: Any = int(number) if spec.type is int and number.is_integer() else number
        self.set_value(key, value)

    # -- actions -------------------------------------------------------------------------

    def activate(self) -> Transition | None:
        """Enter (or a click on the row's middle): commit typed digits, take a pending offer,
        press a button row, open the keyboard of a text row, or take the next choice. A
        number row with nothing typed never changes (its value moves with < and > only)."""
        key = self.row.key
        if self.buffer:
            self.commit_buffer()
            return None
        if self.offer is not None and self.offer.key == key:
            self.step(self.offer.direction or 1)
            return None
        if key == "__save":
            return self.save()
        if key == "__back":
            return self.back()
        if key == "__clear":
            self._clear_level()
            return None
        spec = spec_of(key)
        if spec is not None and spec.type is str and spec.choices is None:
            return Push(KeyboardScene(self.app, spec.label, str(self.value(key) or ""), int(spec.max or 40)))
        if spec is not None and (spec.type is bool or spec.choices is not None):
            self.step(1)
            return None
        self.message = N_("Type a number and press Enter, or use < and > to change it.")
        return None

    def _clear_level(self) -> None:
        for name in list(self.draft.level_overrides.get(self.level_id or "", {})):
            self.set_value(name, None)
        self.message = N_("This level now uses the patient's settings (press Save).")

    def save(self) -> Transition | None:
        changes = diff(self.saved, self.draft)
        if not changes:
            self.message = N_("Nothing changed.")
            return None
        where = f" for level {self.level_id}" if self.level_id else ""
        self.app.db.update_patient_settings(self.patient.id, self.draft.to_mapping(), who="therapist",
                                            reason=f"therapist edit{where}", at=utc_now())  # fmt: skip
        self.patient = self.app.db.get_patient(self.patient.id) or self.patient
        self.saved = self.draft = settings_of(self.patient)
        self.message = Nn_("Saved {n} change.", "Saved {n} changes.", len(changes))
        return follow_saved_patient(self.app, self.patient)

    def back(self) -> Transition | None:
        if self.buffer:
            self.buffer = ""
            return None
        if self.unsaved() and not self._confirm_back:
            self._confirm_back = True
            self.message = N_("Unsaved changes: Back again to discard them, or choose Save.")
            return None
        return Pop()

    def resume(self, result: Any) -> Transition | None:
        if not isinstance(result, str):
            return None
        same = name_taken(self.app.db, result, self.patient.id) if self.row.key == "alias" else None
        if same is not None:
            self.message = N_("Not changed - there is already a patient called {name}.", name=same)
            return None
        self.set_value(self.row.key, result)
        return None

    def handle(self, action: Action) -> Transition | None:
        act = action.act
        if act is Act.QUIT:
            return Quit()
        if act is Act.BACK:
            return self.back()
        if act is not Act.POINT:
            self._confirm_back = False
            if not (act is Act.SELECT or act in (Act.LEFT, Act.RIGHT) or act is Act.CLICK):
                self.offer = None
        if act in (Act.UP, Act.DOWN):
            self.buffer, self.offer = "", None
            self.focus = (self.focus + (1 if act is Act.DOWN else -1)) % len(self.rows)
            self._scroll_to_focus()
        elif act in (Act.LEFT, Act.RIGHT):
            self.step(1 if act is Act.RIGHT else -1)
        elif act is Act.SELECT:
            return self.activate()
        elif act in (Act.POINT, Act.CLICK):
            return self._pointer(action)
        return None

    def _pointer(self, action: Action) -> Transition | None:
        chosen = self.bar.handle(action)
        if chosen is not None:
            return self._bar(chosen)
        clicked = self.dwell.handle_pointer(action, self._hit)
        if self.dwell.hover is not None:
            self.focus = self.dwell.hover[0]
        return self._press_zone(clicked[1]) if clicked is not None else None

    def _bar(self, key: str) -> Transition | None:
        if key in ("__earlier", "__more"):
            n = max(len(self.listed) - VISIBLE_ROWS, 0)
            self.first = min(max(self.first + (VISIBLE_ROWS if key == "__more" else -VISIBLE_ROWS), 0), n)
            return None
        self.focus = next(i for i, r in enumerate(self.rows) if r.key == key)
        return self.activate()

    def _press_zone(self, zone: int) -> Transition | None:
        """A click or a dwell on a row: its < and > ends step; its middle presses a button row
        or opens a text row's keyboard, and on a value row only chooses the row."""
        if zone != 0:
            self.step(zone)
            return None
        spec = spec_of(self.row.key)
        if spec is None or (spec.type is str and spec.choices is None):
            return self.activate()
        if self.offer is not None and self.offer.key == self.row.key:
            return self.activate()
        self.message = N_("Use < and > to change it, or type a number and press Enter.")
        return None

    def update(self, dt_s: float) -> Transition | None:
        chosen = self.bar.update(dt_s)
        if chosen is not None:
            return self._bar(chosen)
        hit = self.dwell.tick(dt_s)
        if hit is not None:
            self.focus = hit[0]
            return self._press_zone(hit[1])
        return None

    # -- layout --------------------------------------------------------------------------

    def _scroll_to_focus(self) -> None:
        """Keep the keyboard's row in view (only the keys and the bar scroll the list)."""
        if self.focus >= len(self.listed):
            return
        self.first = min(max(self.first, self.focus - VISIBLE_ROWS + 1), self.focus)
        self.first = max(0, min(self.first, len(self.listed) - VISIBLE_ROWS))

    def _row_rect(self, slot: int) -> pygame.Rect:
        return pygame.Rect(40, 96 + slot * (ROW_H + 8), 1200, ROW_H)

    def _visible(self) -> range:
        return range(self.first, min(self.first + VISIBLE_ROWS, len(self.listed)))

    def _hit(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        for i in self._visible():
            r = self._row_rect(i - self.first)
            if r.collidepoint(pos):
                rel = pos[0] - r.x  # the "<" and ">" ends step; the rest chooses
                zone = -1 if 610 <= rel < 700 else 1 if rel >= r.width - 70 else 0
                return i, zone if _steps(self.rows[i].key) else 0
        return None

    def targets(self) -> list[Target]:
        out = []
        for i in self._visible():
            r, key = self._row_rect(i - self.first), self.rows[i].key
            if not _steps(key):
                out.append(Target(key, (r.x, r.y, r.w, r.h)))
                continue
            out += [Target(key, (r.x, r.y, 610, r.h)),
                    Target(f"{key}:<", (r.x + 610, r.y, 90, r.h), key, "left"),
                    Target(f"{key}:>", (r.right - 70, r.y, 70, r.h), key, "right")]  # fmt: skip
        bar = menu_targets(self.bar)
        return out + [Target(t.key, t.rect, keys=t.key in ("__save", "__back")) for t in bar]

    def focused(self) -> str | None:
        return self.row.key

    # -- drawing -------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        spec_l = self.app.levels.get(self.level_id) if self.level_id else None
        where = (_(spec_l.title) if spec_l else str(self.level_id)) if self.level_id else _("settings")
        title = _("{name}: {what}").format(name=self.patient.alias, what=where)
        draw_icon(surface, "gear", (66, 50), 54)
        fit_text(surface, title, (104, 50), 50, 700, T.TEXT, "midleft", bold=True)
        if self.unsaved():
            text(surface, _("unsaved"), (1240, 50), 32, T.ORANGE, "midright", bold=True)
        last = min(self.first + VISIBLE_ROWS, len(self.listed))
        rows = _("Rows {first}-{last} of {total}").format(
            first=self.first + 1, last=last, total=len(self.listed)
        )
        text(surface, rows, (1060, 50), 28, T.TEXT_DIM, "midright")
        for i in self._visible():
            self._draw_row(surface, i, self._row_rect(i - self.first))
        self.bar.focus = next((k for k, (key, _, _) in enumerate(BAR) if key == self.row.key), -1)
        self.bar.draw(surface)
        line = self.message or help_line(self.row)
        fit_text(surface, line, (640, 712), 30, 1260, T.YELLOW if self.message else T.TEXT_DIM, "midbottom")

    def _draw_row(self, surface: pygame.Surface, i: int, r: pygame.Rect) -> None:
        row, focused = self.rows[i], i == self.focus
        typing = focused and bool(self.buffer)
        value = self.buffer + "_" if typing else fmt_value(self.value(row.key)) if spec_of(row.key) else ""
        if row.key == "language" and self.value(row.key) is None and not typing:
            value = _("as the clinic")
        hover = self.dwell.hover
        dwell = (
            (hover[1], self.dwell.fraction)
            if hover is not None and hover[0] == i and self.dwell.fraction > 0
            else None
        )
        own = self.overridden(row.key) if self.level_id is not None else None
        draw_row(surface, row, r, RowLook(focused, value, typing, own, dwell))


def _steps(key: str) -> bool:
    """Whether a row has < and > ends (settings that are not free text)."""
    spec = spec_of(key)
    return spec is not None and not (spec.type is str and spec.choices is None)
