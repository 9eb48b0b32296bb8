"""Level parameters: declared with :func:`param`, validated from a TOML table by :func:`build_params`.

Every level type declares its parameters as a frozen dataclass whose fields are made with
:func:`param` (default, allowed range, unit and meaning side by side). ``build_params`` turns
the ``[params]`` table of a level file into that dataclass, or raises :class:`LevelError`
naming the file, the key and the reason. Both game/levels.py and the level types import this
module, so neither imports the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from game.validate import check_finite_in_range


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


def _type_ok(value: Any, hint: Any) -> tuple[bool, Any]:
    """Whether ``value`` has the type ``hint`` asks for, and the value converted (lists → tuples)."""
    if hint is bool:
        return isinstance(value, bool), value
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if hint is str:
        return isinstance(value, str), value
    if get_origin(hint) is tuple:
        inner = get_args(hint)[0]
        numbers = inner in (float, int)
        ok = isinstance(value, list) and (
            not numbers or all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        )
        return ok, tuple(float(v) if inner is float else v for v in value) if ok else value
    return True, value


def _check_value(file: Path, key: str, value: Any, field: dataclasses.Field[Any], hint: Any) -> Any:
    """Type- and range-check one parameter value; return it converted (lists → tuples)."""
    meta = field.metadata
    ok, value = _type_ok(value, hint)
    if not ok:
        raise LevelError(file, key, f"expected {type_name(hint)}, got {type(value).__name__} {value!r}")
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise LevelError(file, key, f"{value!r} is not one of {', '.join(map(repr, choices))}")
    lo, hi = meta.get("lo"), meta.get("hi")
    for v in value if isinstance(value, tuple) else (value,):
        if isinstance(v, int | float) and not isinstance(v, bool):
            try:  # NaN and infinities are refused too (``nan < lo`` is False)
                check_finite_in_range(v, "the value", lo, hi, meta.get("unit", ""))
            except ValueError as err:
                raise LevelError(file, key, str(err)) from None
    return value


def type_name(hint: Any) -> str:
    """How a type is named in an error message ("an integer", "a list of float"…)."""
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


def param_names(params: Any) -> set[str]:
    """Names of a parameter dataclass instance's fields."""
    return {f.name for f in dataclasses.fields(params)}
