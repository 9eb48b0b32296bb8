"""The plain input of every export, pseudonymisation, and units and codes from the catalogue.

:class:`ExportData` holds dicts shaped like the storage records (game/storage/records.py) so the
caller can fill it with ``dataclasses.asdict`` of ``SessionRow``, ``RepRow`` and ``LevelResult``:

- session: ``id, started_at, ended_at, status, active_s, pain_before, pain_after, plan``
  (others ignored; ``plan`` is the session plan stored when it started)
- rep: ``session_id, level_id, set_index, rep_index, t_cue_s, t_end_s, success, compensated,
  metrics`` and ``id`` (saved order); rep metrics may hold the quality values
  ``{name}_reliable`` and ``{name}_valid_fraction`` beside a measure
- level result: ``session_id, level_id, stars, metrics, reliable``

A NaN metric, or one whose ``reliable`` flag is False, is an unreliable measurement.

Units, display names and codes come from the metric catalogue (game/scoring/catalog.py): a
measure the catalogue does not know gets no unit rather than a guessed one.

`level_reps` (level id -> the level file's own repetitions per set) lets the dose count the
plan stored with each session, whose steps may leave the repetitions to the level file;
`level_titles` (level id -> title) names the levels in the FHIR export.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from game.scoring.catalog import CATALOG, LOCAL_SYSTEM, info

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
DISPLAY: dict[str, str] = {name: m.display for name, m in CATALOG.items()}
"""Display name of every catalogued measure (the therapist review reads it)."""
STANDARD_CODES: dict[str, tuple[str, str, str, str]] = {
    name: (*m.code, m.unit) for name, m in CATALOG.items() if m.code is not None
}
"""name -> (system, code, display, UCUM unit) of the measures with a standard (LOINC) code."""


@dataclass(frozen=True)
class ExportData:
    """Everything an export needs about one patient (see the module docstring for dict keys).

    `planned_minutes_per_day` and `planned_reps_per_day` are the therapist's dose plan, drawn
    as reference lines in the report when given.
    """

    patient_id: str
    alias: str
    affected_side: str
    sessions: list[dict[str, Any]]
    reps: list[dict[str, Any]]
    level_results: list[dict[str, Any]]
    planned_minutes_per_day: float | None = None
    planned_reps_per_day: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    level_reps: Mapping[str, int] = field(default_factory=dict)
    level_titles: Mapping[str, str] = field(default_factory=dict)
    dates_shifted: bool = False
    """True when every date was moved by a secret per-export offset (pseudonymised export)."""

    def __post_init__(self) -> None:
        if not isinstance(self.patient_id, str) or not self.patient_id.strip():
            raise ValueError(f"patient_id must be a non-empty string, got {self.patient_id!r}")
        for name in ("sessions", "reps", "level_results"):
            rows = getattr(self, name)
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValueError(f"{name} must be a list of dicts")


def pseudonym(patient_id: str, salt: str) -> str:
    """A stable pseudonym: ``"p-"`` + 16 hex digits of HMAC-SHA256(salt, patient_id).

    The same id and salt always give the same pseudonym, so exports from different days link
    up; without the salt the id cannot be recovered by hashing guessed ids.
    """
    if not isinstance(salt, str) or len(salt) < 8:
        raise ValueError("salt must be a string of at least 8 characters for pseudonymised export")
    digest = hmac.new(salt.encode("utf-8"), patient_id.encode("utf-8"), hashlib.sha256)
    return "p-" + digest.hexdigest()[:16]


MAX_SHIFT_DAYS = 365
"""Pseudonymised exports move every date by 1 to this many days, forwards or back."""
DATE_SHIFT_NOTE = (
    "Pseudonymised export: every date and time is shifted by one secret random number of days, "
    "different for each export (intervals between sessions are kept); ids are export-local."
)
_TIME_KEYS = ("started_at", "ended_at", "created_at")


def random_shift_days() -> int:
    """A secret per-export date offset: 1 to MAX_SHIFT_DAYS days, forwards or back, never 0."""
    days = 1 + secrets.randbelow(MAX_SHIFT_DAYS)
    return days if secrets.randbelow(2) else -days


def pseudonymise(data: ExportData, salt: str, shift_days: int | None = None) -> ExportData:
    """Return `data` with the patient id replaced by :func:`pseudonym`, the alias dropped, every
    timestamp moved by `shift_days` (a random non-zero offset when None) and the database's row
    ids replaced by export-local session numbers (1, 2, ... in start order; rep ids dropped)."""
    shift = random_shift_days() if shift_days is None else int(shift_days)
    order = sorted(data.sessions, key=lambda s: str(s.get("started_at", "")))
    local = {str(s.get("id")): i for i, s in enumerate(order, start=1)}

    def moved(row: dict[str, Any], id_key: str) -> dict[str, Any]:
        out = {k: v for k, v in row.items() if k != "id"}
        for key in _TIME_KEYS:
            if isinstance(out.get(key), str):
                out[key] = shift_timestamp(out[key], shift)
        out[id_key] = local.get(str(row.get(id_key)), 0)
        return out

    return dataclasses.replace(
        data,
        patient_id=pseudonym(data.patient_id, salt),
        alias="",
        extra={},
        sessions=[moved(s, "id") for s in order],
        reps=[moved(r, "session_id") for r in data.reps],
        level_results=[moved(r, "session_id") for r in data.level_results],
        dates_shifted=True,
    )


def shift_timestamp(text: str, days: int) -> str:
    """An ISO-8601 timestamp moved by `days`; unreadable text becomes empty (never kept as is)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (when + timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return ""


def unit_for_metric(name: str) -> str:
    """UCUM unit code of a catalogued measure; ``""`` for flags and for unknown names."""
    entry = info(name)
    return entry.unit if entry is not None else ""


def metric_coding(name: str) -> dict[str, str]:
    """FHIR Coding (system, code, display) for a measure: its LOINC code if it has one, else
    the local code system with the metric name as code."""
    entry = info(name)
    if entry is not None and entry.code is not None:
        system, code, display = entry.code
        return {"system": system, "code": code, "display": display}
    display = entry.display if entry is not None else name
    return {"system": LOCAL_SYSTEM, "code": name, "display": display}


def as_float(value: Any) -> float:
    """A metric value as float; booleans become 1.0/0.0, anything unusable NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
