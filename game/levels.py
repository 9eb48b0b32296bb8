"""Load and validate levels/*.toml into typed, frozen level specs (levels are data).

A level file names a level *type* (one folder of game/leveltypes/) and sets that type's
parameters::

    id = "reach-apples-1"
    type = "reach"
    title = "Apple picking"
    icon = "apple"                      # a drawn icon name (game/render/icons.py or the type's)
    instruction = "Reach the apple and hold your hand on it."

    [params]                            # the type's parameter dataclass; units in the names
    reps = 6
    reach_fraction = 0.55               # × arm length

Validation happens at load time, before any session starts: an unknown key, a wrong type or
an out-of-range value raises :class:`LevelError` naming the file, the key and the reason.
Each parameter declares its allowed range next to its default (game.leveltypes.params.param).
The level types are passed in (``types``, default: every shipped one, found by
game.leveltypes.registry.level_types); this module never imports a level type itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.leveltypes.params import LevelError, build_params, type_name
from game.leveltypes.registry import LevelType, level_types
from game.validate import DataFileError, check_table_list, read_toml

LEVELS_DIR = Path(__file__).resolve().parent.parent / "levels"
"""Where the shipped level files live."""

BASE_ICONS = ("apple", "bubble", "star", "tree", "sun", "hand", "target", "heart", "chair")
"""Icon names any level may use (drawn by game/render/icons.py); level types add their own."""


def icon_names(types: Mapping[str, LevelType]) -> tuple[str, ...]:
    """Every icon name a level file may use with these level types."""
    return BASE_ICONS + tuple(sorted({name for kind in types.values() for name in kind.icons}))


@dataclass(frozen=True)
class LevelSpec:
    """One validated level: metadata plus the typed parameters of its type."""

    id: str
    type: str
    title: str
    icon: str
    instruction: str
    params: Any
    kind: LevelType
    """The level type itself (game/leveltypes/<type>/): exercise, drawer, metrics…"""
    path: Path
    order: int = 0
    """Position in the progression (lower plays first); the file may set it."""


_TOP_KEYS = {
    "id": str,
    "type": str,
    "title": str,
    "icon": str,
    "instruction": str,
    "order": int,
    "params": dict,
}


def load_level(path: str | Path, types: Mapping[str, LevelType] | None = None) -> LevelSpec:
    """Load and validate one level file against the level types ``types`` (default: shipped)."""
    types = level_types() if types is None else types
    file = Path(path)
    data = _read(file, "level file")
    for key, value in data.items():
        if key not in _TOP_KEYS:
            raise LevelError(file, key, f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
        if not isinstance(value, _TOP_KEYS[key]) or isinstance(value, bool):
            raise LevelError(file, key, f"expected {_TOP_KEYS[key].__name__}, got {type(value).__name__}")
    for key in ("id", "type", "title", "icon", "instruction"):
        if not data.get(key):
            raise LevelError(file, key, "missing (required)")
    if data["type"] not in types:
        raise LevelError(
            file, "type", f"unknown level type {data['type']!r} (known: {', '.join(sorted(types))})"
        )
    icons = icon_names(types)
    if data["icon"] not in icons:
        raise LevelError(file, "icon", f"unknown icon {data['icon']!r} (known: {', '.join(icons)})")
    if len(data["instruction"]) > 90:
        raise LevelError(file, "instruction", "longer than one short sentence (90 characters)")
    kind = types[data["type"]]
    params = build_params(kind.params, data.get("params", {}), file)
    return LevelSpec(
        data["id"],
        data["type"],
        data["title"],
        data["icon"],
        data["instruction"],
        params,
        kind,
        file,
        int(data.get("order", 0)),
    )


def _read(file: Path, what: str) -> dict[str, Any]:
    """A level or plan file's TOML; a missing file, a folder, binary junk, bad UTF-8 or bad TOML
    is a :class:`LevelError` naming the file."""
    try:
        return read_toml(file, what)
    except DataFileError as err:
        raise LevelError(file, "file", str(err).removeprefix(f"{file.name}: ")) from None


def load_all(
    directory: str | Path = LEVELS_DIR, types: Mapping[str, LevelType] | None = None
) -> dict[str, LevelSpec]:
    """Load every ``*.toml`` level in a directory, in progression order; ids must be unique."""
    types = level_types() if types is None else types
    specs: dict[str, LevelSpec] = {}
    for file in sorted(Path(directory).glob("*.toml")):
        spec = load_level(file, types)
        if spec.id in specs:
            raise LevelError(
                file, "id", f"duplicate level id {spec.id!r} (also in {specs[spec.id].path.name})"
            )
        specs[spec.id] = spec
    return dict(sorted(specs.items(), key=lambda kv: (kv[1].order, kv[0])))


DEFAULT_PLAN = LEVELS_DIR / "plans" / "default.toml"
"""The session plan that ships (the therapist edits each patient's own copy)."""
_STEP_KEYS = {"level": str, "sets": int, "reps": int, "rest_s": float}


def load_plan(path: str | Path, levels: Mapping[str, LevelSpec]) -> list[dict[str, Any]]:
    """Load and validate a session plan file: ``[[steps]]`` of level, sets, reps, rest_s.

    Raises :class:`LevelError` naming the file, the step key and the reason.
    """
    file = Path(path)
    data = _read(file, "plan file")
    if set(data) - {"steps"}:
        raise LevelError(file, "steps", "the plan needs a non-empty [[steps]] list and nothing else")
    try:
        table = check_table_list(data.get("steps"), "steps")
    except ValueError as err:
        raise LevelError(file, "steps", str(err)) from None
    steps = []
    for i, step in enumerate(table):
        where = f"steps[{i}]"
        for key, value in step.items():
            want = _STEP_KEYS.get(key)
            if want is None:
                raise LevelError(file, f"{where}.{key}", f"unknown key (allowed: {', '.join(_STEP_KEYS)})")
            ok = (
                isinstance(value, int | float) and not isinstance(value, bool)
                if want is float
                else (isinstance(value, want) and not isinstance(value, bool))
            )
            if not ok:
                raise LevelError(file, f"{where}.{key}", f"expected {type_name(want)}, got {value!r}")
        if step.get("level") not in levels:
            raise LevelError(file, f"{where}.level", f"unknown level {step.get('level')!r}")
        if not 1 <= int(step.get("sets", 1)) <= 10 or not 1 <= int(step.get("reps", 1)) <= 60:
            raise LevelError(file, where, "sets must be 1-10 and reps 1-60")
        if not 0.0 <= float(step.get("rest_s", 0.0)) <= 600.0:
            raise LevelError(file, f"{where}.rest_s", "must be 0-600 s")
        steps.append(dict(step))
    return steps
