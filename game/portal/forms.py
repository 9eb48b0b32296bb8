"""The settings form: rows drawn from the game's settings table, read back through its validation.

Every field comes from :data:`game.therapist.settings_schema.SPECS` (label, unit, help, range,
choices), the session plan is edited as rows of level, sets, repetitions and rest, and the
adaptive bounds as lowest/highest pairs, as in the game's editors. What was typed is turned back
into a mapping and checked by :class:`PatientSettings` exactly as the game checks it: a bad value
raises :class:`SettingsError` naming the setting, and nothing is saved. Per-level overrides are
kept as they are (they are edited in the game).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.therapist.settings_schema import (
    ADAPTIVE_PARAMS,
    PLAN_KEYS,
    SPEC_BY_NAME,
    SPECS,
    FieldSpec,
    PatientSettings,
    SettingsError,
)

EDITED_ELSEWHERE = ("plan", "adaptive_bounds")
BLANK_PLAN_ROWS = 3
"""Empty plan rows offered below the plan (a row without a level is left out)."""
NONE_CHOICE = "none"


@dataclass(frozen=True)
class Field:
    """One form row: the setting's spec and its current value as text (or bool for a switch)."""

    spec: FieldSpec
    value: Any

    @property
    def input(self) -> str:
        if self.spec.type is bool:
            return "checkbox"
        if self.spec.choices is not None:
            return "select"
        if self.spec.type in (int, float):
            return "number"
        return "textarea" if (self.spec.max or 0) > 100 else "text"

    @property
    def choices(self) -> tuple[str, ...]:
        extra = (NONE_CHOICE,) if self.spec.optional else ()
        return extra + tuple(self.spec.choices or ())


def fields(settings: PatientSettings) -> list[Field]:
    """The simple settings as form rows, in the game's order."""
    values = settings.to_mapping()
    out = []
    for spec in SPECS:
        if spec.name in EDITED_ELSEWHERE:
            continue
        value = values[spec.name]
        out.append(Field(spec, NONE_CHOICE if value is None and spec.optional else value))
    return out


def plan_rows(settings: PatientSettings) -> list[dict[str, Any]]:
    """The plan's steps, then :data:`BLANK_PLAN_ROWS` empty rows."""
    rows = [dict(step) for step in settings.plan]
    return rows + [{"level": "", "sets": 1, "reps": 8, "rest_s": 30.0}] * BLANK_PLAN_ROWS


def bounds_rows(settings: PatientSettings) -> list[tuple[FieldSpec, float | None, float | None]]:
    out = []
    for param in ADAPTIVE_PARAMS:
        pair = settings.adaptive_bounds.get(param)
        out.append((SPEC_BY_NAME[param], pair[0] if pair else None, pair[1] if pair else None))
    return out


def _number(spec: FieldSpec, text: str, key: str) -> Any:
    text = text.strip()
    try:
        return int(text) if spec.type is int else float(text)
    except ValueError:
        raise SettingsError(key, f"expected a number, got {text!r}") from None


def _value(spec: FieldSpec, form: Mapping[str, str]) -> Any:
    if spec.type is bool:
        return spec.name in form
    text = form.get(spec.name, "")
    if spec.optional and text == NONE_CHOICE:
        return None
    if spec.type in (int, float):
        return _number(spec, text, spec.name)
    return text


def _plan(form: Mapping[str, str]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for i in range(int(SPEC_BY_NAME["plan"].max or 30)):
        level = form.get(f"plan-{i}-level", "").strip()
        if not level:
            continue
        step: dict[str, Any] = {"level": level}
        for key in PLAN_KEYS[1:]:
            step[key] = _number(
                SPEC_BY_NAME[key], form.get(f"plan-{i}-{key}", ""), f"plan[{len(steps)}].{key}"
            )
        steps.append(step)
    return steps


def _bounds(form: Mapping[str, str], current: PatientSettings) -> dict[str, list[float]]:
    out = {k: list(v) for k, v in current.adaptive_bounds.items()}
    for param in ADAPTIVE_PARAMS:
        lo, hi = form.get(f"bounds-{param}-0", "").strip(), form.get(f"bounds-{param}-1", "").strip()
        if lo or hi:
            spec, key = SPEC_BY_NAME[param], f"adaptive_bounds.{param}"
            out[param] = [_number(spec, lo, key), _number(spec, hi, key)]
    return out


def read_form(form: Mapping[str, str], current: PatientSettings) -> PatientSettings:
    """The settings the form asks for, validated like the game's (raises SettingsError)."""
    raw = current.to_mapping()
    for spec in SPECS:
        if spec.name not in EDITED_ELSEWHERE:
            raw[spec.name] = _value(spec, form)
    raw["plan"] = _plan(form)
    raw["adaptive_bounds"] = _bounds(form, current)
    try:
        return PatientSettings.from_mapping(raw)
    except TypeError as err:
        raise SettingsError("settings", str(err)) from None
