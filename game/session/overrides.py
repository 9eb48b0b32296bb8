"""The one table from patient settings to level parameters (therapist and adaptive alike).

A patient setting (game/therapist/settings_schema.py) changes a level only through a
:class:`~game.leveltypes.registry.SettingLink`: the shared links below apply to every level
type that has the named parameter; a level type adds its own (``LevelType.settings``, e.g. the
trace speed or the balance zone). The therapist's values and the adaptive staircases' values
go through the same :func:`level_overrides`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.leveltypes.params import param_names
from game.leveltypes.registry import LevelType, SettingLink


def _same(value: float, params: Any, frame_size: tuple[int, int]) -> float:
    return float(value)


def _heights_to_widths(value: float, params: Any, frame_size: tuple[int, int]) -> float:
    """The therapist's target size is in screen heights; levels use frame widths."""
    w, h = frame_size
    return float(value) * h / w


def _count(value: float, params: Any, frame_size: tuple[int, int]) -> int:
    return int(value)


SHARED_LINKS: Mapping[str, SettingLink] = {
    "target_reach_fraction": SettingLink("reach_fraction", _same),
    "target_radius_norm": SettingLink("target_radius_norm", _heights_to_widths),
    "dwell_s": SettingLink("dwell_s", _same),
    "reps": SettingLink("reps", _count),
}
"""Settings every level type with the named parameter takes."""


def links_for(kind: LevelType) -> dict[str, SettingLink]:
    """Every setting → parameter link of one level type (its own win over the shared ones)."""
    return {**SHARED_LINKS, **kind.settings}


def level_overrides(
    values: Mapping[str, float], kind: LevelType, params: Any, frame_size: tuple[int, int]
) -> dict[str, Any]:
    """Level parameters for these setting values: each setting linked to a parameter the
    level's ``params`` have, converted; other settings are ignored."""
    names = param_names(params)
    out: dict[str, Any] = {}
    for key, value in values.items():
        link = links_for(kind).get(key)
        if link is not None and link.param in names:
            out[link.param] = link.convert(value, params, frame_size)
    return out


def therapist_values(
    raw: Mapping[str, Any], effective: Any, level_id: str, kind: LevelType
) -> dict[str, float]:
    """The settings the therapist actually set for this patient or this level, with their
    values for the level (``effective``: PatientSettings.effective_for_level). Only these
    replace the level file's values, so the levels keep their easy-to-hard progression."""
    explicit = set(raw) | set(dict(raw.get("level_overrides", {})).get(level_id, {}))
    return {key: getattr(effective, key) for key in links_for(kind) if key in explicit}
