"""Load and validate levels/*.toml into typed, frozen level specs (levels are data).

A level file names a level *type* (game/exercises/) and sets that type's parameters::

    id = "reach-apples-1"
    type = "reach"
    title = "Apple picking"
    icon = "apple"                      # a drawn icon name (game/render/icons.py)
    instruction = "Reach the apple and hold your hand on it."

    [params]                            # the type's parameter dataclass; units in the names
    reps = 6
    reach_fraction = 0.55               # × arm length

Validation happens at load time, before any session starts: an unknown key, a wrong type or
an out-of-range value raises :class:`LevelError` naming the file, the key and the reason.
Each parameter declares its allowed range next to its default with :func:`param`.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

LEVELS_DIR = Path(__file__).resolve().parent.parent / "levels"
"""Where the shipped level files live."""

ICONS = (
    "apple",
    "bubble",
    "star",
    "boat",
    "marble",
    "tray",
    "tree",
    "sun",
    "hand",
    "target",
    "balance",
    "posture",
    "compass",
    "fish",
    "flower",
    "heart",
    "leaf",
    "moon",
    "chair",
    "eye",
)
"""Icon names a level may use (drawn from shapes by game/render/icons.py)."""


class LevelError(ValueError):
    """A level file is invalid. The message names the file, the key and the reason."""

    def __init__(self, file: str | Path, key: str, reason: str) -> None:
        self.file, self.key, self.reason = str(file), key, reason
        super().__init__(f"{Path(file).name}: {key}: {reason}")


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    unit: str = "",
    help: str = "",
    choices: tuple[Any, ...] | None = None,
) -> Any:
    """A level parameter with its allowed range, unit and meaning (dataclass field)."""
    meta = {"lo": lo, "hi": hi, "unit": unit, "help": help, "choices": choices}
    if isinstance(default, list):
        default = tuple(default)
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class LevelSpec:
    """One validated level: metadata plus the typed parameters of its type."""

    id: str
    type: str
    title: str
    icon: str
    instruction: str
    params: Any
    path: Path
    order: int = 0
    """Position in the progression (lower plays first); the file may set it."""


def _check_value(file: Path, key: str, value: Any, field: dataclasses.Field[Any], hint: Any) -> Any:
    """Type- and range-check one parameter value; return it converted (lists → tuples)."""
    meta = field.metadata
    origin = get_origin(hint)
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif hint is str:
        ok = isinstance(value, str)
    elif origin is tuple:
        inner = get_args(hint)[0]
        ok = (
            isinstance(value, list)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            if inner in (float, int)
            else isinstance(value, list)
        )
        value = tuple(float(v) if inner is float else v for v in value) if ok else value
    else:
        ok = True
    if not ok:
        raise LevelError(file, key, f"expected {_type_name(hint)}, got {type(value).__name__} {value!r}")
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise LevelError(file, key, f"{value!r} is not one of {', '.join(map(repr, choices))}")
    lo, hi = meta.get("lo"), meta.get("hi")
    for v in value if isinstance(value, tuple) else (value,):
        if isinstance(v, int | float) and not isinstance(v, bool):
            unit = f" {meta.get('unit')}" if meta.get("unit") else ""
            if lo is not None and v < lo:
                raise LevelError(file, key, f"{v}{unit} is below the allowed minimum {lo}{unit}")
            if hi is not None and v > hi:
                raise LevelError(file, key, f"{v}{unit} is above the allowed maximum {hi}{unit}")
    return value


def _type_name(hint: Any) -> str:
    if get_origin(hint) is tuple:
        return f"a list of {get_args(hint)[0].__name__}"
    return {bool: "true/false", int: "an integer", float: "a number", str: "text"}.get(hint, str(hint))


def build_params(cls: type, raw: Mapping[str, Any], file: Path) -> Any:
    """Instantiate a parameter dataclass from a TOML table, validating every key."""
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in fields:
            allowed = ", ".join(sorted(fields))
            raise LevelError(file, f"params.{key}", f"unknown key (allowed: {allowed})")
    values = {k: _check_value(file, f"params.{k}", v, fields[k], hints[k]) for k, v in raw.items()}
    try:
        obj = cls(**values)
    except ValueError as err:  # cross-field checks in __post_init__
        raise LevelError(file, "params", str(err)) from None
    return obj


_TOP_KEYS = {
    "id": str,
    "type": str,
    "title": str,
    "icon": str,
    "instruction": str,
    "order": int,
    "params": dict,
}


def load_level(path: str | Path) -> LevelSpec:
    """Load and validate one level file."""
    from game.exercises import LEVEL_TYPES  # the registry of level types

    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LevelError(file, "file", "not found") from None
    except tomllib.TOMLDecodeError as err:
        raise LevelError(file, "toml", f"not valid TOML ({err})") from None
    for key, value in data.items():
        if key not in _TOP_KEYS:
            raise LevelError(file, key, f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
        if not isinstance(value, _TOP_KEYS[key]) or isinstance(value, bool):
            raise LevelError(file, key, f"expected {_TOP_KEYS[key].__name__}, got {type(value).__name__}")
    for key in ("id", "type", "title", "icon", "instruction"):
        if not data.get(key):
            raise LevelError(file, key, "missing (required)")
    if data["type"] not in LEVEL_TYPES:
        raise LevelError(
            file, "type", f"unknown level type {data['type']!r} (known: {', '.join(sorted(LEVEL_TYPES))})"
        )
    if data["icon"] not in ICONS:
        raise LevelError(file, "icon", f"unknown icon {data['icon']!r} (known: {', '.join(ICONS)})")
    if len(data["instruction"]) > 90:
        raise LevelError(file, "instruction", "longer than one short sentence (90 characters)")
    params_cls = LEVEL_TYPES[data["type"]].params
    params = build_params(params_cls, data.get("params", {}), file)
    return LevelSpec(
        data["id"],
        data["type"],
        data["title"],
        data["icon"],
        data["instruction"],
        params,
        file,
        int(data.get("order", 0)),
    )


def load_all(directory: str | Path = LEVELS_DIR) -> dict[str, LevelSpec]:
    """Load every ``*.toml`` level in a directory, in progression order; ids must be unique."""
    specs: dict[str, LevelSpec] = {}
    for file in sorted(Path(directory).glob("*.toml")):
        spec = load_level(file)
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
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LevelError(file, "file", "not found") from None
    except tomllib.TOMLDecodeError as err:
        raise LevelError(file, "toml", f"not valid TOML ({err})") from None
    if set(data) - {"steps"} or not isinstance(data.get("steps"), list) or not data["steps"]:
        raise LevelError(file, "steps", "the plan needs a non-empty [[steps]] list and nothing else")
    steps = []
    for i, step in enumerate(data["steps"]):
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
                raise LevelError(file, f"{where}.{key}", f"expected {_type_name(want)}, got {value!r}")
        if step.get("level") not in levels:
            raise LevelError(file, f"{where}.level", f"unknown level {step.get('level')!r}")
        if not 1 <= int(step.get("sets", 1)) <= 10 or not 1 <= int(step.get("reps", 1)) <= 60:
            raise LevelError(file, where, "sets must be 1-10 and reps 1-60")
        if not 0.0 <= float(step.get("rest_s", 0.0)) <= 600.0:
            raise LevelError(file, f"{where}.rest_s", "must be 0-600 s")
        steps.append(dict(step))
    return steps
