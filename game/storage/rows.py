"""Conversions between records and table rows: JSON columns, column lists, argument checks.

No SQL is executed here; db.py runs the statements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from game.storage.records import SIDES, Patient, Rep, RepRow, SessionRow

PATIENT_COLS = "id, alias, affected_side, created_at, settings, guest"
SESSION_COLS = "id, patient_id, started_at, ended_at, status, source, plan, pain_before, pain_after, active_s"
REP_COLS = (
    "level_id, set_index, rep_index, t_cue_s, t_end_s, success, compensated, metrics, "
    "id, session_id, created_at"
)


def dump_json(value: Mapping[str, Any], name: str) -> str:
    """Serialise a mapping as compact sorted JSON; ValueError naming `name` if not JSON."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping")
    try:
        return json.dumps(dict(value), sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must hold only JSON values: {err}") from None


def dump_opt(value: Any) -> str | None:
    """JSON text of `value`, or None (SQL NULL) for None."""
    return None if value is None else json.dumps(value, sort_keys=True)


def load_opt(text: str | None) -> Any:
    """Inverse of `dump_opt`."""
    return None if text is None else json.loads(text)


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Keys added, removed or whose JSON value differs, sorted."""
    return [
        key
        for key in sorted(old.keys() | new.keys())
        if (key in old) != (key in new) or dump_opt(old[key]) != dump_opt(new[key])
    ]


def check_text(value: object, name: str) -> str:
    """Return `value` if it is a non-empty string, else raise ValueError naming `name`."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def check_id(value: object, name: str) -> int:
    """Return `value` if it is an integer row id, else raise ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer id, got {value!r}")
    return value


def patient_from_row(row: tuple[Any, ...]) -> Patient:
    """Build a Patient from a row selected with PATIENT_COLS."""
    return Patient(row[0], row[1], row[2], row[3], json.loads(row[4]), bool(row[5]))


def session_from_row(row: tuple[Any, ...]) -> SessionRow:
    """Build a SessionRow from a row selected with SESSION_COLS."""
    return SessionRow(
        id=int(row[0]),
        patient_id=row[1],
        started_at=row[2],
        ended_at=row[3],
        status=row[4],
        source=row[5],
        plan=json.loads(row[6]),
        pain_before=row[7],
        pain_after=row[8],
        active_s=float(row[9]),
    )


def rep_params(rep: Rep) -> tuple[Any, ...]:
    """Values for the rep columns level_id .. compensated (metrics excluded)."""
    return (
        rep.level_id,
        rep.set_index,
        rep.rep_index,
        float(rep.t_cue_s),
        float(rep.t_end_s),
        int(rep.success),
        int(rep.compensated),
    )


def rep_from_row(row: tuple[Any, ...]) -> RepRow:
    """Build a RepRow from a row selected with REP_COLS."""
    return RepRow(
        level_id=row[0],
        set_index=int(row[1]),
        rep_index=int(row[2]),
        t_cue_s=float(row[3]),
        t_end_s=float(row[4]),
        success=bool(row[5]),
        compensated=bool(row[6]),
        metrics=json.loads(row[7]),
        id=int(row[8]),
        session_id=int(row[9]),
        created_at=row[10],
    )


def identity_of(settings: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The name and affected side a settings mapping gives the patient (None: keep the
    stored one). A blank name or a side other than left/right is refused, naming the key."""
    alias, side = settings.get("alias"), settings.get("affected_side")
    if alias is not None and (not isinstance(alias, str) or not alias.strip()):
        raise ValueError(f"settings.alias must be a non-empty name, got {alias!r}")
    if side is not None and side not in SIDES:
        raise ValueError(f"settings.affected_side must be 'left' or 'right', got {side!r}")
    return (alias.strip() if isinstance(alias, str) else None), side
