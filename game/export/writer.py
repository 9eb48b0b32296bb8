"""One patient's exports written from the database: used by ``main.py export`` and the therapist.

:func:`export_data` reads a patient's history into the plain :class:`ExportData` every format
takes; :func:`export_patient` writes one format; :func:`export_all` writes all three into a
dated folder beside the database (the therapist's Export button).

Pseudonymised export needs a secret salt so that the same patient gets the same pseudonym in
every export: the caller's, or one kept in the database (meta key ``export_salt``, made with
:func:`secrets.token_hex` on first use).
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from game.export.csv_export import write_csv
from game.export.data import ExportData, pseudonymise, random_shift_days
from game.export.dose import steps_reps
from game.export.fhir import fhir_bundle
from game.export.report import write_report
from game.files import make_private_folder, write_atomic
from game.levels import DEFAULT_PLAN, load_all, load_plan
from game.storage.protocol import HistoryReader, MetaStore, Store
from game.storage.records import Patient
from game.therapist.settings_schema import settings_of

SALT_KEY = "export_salt"
FORMATS = ("csv", "fhir", "report")


class _HistoryAndMeta(HistoryReader, MetaStore, Protocol):
    """What :func:`export_patient` reads: the history, and the salt kept as a meta value."""


def export_data(db: HistoryReader, patient: Patient) -> ExportData:
    """Everything about one patient as :class:`ExportData` (dicts of the storage records)."""
    sessions = db.sessions(patient.id)
    reps: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for s in sessions:
        reps += [dataclasses.asdict(r) for r in db.reps(s.id)]
        results += [dataclasses.asdict(r) for r in db.level_results(s.id)]
    settings = settings_of(patient)
    levels = load_all()
    level_reps = {k: int(getattr(v.params, "reps", 0)) for k, v in levels.items()}
    steps = list(settings.plan) or load_plan(DEFAULT_PLAN, levels)  # empty plan: the shipped one
    plan_reps = steps_reps([dict(s) for s in steps], level_reps)
    return ExportData(patient.id, patient.alias, patient.affected_side,
                      [dataclasses.asdict(s) for s in sessions], reps, results,
                      planned_minutes_per_day=settings.session_minutes,
                      planned_reps_per_day=None if plan_reps is None else float(plan_reps),
                      level_reps=level_reps,
                      level_titles={k: v.title for k, v in levels.items()})  # fmt: skip


def export_salt(db: MetaStore) -> str:
    """The database's pseudonym salt, created on first use."""
    salt = db.get_meta(SALT_KEY)
    if not salt:
        salt = secrets.token_hex(16)
        db.set_meta(SALT_KEY, salt)
    return str(salt)


def export_patient(
    db: _HistoryAndMeta,
    patient: Patient,
    fmt: str,
    out: Path,
    *,
    pseudonymise: bool = False,
    salt: str | None = None,
    reps: bool = False,
    overwrite: bool = True,
) -> list[Path]:
    """Write one export of `patient` in `fmt` (one of :data:`FORMATS`) to `out`; return the
    files written (each atomically). Raises ValueError naming a bad `fmt`.

    Pseudonymised exports also shift every date by one secret random offset per export and
    replace the database's row ids by export-local numbers (game/export/data.py).
    """
    if fmt not in FORMATS:
        raise ValueError(f"export format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    data = export_data(db, patient)
    if pseudonymise:
        data = _pseudonymised(data, export_salt(db) if salt is None else salt)
    if fmt == "csv":
        return list(write_csv(data, out, overwrite=overwrite))
    if fmt == "report":
        return [write_report(data, out, overwrite=overwrite)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    bundle = fhir_bundle(data, include_reps=reps, timestamp=stamp)
    text = json.dumps(bundle, indent=1, allow_nan=False)
    return [write_atomic(out, text.encode("utf-8"), overwrite=overwrite)]


def _pseudonymised(data: ExportData, salt: str) -> ExportData:
    return pseudonymise(data, salt, random_shift_days())


def export_all(db: Store, patient: Patient, now: datetime | None = None) -> str:
    """Write CSV, FHIR and a PDF report of `patient` beside the database; return a status line."""
    now = now or datetime.now(UTC)
    folder = Path(db.path).parent / "exports" / f"{patient.id}-{now.strftime('%Y%m%d-%H%M%S')}"
    try:
        make_private_folder(folder)
        export_patient(db, patient, "csv", folder / "metrics.csv")
        export_patient(db, patient, "fhir", folder / "bundle.json")
        export_patient(db, patient, "report", folder / "report.pdf")
    except (OSError, ValueError) as err:
        return f"Export failed: {err}"
    return f"Saved to {folder}"
