"""Checks for what comes from outside: numbers, text, TOML data files and report text.

Small pure functions with one clear message each, used wherever a value enters the game (the
command line, level and plan files, stored rows, exports). They exist because the obvious
checks miss cases: ``v < lo`` is False for NaN, so NaN slips through a range check written
that way; text with a NUL or an escape character breaks font drawing and terminals; ``$``
starts matplotlib's mathtext; a "TOML file" may be a folder, binary junk or not UTF-8.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from game.storage.records import control_characters, printable

MAX_TEXT_CHARS = 200
"""Longest id, alias or option text accepted (a name, not a document)."""
MAX_DATA_FILE_BYTES = 1_000_000
"""Largest level or plan file read (real ones are under 2 kB; this stops a huge file)."""


class DataFileError(ValueError):
    """A data file (level, plan) cannot be read; the message names the file and the reason."""


def check_finite_in_range(
    value: object, name: str, lo: float | None = None, hi: float | None = None, unit: str = ""
) -> float:
    """Return `value` as a float if it is a finite number within ``[lo, hi]``.

    Raises ValueError naming `name` otherwise: NaN, infinities, booleans and non-numbers are
    refused before any comparison (``nan < lo`` is False, so a plain range check lets NaN in).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    suffix = f" {unit}" if unit else ""
    if lo is not None and number < lo:
        raise ValueError(f"{name} is {number:g}{suffix}, below the allowed minimum {lo:g}{suffix}")
    if hi is not None and number > hi:
        raise ValueError(f"{name} is {number:g}{suffix}, above the allowed maximum {hi:g}{suffix}")
    return number


def check_int_in_range(value: object, name: str, lo: int, hi: int) -> int:
    """Return `value` if it is an integer (not a bool) within ``[lo, hi]``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def check_plain_text(value: object, name: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return `value` if it is non-empty text without control characters, at most `max_chars`."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-empty text, got {value!r}")
    bad = control_characters(value)
    if bad:
        raise ValueError(f"{name} contains control characters ({', '.join(sorted(set(bad)))})")
    if len(value) > max_chars:
        raise ValueError(f"{name} is longer than {max_chars} characters")
    return value


def escape_mathtext(text: str) -> str:
    """`text` safe for a matplotlib text artist: an unescaped ``$`` pair would start mathtext
    (matplotlib counts ``$`` minus ``\\$``; with every ``$`` escaped there is no math)."""
    return printable(text).replace("$", r"\$")


def read_toml(path: str | Path, what: str = "data file") -> dict[str, Any]:
    """Read a TOML file into a dict; every way it can fail is one :class:`DataFileError`.

    Covers a missing file, a folder, a file too large, unreadable bytes, text that is not
    UTF-8 and text that is not TOML; the message names the file.
    """
    file = Path(path)
    try:
        if file.is_dir():
            raise DataFileError(f"{file.name}: is a folder, not a {what}")
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{file.name}: {what} not found") from None
    except OSError as err:
        raise DataFileError(f"{file.name}: cannot read the {what} ({err.strerror or err})") from None
    if len(raw) > MAX_DATA_FILE_BYTES:
        raise DataFileError(f"{file.name}: larger than {MAX_DATA_FILE_BYTES} bytes, not a {what}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataFileError(f"{file.name}: not UTF-8 text (is it a {what}?)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{file.name}: not valid TOML ({err})") from None


def check_table_list(value: object, name: str) -> list[dict[str, Any]]:
    """Return `value` if it is a non-empty list of TOML tables (``[[name]]``), else ValueError.

    ``steps = [1, 2]`` is a list, but of numbers: each item must be a table.
    """
    if not isinstance(value, list) or not value:
        raise ValueError(f"{name} must be a non-empty list of [[{name}]] tables")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise ValueError(f"{name}[{i}] must be a table, got {type(item).__name__} {item!r}")
    return value
