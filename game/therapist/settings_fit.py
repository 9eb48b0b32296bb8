"""Lowering a safety limit that other settings lie beyond: the change, with those settings
lowered to fit, offered to the therapist instead of a bare refusal (no pygame).

The settings schema refuses a Max reach below the Target distance or the adaptive bound
(``_check_cross``); the editor then offers this fitted change and says which settings it
lowers, so the therapist sees every value that would move before anything is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from game.therapist.settings_schema import SPEC_BY_NAME, PatientSettings, SettingsError

Change = tuple[str, Any, Any]
"""(what, old value, new value) in the words the editor shows."""


def lowered_to_fit(s: PatientSettings, key: str, value: Any) -> tuple[PatientSettings, list[Change]] | None:
    """`s` with `key` set to `value` and every setting beyond that new limit brought to it,
    plus the list of what moved; None when `key` is no such limit or the result is still
    invalid (the first error is then the one to show)."""
    if key == "max_reach_fraction" and isinstance(value, int | float):
        return _fit_reach(s, float(value))
    if key == "shared_gain_max" and isinstance(value, int | float):
        return _fit_gain(s, key, float(value), min)
    if key == "shared_gain_min" and isinstance(value, int | float):
        return _fit_gain(s, key, float(value), max)
    return None


def _fit_reach(s: PatientSettings, limit: float) -> tuple[PatientSettings, list[Change]] | None:
    moved: list[Change] = []
    target = s.target_reach_fraction
    if target > limit:
        moved.append((SPEC_BY_NAME["target_reach_fraction"].label, target, limit))
    bounds: dict[str, tuple[float, float]] = {k: (v[0], v[1]) for k, v in s.adaptive_bounds.items()}
    pair = bounds.get("target_reach_fraction")
    if pair is not None and pair[1] > limit:
        new_pair = (min(pair[0], limit), limit)
        moved.append(("Adaptive target distance, highest", pair[1], limit))
        bounds["target_reach_fraction"] = new_pair
    overrides = _clamp_overrides(s.level_overrides, "target_reach_fraction", limit, moved)
    try:
        fitted = dataclasses.replace(
            s,
            max_reach_fraction=limit,
            target_reach_fraction=min(target, limit),
            adaptive_bounds=bounds,
            level_overrides=overrides,
        )
    except SettingsError:
        return None
    return fitted, moved


def _fit_gain(
    s: PatientSettings, key: str, value: float, pick: Any
) -> tuple[PatientSettings, list[Change]] | None:
    gain = float(pick(s.shared_gain, value))
    moved = [(SPEC_BY_NAME["shared_gain"].label, s.shared_gain, gain)] if gain != s.shared_gain else []
    try:
        changes: dict[str, Any] = {key: value, "shared_gain": gain}
        return dataclasses.replace(s, **changes), moved
    except SettingsError:
        return None


def _clamp_overrides(
    overrides: Mapping[str, Mapping[str, Any]], key: str, limit: float, moved: list[Change]
) -> dict[str, dict[str, Any]]:
    out = {lid: dict(v) for lid, v in overrides.items()}
    for lid, values in out.items():
        if key in values and values[key] > limit:
            moved.append((f"{SPEC_BY_NAME[key].label} for level {lid}", values[key], limit))
            values[key] = limit
    return out


def describe(moved: list[Change], unit: str) -> str:
    """'Target distance 0.5 and Adaptive target distance, highest 0.8' (values with unit)."""
    parts = [f"{what} {old:g}{unit}" for what, old, _ in moved]
    return " and ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " and " + parts[-1]
