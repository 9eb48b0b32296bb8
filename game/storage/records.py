"""Frozen records that go in and out of the MirrorPlay database.

Every timestamp is an ISO-8601 string in UTC (``"2025-03-01T09:30:00Z"`` or
``"...+00:00"``) written by the caller (usually with :func:`utc_now`): the database never
reads a clock itself, so a test can replay a whole session deterministically. Mappings are
stored as JSON; NaN metrics (an unreliable measurement) round-trip as NaN.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

Side = Literal["left", "right"]
SessionStatus = Literal["running", "completed", "ended_pain", "aborted"]

SIDES: tuple[str, ...] = ("left", "right")
FINAL_STATUSES: tuple[str, ...] = ("completed", "ended_pain", "aborted")

PAIN_MIN, PAIN_MAX = 0, 10
"""Pain is asked on the 0-10 Numeric Rating Scale (0 = no pain, 10 = worst imaginable)."""
STARS_MAX = 3
"""A level result earns 0 to 3 stars."""


def utc_now() -> str:
    """The current time as an ISO-8601 UTC timestamp for storage rows (whole seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def day_of(timestamp: object) -> date | None:
    """UTC calendar day of a stored ISO-8601 timestamp, or None when it is unreadable."""
    try:
        return datetime.fromisoformat(str(timestamp).replace("Z", "+00:00")).date()
    except ValueError:
        return None


CONTROL_CATEGORIES = ("Cc", "Cf", "Cs")
"""Unicode categories of control, invisible format and lone surrogate characters: never in a
name (a NUL breaks font drawing, an escape sequence a terminal)."""


def control_characters(text: str) -> list[str]:
    """The control characters in `text`, as ``U+XXXX`` names (see CONTROL_CATEGORIES)."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in CONTROL_CATEGORIES]


def printable(text: str) -> str:
    """`text` without control characters (for showing text stored before names were checked)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in CONTROL_CATEGORIES)


def check_utc_timestamp(value: str, name: str) -> str:
    """Return `value` if it is an ISO-8601 timestamp in UTC, else raise ValueError naming `name`.

    UTC only, so that timestamps from different days, devices and DST periods sort as text.
    """
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO-8601 UTC string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} is not an ISO-8601 timestamp: {value!r}") from None
    if parsed.utcoffset() != timedelta(0):
        raise ValueError(f"{name} must be in UTC (ending in 'Z' or '+00:00'): {value!r}")
    return value


def check_pain(value: int | None, name: str) -> None:
    """Raise ValueError naming `name` unless `value` is None or an integer 0-10 (NRS)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX:
        raise ValueError(f"{name} must be an integer {PAIN_MIN}-{PAIN_MAX} or None, got {value!r}")


def _check_float_map(value: Mapping[str, Any], name: str) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of name -> number")
    for key, item in value.items():
        if not isinstance(key, str) or isinstance(item, bool) or not isinstance(item, int | float):
            raise ValueError(f"{name}[{key!r}] must be a number keyed by a string, got {item!r}")


def check_non_negative(value: float, name: str) -> None:
    """Raise ValueError naming `name` unless `value` is a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")


@dataclass(frozen=True)
class Patient:
    """A person who plays. `alias` is what the screen shows (no real names needed).

    `affected_side` is the patient's anatomical side that is trained (see tracking/pose.py).
    `settings` holds the therapist's per-patient settings as JSON-able values.
    `guest` patients (demo, try-outs) are hidden from the patient list by default.
    """

    id: str
    alias: str
    affected_side: Side
    created_at: str
    settings: Mapping[str, Any]
    guest: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError(f"Patient.id must be a non-empty string, got {self.id!r}")
        if not isinstance(self.alias, str) or not self.alias.strip():
            raise ValueError(f"Patient.alias must be a non-empty string, got {self.alias!r}")
        for name in ("id", "alias"):
            bad = control_characters(getattr(self, name))
            if bad:
                raise ValueError(f"Patient.{name} contains control characters ({', '.join(bad)})")
        if self.affected_side not in SIDES:
            raise ValueError(f"Patient.affected_side must be 'left' or 'right', got {self.affected_side!r}")
        check_utc_timestamp(self.created_at, "Patient.created_at")
        if not isinstance(self.settings, Mapping):
            raise ValueError("Patient.settings must be a mapping")


@dataclass(frozen=True)
class Calibration:
    """Per-patient calibration values (e.g. arm length in metres, range limits in degrees)."""

    patient_id: str
    created_at: str
    values: Mapping[str, float]

    def __post_init__(self) -> None:
        check_utc_timestamp(self.created_at, "Calibration.created_at")
        _check_float_map(self.values, "Calibration.values")


@dataclass(frozen=True)
class SessionRow:
    """One play session as stored. `active_s` is time spent exercising, in seconds."""

    id: int
    patient_id: str
    started_at: str
    ended_at: str | None
    status: SessionStatus
    source: str
    plan: Mapping[str, Any]
    pain_before: int | None
    pain_after: int | None
    active_s: float


@dataclass(frozen=True)
class Rep:
    """One repetition. Times are seconds since the session started.

    `t_cue_s` is when the cue appeared, `t_end_s` when the movement ended.
    `compensated` flags trunk or shoulder compensation seen during the rep.
    """

    level_id: str
    set_index: int
    rep_index: int
    t_cue_s: float
    t_end_s: float
    success: bool
    compensated: bool
    metrics: Mapping[str, float]

    def __post_init__(self) -> None:
        if not isinstance(self.level_id, str) or not self.level_id:
            raise ValueError(f"Rep.level_id must be a non-empty string, got {self.level_id!r}")
        for name in ("set_index", "rep_index"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Rep.{name} must be an integer >= 0, got {value!r}")
        check_non_negative(self.t_cue_s, "Rep.t_cue_s")
        check_non_negative(self.t_end_s, "Rep.t_end_s")
        if self.t_end_s < self.t_cue_s:
            raise ValueError(f"Rep.t_end_s ({self.t_end_s}) is before Rep.t_cue_s ({self.t_cue_s})")
        _check_float_map(self.metrics, "Rep.metrics")


@dataclass(frozen=True)
class RepRow(Rep):
    """A stored Rep with its row id, session and the time it was saved."""

    id: int = 0
    session_id: int = 0
    created_at: str = ""


@dataclass(frozen=True)
class LevelResult:
    """Outcome of one level within a session.

    `reliable[name]` says whether `metrics[name]` rests on enough tracked data to be shown.
    """

    session_id: int
    level_id: str
    stars: int
    metrics: Mapping[str, float]
    reliable: Mapping[str, bool]

    def __post_init__(self) -> None:
        if isinstance(self.stars, bool) or not isinstance(self.stars, int):
            raise ValueError(f"LevelResult.stars must be an integer, got {self.stars!r}")
        if not 0 <= self.stars <= STARS_MAX:
            raise ValueError(f"LevelResult.stars must be 0-{STARS_MAX}, got {self.stars}")
        _check_float_map(self.metrics, "LevelResult.metrics")
        if not isinstance(self.reliable, Mapping) or not all(
            isinstance(v, bool) for v in self.reliable.values()
        ):
            raise ValueError("LevelResult.reliable must map metric names to True/False")


@dataclass(frozen=True)
class ChangeLogEntry:
    """One changed setting: who changed `key` from `old` to `new`, when and why.

    `old` is None when the key was added, `new` is None when it was removed.
    """

    patient_id: str
    at: str
    key: str
    old: Any
    new: Any
    reason: str
    who: str
