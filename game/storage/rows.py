"""Conversions between records and table rows: JSON columns, column lists, argument checks.

No SQL is executed here; db.py runs the statements.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from typing import Any

from game.storage.records import Patient, Rep, RepRow, SessionRow, printable

log = logging.getLogger(__name__)

PATIENT_COLS = "id, alias, affected_side, created_at, settings, guest"
SESSION_COLS = "id, patient_id, started_at, ended_at, status, source, plan, pain_before, pain_after, active_s"
REP_COLS = (
    "level_id, set_index, rep_index, t_cue_s, t_end_s, success, compensated, metrics, "
    "id, session_id, created_at"
)


def dump_json(value: Mapping[str, Any], name: str) -> str:
    """Serialise a mapping as compact sorted JSON; ValueError naming `name` if not JSON.

    NaN and infinities are stored as ``null`` (bare ``NaN`` is not JSON: SQLite's json
    functions and other readers reject it); :func:`load_metrics` reads them back as NaN.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping")
    try:
        finite = _finite_or_null(dict(value))
        return json.dumps(finite, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must hold only JSON values: {err}") from None


def _finite_or_null(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_null(v) for v in value]
    return value


def load_json(text: Any) -> dict[str, Any]:
    """A stored JSON object; damaged text or a non-object reads as ``{}`` (logged), so one bad
    row never breaks a whole list."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        log.warning("a stored JSON value is damaged and was read as empty: %.80r", text)
        return {}
    if not isinstance(value, dict):
        log.warning("a stored JSON value is not an object and was read as empty: %.80r", text)
        return {}
    return value


def load_metrics(text: Any) -> dict[str, float]:
    """A stored metrics object with ``null`` (an unreliable value) read back as NaN."""
    return {
        str(k): math.nan if v is None else v
        for k, v in load_json(text).items()
        if v is None or (isinstance(v, int | float) and not isinstance(v, bool))
    }


def dump_opt(value: Any) -> str | None:
    """JSON text of `value`, or None (SQL NULL) for None."""
    return None if value is None else json.dumps(value, sort_keys=True)


def load_opt(text: str | None) -> Any:
    """Inverse of `dump_opt` (damaged text reads as None)."""
    try:
        return None if text is None else json.loads(text)
    except ValueError:
        return None


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
    """Build a Patient from a row selected with PATIENT_COLS (damaged settings read as ``{}``,
    control characters dropped from the alias). ValueError if the row cannot be a Patient."""
    alias = printable(str(row[1])) or str(row[0])
    return Patient(row[0], alias, row[2], row[3], load_json(row[4]), bool(row[5]))


def session_from_row(row: tuple[Any, ...]) -> SessionRow:
    """Build a SessionRow from a row selected with SESSION_COLS."""
    return SessionRow(
        id=int(row[0]),
        patient_id=row[1],
        started_at=row[2],
        ended_at=row[3],
        status=row[4],
        source=row[5],
        plan=load_json(row[6]),
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
        metrics=load_metrics(row[7]),
        id=int(row[8]),
        session_id=int(row[9]),
        created_at=row[10],
    )
