"""Therapist settings editor (drawn from ``SPECS``): the patient's settings or one level's overrides.

Editor controls: Up/Down choose a row; Left/Right change its value by one step within the
allowed range (choices cycle, on/off toggles); digits typed on a number row replace the value
when Enter is pressed; Enter on a text row opens the on-screen keyboard. Every change is checked
by ``PatientSettings`` at once: a bad value shows the reason and changes nothing. "Save" writes
through ``Database.update_patient_settings(..., who="therapist")``, which logs each changed key
with its time. Mouse: click the < or > end of a row to step, the row to choose; dwell works too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.actions import BACKSPACE, Act, Action
from game.i18n import LANGUAGES, M_, N_, Msg, Nn_, Text, _, active
from game.render import theme as T
from game.render.charts import fit_text
from game.render.icons import draw_icon
from game.render.widgets import Dwell, panel, progress_ring, text
from game.scenes.base import Pop, Push, Quit, Scene, Transition
from game.scenes.kit import draw_backdrop, follow_saved_patient
from game.scenes.services import AppServices
from game.scenes.therapist_widgets import KeyboardScene
from game.storage.records import Patient, utc_now
from game.therapist.settings_schema import (
    ADAPTIVE_PARAMS,
    SPEC_BY_NAME,
    SPECS,
    SettingsError,
    diff,
    settings_of,
)

STEPS = {
    "shared_gain": 0.05, "shared_gain_min": 0.05, "shared_gain_max": 0.05,
    "max_shoulder_flexion_deg": 5.0, "max_shoulder_abduction_deg": 5.0, "max_reach_fraction": 0.05,
    "target_reach_fraction": 0.05, "target_radius_norm": 0.01, "dwell_s": 0.1, "speed_scale": 0.05,
    "sets": 1, "reps": 1, "rest_s": 5.0, "session_minutes": 5.0, "balance_zone_fraction": 0.05,
    "text_scale": 0.1, "sessions_per_week": 1, "voice_rate": 0.05, "voice_volume": 0.1,
    "max_hand_closure": 0.05, "hand_closure": 0.05,
}  # fmt: skip
"""One Left/Right step per setting, in the setting's unit."""
ICON = {
    "alias": "pencil", "affected_side": "hand", "mirror_mode": "person", "shared_gain": "hand",
    "shared_gain_min": "hand", "shared_gain_max": "hand", "neglect_side": "sun",
    "safety_notes": "heart", "max_shoulder_flexion_deg": "lock", "max_shoulder_abduction_deg": "lock",
    "max_reach_fraction": "lock", "target_reach_fraction": "reach", "target_radius_norm": "target",
    "dwell_s": "clock", "speed_scale": "wave", "sets": "list", "reps": "list", "rest_s": "clock",
    "session_minutes": "clock", "balance_zone_fraction": "scale", "adaptive": "gear",
    "text_scale": "pencil", "sessions_per_week": "calendar", "language": "person", "voice": "wave",
    "voice_rate": "wave", "voice_volume": "wave", "max_hand_closure": "lock", "hand_closure": "hand",
}  # fmt: skip
UNIT_WORDS = {"1": M_("(0 to 1)"), "x": M_("times"), "deg": M_("deg"), "arm lengths": M_("arm lengths"),
              "screen heights": M_("screen heights"), "s": M_("s"), "min": M_("min"),
              "of LOS": M_("of LOS"), "of a fist": M_("of a fist")}  # fmt: skip
"""Unit codes spelled out on screen."""
SKIPPED = ("plan", "adaptive_bounds")
"""Edited elsewhere: the plan has its own screen; bounds get one row per end below."""
VISIBLE_ROWS = 9
ROW_H = 56


@dataclass(frozen=True)
class Row:
    """One editor row: a setting name, ``bounds:<param>:<0|1>``, or a ``__button``."""

    key: str
    label: Text
    unit: str
    icon: str


