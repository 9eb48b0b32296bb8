"""What the settings editor draws: its rows (one per setting, adaptive bound or button), each
setting's icon and words, a value in plain words with its unit, and a row's help line.

Pure layout and words; the editor's behaviour is in game/scenes/therapist_settings.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.i18n import LANGUAGES, M_, N_, Msg, Text, _, active
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import fit_text, panel, progress_ring, text
from game.therapist.settings_schema import ADAPTIVE_PARAMS, SPEC_BY_NAME, SPECS, FieldSpec

STEPS = {
    "shared_gain": 0.05, "shared_gain_min": 0.05, "shared_gain_max": 0.05,
    "max_shoulder_flexion_deg": 5.0, "max_shoulder_abduction_deg": 5.0, "max_reach_fraction": 0.05,
    "target_reach_fraction": 0.05, "target_radius_norm": 0.01, "dwell_s": 0.1, "speed_scale": 0.05,
    "sets": 1, "reps": 1, "rest_s": 5.0, "session_minutes": 5.0, "balance_zone_fraction": 0.05,
    "text_scale": 0.1, "sessions_per_week": 1, "voice_rate": 0.05, "voice_volume": 0.1,
    "max_mouth_opening_mm": 1.0, "max_knee_flexion_deg": 5.0, "squat_depth_deg": 5.0, "age_years": 1,
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
    "voice_rate": "wave", "voice_volume": "wave", "face_weak_side": "person",
    "max_mouth_opening_mm": "lock", "seated_only": "chair", "max_knee_flexion_deg": "lock",
    "squat_depth_deg": "squat", "age_years": "calendar", "sex": "person",
    "max_hand_closure": "lock", "hand_closure": "hand",
}  # fmt: skip
UNIT_WORDS = {"1": M_("(0 to 1)"), "x": M_("times"), "deg": M_("deg"), "arm lengths": M_("arm lengths"),
              "screen heights": M_("screen heights"), "s": M_("s"), "min": M_("min"),
              "of LOS": M_("of LOS"), "mm": M_("mm"), "of a fist": M_("of a fist")}  # fmt: skip
"""Unit codes spelled out on screen."""
SKIPPED = ("plan", "adaptive_bounds")
"""Edited elsewhere: the plan has its own screen; bounds get one row per end below."""
VISIBLE_ROWS = 8
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


def spec_of(key: str) -> FieldSpec | None:
    """The setting a row edits (a bounds row edits its parameter's range), or None for buttons."""
    return SPEC_BY_NAME.get(key.split(":")[1] if key.startswith("bounds:") else key)


def unit_words(unit: str) -> str:
    """A unit as the screen writes it after a number ("" for plain fractions and counts)."""
    if unit == "1":
        return ""
    return _(UNIT_WORDS[unit]) if unit in UNIT_WORDS else unit


def with_unit(value: float, unit: str) -> str:
    """A number with its unit in words: "0.3 arm lengths", "95 deg", "1.2 s"."""
    words = unit_words(unit)
    return f"{fmt_value(value)} {words}".strip()


@dataclass(frozen=True)
class RowLook:
    """How one row is drawn this frame."""

    focused: bool
    value: str
    typing: bool
    own: bool | None
    """Per-level editor: whether this level has its own value (None: the patient editor)."""
    dwell: tuple[int, float] | None
    """(zone, fraction) of a dwell in progress on this row."""


def draw_row(surface: pygame.Surface, row: Row, r: pygame.Rect, look: RowLook) -> None:
    """One row: icon, label, and for a setting its < value unit > (text rows: the text)."""
    panel(surface, (r.x, r.y, r.w, r.h), T.PANEL, 235, 14)
    pygame.draw.rect(surface, T.FOCUS if look.focused else T.TEXT_DIM, r, 5 if look.focused else 1,
                     border_radius=14)  # fmt: skip
    draw_icon(surface, row.icon, (r.x + 32, r.centery), 40)
    fit_text(surface, row.label, (r.x + 64, r.centery), 36, 560, T.TEXT, "midleft", bold=look.focused)
    spec = spec_of(row.key)
    if spec is not None:
        typed = spec.type is str and spec.choices is None
        shown = look.value
        if typed:
            shown = (shown[:21] + "...") if len(shown) > 24 else (shown or _("(none)"))
        else:
            text(surface, "<", (r.x + 640, r.centery), 44, T.SKY, "center", bold=True)
            text(surface, ">", (r.right - 30, r.centery), 44, T.SKY, "center", bold=True)
        text(surface, shown, (r.x + 670, r.centery), 38, T.YELLOW if look.typing else T.TEXT, "midleft",
             bold=True)  # fmt: skip
        unit = _(UNIT_WORDS[row.unit]) if row.unit in UNIT_WORDS else row.unit
        fit_text(surface, unit, (r.x + 840, r.centery), 28, 180, T.TEXT_DIM, "midleft")
        if look.own is not None:
            words = _("this level") if look.own else _("as patient")
            fit_text(surface, words, (r.x + 1030, r.centery), 26, 160, T.ORANGE if look.own else T.TEXT_DIM,
                     "midleft", bold=look.own)  # fmt: skip
    if look.dwell is not None:
        zone, fraction = look.dwell
        x = {-1: r.x + 640, 0: r.x + 600, 1: r.right - 30}[zone]
        progress_ring(surface, (x, r.centery), 22, fraction, width=5)


def help_line(row: Row) -> str:
    """The focused row's help line with its allowed range, in the active language."""
    name = row.key.split(":")[1] if row.key.startswith("bounds:") else row.key
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        return ""
    if spec.type in (int, float) and spec.min is not None and spec.max is not None:
        allowed = _("Allowed {low} to {high}.").format(
            low=with_unit(spec.min, spec.unit), high=with_unit(spec.max, spec.unit)
        )
        return f"{_(spec.help)}  {allowed}"
    if spec.type is str and spec.choices is None:
        return f"{_(spec.help)}  {_('Enter or a click: type it.')}"
    return _(spec.help)