def editor_rows(level_id: str | None) -> list[Row]:
    """Rows for the patient editor, or for one level's overrides (per-level settings only)."""
    rows = [Row(s.name, Msg(s.label), s.unit, ICON.get(s.name, "gear")) for s in SPECS
            if s.name not in SKIPPED and (level_id is None or s.per_level)]  # fmt: skip
    if level_id is None:
        for param in ADAPTIVE_PARAMS:
            spec = SPEC_BY_NAME[param]
            ends = (N_("Adaptive: {setting}, lowest", setting=Msg(spec.label)),
                    N_("Adaptive: {setting}, highest", setting=Msg(spec.label)))  # fmt: skip
            rows += [Row(f"bounds:{param}:{i}", end, spec.unit, "gear") for i, end in enumerate(ends)]
    else:
        rows.append(Row("__clear", N_("Use the patient's settings here"), "", "back"))
    return rows + [Row("__save", N_("Save"), "", "save"), Row("__back", N_("Back"), "", "back")]


CHOICE_WORDS = {"left": M_("left"), "right": M_("right"), "video": M_("video"), "avatar": M_("avatar"),
                "shared": M_("shared")}  # fmt: skip
"""Choice values spelled out on screen (the stored value stays the English word)."""


def fmt_value(value: Any) -> str:
    """A setting's value as the editor shows it, in the active language."""
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if isinstance(value, float):
        return active().decimal(value) if abs(value) < 100 else active().number(value)
    if isinstance(value, str) and value in LANGUAGES:
        return LANGUAGES[value]
    if isinstance(value, str) and value in CHOICE_WORDS:
        return _(CHOICE_WORDS[value])
    return str(value)


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
        self.focus = 0
        self.buffer = ""
        self.message: Text = ""
        self._confirm_back = False
        self.dwell = Dwell()

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

    def set_value(self, key: str, value: Any) -> bool:
        """Apply a change if valid; otherwise show why and keep the draft. Returns success."""
        label = next((r.label for r in self.rows if r.key == key), key)
        try:
            if key.startswith("bounds:"):
                _, param, i = key.split(":")
                bounds = {k: list(v) for k, v in self.draft.adaptive_bounds.items()}
                pair = bounds.setdefault(param, [float(getattr(self.draft, param))] * 2)
                pair[int(i)] = value
                new = self.draft.with_change("adaptive_bounds", bounds)
            else:
                new = self.draft.with_change(key, value, level_id=self.level_id)
        except SettingsError as err:
            self.message = N_("Not changed - {setting}: {reason}", setting=label, reason=err.reason)
            return False
        self.draft, self.message, self._confirm_back = new, "", False
        return True

    def step(self, direction: int) -> None:
        key = self.row.key
        if key.startswith("__"):
            return
        name = key.split(":")[1] if key.startswith("bounds:") else key
        spec = SPEC_BY_NAME[name]
        current = self.value(key)
        if spec.type is bool:
            self.set_value(key, not current)
        elif spec.choices is not None:
            options: list[Any] = ([None] if spec.optional else []) + list(spec.choices)
            i = options.index(current) if current in options else 0
            self.set_value(key, options[(i + direction) % len(options)])
        elif spec.type in (int, float):
            lo, hi = float(spec.min or 0.0), float(spec.max or 0.0)
            new = min(
                max(float(current if current is not None else lo) + direction * STEPS.get(name, 1.0), lo), hi
            )
            self.set_value(key, int(round(new)) if spec.type is int else round(new, 4))
        else:
            self.message = N_("Press Enter to type.")

    def type_char(self, ch: str) -> None:
        """Typed key from a physical keyboard: digits, '.' and '-' build a number; Backspace
        deletes the last one (letters are ignored: they neither type nor navigate here)."""
        if ch == BACKSPACE:
            self.buffer = self.buffer[:-1]
        elif len(ch) == 1 and (ch.isdigit() or ch in ".-") and len(self.buffer) < 12:
            self.buffer += ch

    def commit_buffer(self) -> None:
        key, text_in = self.row.key, self.buffer
        self.buffer = ""
        name = key.split(":")[1] if key.startswith("bounds:") else key
        spec = SPEC_BY_NAME.get(name)
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
        key = self.row.key
        if self.buffer:
            self.commit_buffer()
            return None
        if key == "__save":
            return self.save()
        if key == "__back":
            return self.back()
        if key == "__clear":
            for name in list(self.draft.level_overrides.get(self.level_id or "", {})):
                self.set_value(name, None)
            self.message = N_("This level now uses the patient's settings (press Save).")
            return None
        spec = SPEC_BY_NAME.get(key)
        if spec is not None and spec.type is str and spec.choices is None:
            return Push(KeyboardScene(self.app, spec.label, str(self.value(key) or ""), int(spec.max or 40)))
        self.step(1)
        return None

    def save(self) -> Transition | None:
        changes = diff(self.saved, self.draft)
        if not changes:
            self.message = N_("Nothing changed.")
            return None
        where = f" for level {self.level_id}" if self.level_id else ""
        self.app.db.update_patient_settings(self.patient.id, self.draft.to_mapping(), who="therapist",
                                            reason=f"therapist edit{where}", at=utc_now())  # fmt: skip
        self.saved = self.draft
        self.patient = self.app.db.get_patient(self.patient.id) or self.patient
        self.message = Nn_("Saved {n} change.", "Saved {n} changes.", len(changes))
        return follow_saved_patient(self.app, self.patient)

    def back(self) -> Transition | None:
        if self.buffer:
            self.buffer = ""
            return None
        if diff(self.saved, self.draft) and not self._confirm_back:
            self._confirm_back = True
            self.message = N_("Unsaved changes: Back again to discard them, or choose Save.")
            return None
        return Pop()

    def resume(self, result: Any) -> Transition | None:
        if isinstance(result, str):
            self.set_value(self.row.key, result)
        return None

    def handle(self, action: Action) -> Transition | None:
        act = action.act
        if act is Act.QUIT:
            return Quit()
        if act is Act.BACK:
            return self.back()
        if act in (Act.UP, Act.DOWN):
            self.buffer = ""
            self.focus = (self.focus + (1 if act is Act.DOWN else -1)) % len(self.rows)
        elif act in (Act.LEFT, Act.RIGHT):
            self.step(1 if act is Act.RIGHT else -1)
        elif act is Act.SELECT:
            return self.activate()
        elif act in (Act.POINT, Act.CLICK) and action.pos is not None:
            return self._pointer(action)
        return None

    def _pointer(self, action: Action) -> Transition | None:
        hit = self._hit(action.pos)  # type: ignore[arg-type]
        if hit is not None:
            self.focus = hit[0]
            if action.act is Act.CLICK:
                return self._press_zone(hit[1])
        self.dwell.point(hit)
        return None

    def _press_zone(self, zone: int) -> Transition | None:
        if zone == 0:
            return self.activate()
        self.step(zone)
        return None

    def update(self, dt_s: float) -> Transition | None:
        hit = self.dwell.tick(dt_s)
        if hit is not None:
            self.focus = hit[0]
            return self._press_zone(hit[1])
        return None

    # -- drawing -------------------------------------------------------------------------

    def _first_visible(self) -> int:
        return min(max(self.focus - VISIBLE_ROWS // 2, 0), max(len(self.rows) - VISIBLE_ROWS, 0))

    def _row_rect(self, slot: int) -> pygame.Rect:
        return pygame.Rect(40, 96 + slot * (ROW_H + 8), 1200, ROW_H)

    def _hit(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        first = self._first_visible()
        for slot in range(min(VISIBLE_ROWS, len(self.rows) - first)):
            r = self._row_rect(slot)
            if r.collidepoint(pos):
                rel = pos[0] - r.x  # the "<" and ">" ends step; the rest chooses
                zone = -1 if 610 <= rel < 700 else 1 if rel >= r.width - 70 else 0
                return first + slot, zone if not self.rows[first + slot].key.startswith("__") else 0
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        spec_l = self.app.levels.get(self.level_id) if self.level_id else None
        where = (_(spec_l.title) if spec_l else str(self.level_id)) if self.level_id else _("settings")
        title = _("{name}: {what}").format(name=self.patient.alias, what=where)
        draw_icon(surface, "gear", (66, 50), 54)
        fit_text(surface, title, (104, 50), 50, 780, T.TEXT, "midleft", bold=True)
        if diff(self.saved, self.draft):
            text(surface, _("unsaved"), (1240, 50), 32, T.ORANGE, "midright", bold=True)
        where_s = _("{done} of {total}").format(done=self.focus + 1, total=len(self.rows))
        text(surface, where_s, (1060, 50), 28,
             T.TEXT_DIM, "midright")  # fmt: skip
        first = self._first_visible()
        for slot in range(min(VISIBLE_ROWS, len(self.rows) - first)):
            self._draw_row(surface, first + slot, self._row_rect(slot))
        help_text = _help(self.row)
        if self.message:
            fit_text(surface, self.message, (640, 712), 30, 1260, T.YELLOW, "midbottom")
        elif help_text:
            fit_text(surface, help_text, (640, 712), 30, 1260, T.TEXT_DIM, "midbottom")

    def _draw_row(self, surface: pygame.Surface, i: int, r: pygame.Rect) -> None:
        row, focused = self.rows[i], i == self.focus
        panel(surface, (r.x, r.y, r.w, r.h), T.PANEL, 235, 14)
        pygame.draw.rect(
            surface, T.FOCUS if focused else T.TEXT_DIM, r, 5 if focused else 1, border_radius=14
        )
        draw_icon(surface, row.icon, (r.x + 32, r.centery), 40)
        fit_text(surface, row.label, (r.x + 64, r.centery), 36, 560, T.TEXT, "midleft", bold=focused)
        if not row.key.startswith("__"):
            spec = SPEC_BY_NAME[row.key.split(":")[1] if row.key.startswith("bounds:") else row.key]
            typed = spec.type is str and spec.choices is None
            value = self.value(row.key)
            shown = self.buffer + "_" if focused and self.buffer else fmt_value(value)
            if row.key == "language" and value is None:
                shown = _("as the clinic")
            if typed:
                shown = (shown[:21] + "...") if len(shown) > 24 else (shown or "(none)")
            color = T.YELLOW if focused and self.buffer else T.TEXT
            if not typed:
                text(surface, "<", (r.x + 640, r.centery), 44, T.SKY, "center", bold=True)
                text(surface, ">", (r.right - 30, r.centery), 44, T.SKY, "center", bold=True)
            text(surface, shown, (r.x + 670, r.centery), 38, color, "midleft", bold=True)
            unit = _(UNIT_WORDS[row.unit]) if row.unit in UNIT_WORDS else row.unit
            fit_text(surface, unit, (r.x + 840, r.centery), 28, 180, T.TEXT_DIM, "midleft")
            if self.level_id is not None:
                own = self.overridden(row.key)
                words = _("this level") if own else _("as patient")
                fit_text(surface, words, (r.x + 1030, r.centery), 26, 160,
                         T.ORANGE if own else T.TEXT_DIM, "midleft", bold=own)  # fmt: skip
        hover = self.dwell.hover
        if hover is not None and hover[0] == i and self.dwell.fraction > 0:
            x = {-1: r.x + 640, 0: r.x + 600, 1: r.right - 30}[hover[1]]
            progress_ring(surface, (x, r.centery), 22, self.dwell.fraction, width=5)


def _help(row: Row) -> str:
    """The focused row's help line with its allowed range, in the active language."""
    name = row.key.split(":")[1] if row.key.startswith("bounds:") else row.key
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        return ""
    if spec.type in (int, float) and spec.min is not None and spec.max is not None:
        unit = _(UNIT_WORDS[spec.unit]) if spec.unit in UNIT_WORDS and spec.unit != "1" else ""
        low, high = active().decimal(spec.min), active().decimal(spec.max)
        allowed = _("Allowed {low} to {high} {unit}").format(low=low, high=high, unit=unit).rstrip()
        return f"{_(spec.help)}  {allowed}"
    if spec.type is str and spec.choices is None:
        return f"{_(spec.help)}  {_('Enter: type it.')}"
    return _(spec.help)
