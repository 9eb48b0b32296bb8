"""Command-line tools beside the game: ``progress`` (family picture) and ``export``.

::

    uv run main.py progress --patient ID --png PATH [--db PATH] [--today YYYY-MM-DD] [--force]
    uv run main.py export --patient ID --format csv|fhir|report --out PATH
                          [--pseudonymise [--salt TEXT]] [--reps] [--db PATH] [--force]

Both read the real patients' database by default (``storage.default_db_path(demo=False)``),
opened read-only (so a database on a read-only disk, or a read-only file, exports fine; the only
write is the pseudonym salt, made once per database). Output paths are checked before anything
is read: never the database, never an existing file without ``--force``, never a folder that
does not exist. Failures are one line (main.py's handler): exit 2 for bad input, 1 for the
machine; nothing is written then.

Pseudonymised export needs a secret salt so that the same patient gets the same pseudonym in
every export: ``--salt`` if given, else one kept in the database (game/export/writer.py).
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, date, datetime
from pathlib import Path

from game.export.csv_export import csv_paths, readme_path
from game.export.data import pseudonym
from game.export.writer import FORMATS, SALT_KEY, export_patient, export_salt
from game.failures import UserFacingError
from game.files import check_output
from game.render.progress_view import save_progress_png
from game.storage import StorageError, Store, db_target, default_db_path, is_postgres_url, open_database
from game.storage.protocol import PatientStore
from game.storage.records import Patient
from game.therapist.review import progress_summary
from game.validate import check_plain_text

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""``--today`` must fall in these years (a calendar a progress week can be drawn in)."""
SUFFIXES = {"csv": (".csv",), "fhir": (".json",), "report": (".pdf", ".png")}


class ToolError(UserFacingError):
    """A user-facing problem of a tool: one line, exit 2 unless ``code`` says otherwise."""


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-03-01, got {text!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"must be between {FIRST_DAY} and {LAST_DAY}, got {text}")
    return day


def _text(text: str) -> str:
    try:
        return check_plain_text(text, "the value")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_tool_arguments(p: argparse.ArgumentParser, tool: str) -> None:
    """The options of ``progress`` or ``export``."""
    if tool == "progress":
        p.add_argument("--png", type=Path, required=True, metavar="PATH", help="picture to write (.png)")
        p.add_argument("--today", type=_day, metavar="DATE",
                       help="the day the picture is for (default: today, UTC)")  # fmt: skip
    else:
        p.add_argument("--format", choices=FORMATS, required=True,
                       help="csv: metrics table (+ _sessions.csv); fhir: JSON Bundle; "
                       "report: one-page .pdf or .png")  # fmt: skip
        p.add_argument("--out", type=Path, required=True, metavar="PATH",
                       help="file to write (.csv, .json, .pdf or .png; CSV may name a folder)")  # fmt: skip
        p.add_argument("--pseudonymise", action="store_true",
                       help="replace the patient id by a salted pseudonym, drop the alias and row ids, "
                       "and shift every date by a secret random offset")  # fmt: skip
        p.add_argument("--salt", type=_text, metavar="TEXT",
                       help="pseudonym salt, with --pseudonymise (default: the database's)")  # fmt: skip
        p.add_argument("--reps", action="store_true", help="FHIR: include every repetition")
    p.add_argument("--patient", type=_text, required=True, metavar="ID", help="patient id")
    p.add_argument("--db", type=db_target, metavar="PATH|URL",
                   help="database file or postgresql:// URL (default: $MIRRORPLAY_DB, else the game's "
                   "patients database)")  # fmt: skip
    p.add_argument("--force", action="store_true", help="replace existing output files (never the database)")


def _db_path(path: Path | str | None) -> Path | str:
    if path is None and os.environ.get("MIRRORPLAY_DB"):
        path = db_target(os.environ["MIRRORPLAY_DB"])
    if isinstance(path, str) and is_postgres_url(path):
        return path  # a server database: opening it says whether it is there
    db_path = Path(path) if path is not None else default_db_path(demo=False)
    if not str(db_path).strip():
        raise ToolError("--db: the database file name is empty.")
    if not db_path.is_file():
        raise ToolError(
            f"no patients' database at {db_path} yet (a therapist adds patients in the game); "
            f"the demo keeps its sessions apart in {default_db_path(demo=True)}: add --db PATH to "
            "read another database (the demo's patient id is 'demo')"
        )
    return db_path


def _protect(db_path: Path | str) -> list[Path]:
    """Outputs must never be the database file (a server database is no file here)."""
    return [db_path] if isinstance(db_path, Path) else []


def _patient(db: PatientStore, patient_id: str) -> Patient:
    patient = db.get_patient(patient_id)
    if patient is None:
        known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
        raise ToolError(f"unknown patient {patient_id!r} (known: {known})")
    return patient


def _salt(db_path: Path | str, db: Store, given: str | None) -> str:
    """The pseudonym salt: ``--salt``, the database's, or a new one stored in it (one write)."""
    if given is not None:
        return given
    stored = db.get_meta(SALT_KEY)
    if stored:
        return stored
    try:
        with open_database(db_path) as writable:
            return export_salt(writable)
    except StorageError as err:
        raise ToolError(f"no pseudonym salt is kept in the database yet and it cannot be saved "
                        f"({err}). Give one with --salt.", err.code) from None  # fmt: skip


def _export_outputs(args: argparse.Namespace, patient_id: str, db_path: Path | str) -> list[Path]:
    """Every file the export will write, checked (exists, database, folder) before writing."""
    out = args.out
    if args.format == "csv":
        try:
            metrics, sessions = csv_paths(out, patient_id)
        except ValueError as err:
            raise ToolError(str(err)) from None
        targets = [metrics, sessions] + ([readme_path(metrics)] if args.pseudonymise else [])
    else:
        targets = [out]
    for target in targets:
        check_output(target, option="--out", suffixes=SUFFIXES[args.format] if target == out else (),
                     protect=_protect(db_path), force=args.force)  # fmt: skip
    return targets


def _export(args: argparse.Namespace) -> int:
    if args.salt is not None and not args.pseudonymise:
        raise ToolError("--salt only applies with --pseudonymise")
    if args.salt is not None and len(args.salt) < 8:
        raise ToolError("--salt must be at least 8 characters")
    db_path = _db_path(args.db)
    if args.format != "csv" or not args.out.is_dir():
        _export_outputs(args, "", db_path)  # a file name: check it before reading anything
    with open_database(db_path, read_only=True) as db:
        patient = _patient(db, args.patient)
        salt = _salt(db_path, db, args.salt) if args.pseudonymise else None
        name = pseudonym(patient.id, salt) if salt is not None else patient.id
        _export_outputs(args, name, db_path)
        paths = export_patient(db, patient, args.format, args.out, pseudonymise=args.pseudonymise,
                               salt=salt, reps=args.reps, overwrite=args.force)  # fmt: skip
    for p in paths:
        print(p)
    return 0


def _progress(args: argparse.Namespace) -> int:
    db_path = _db_path(args.db)
    png = check_output(args.png, option="--png", suffixes=(".png",), protect=_protect(db_path),
                       force=args.force)  # fmt: skip
    with open_database(db_path, read_only=True) as db:
        patient = _patient(db, args.patient)
        today = args.today or datetime.now(UTC).date()
        save_progress_png(progress_summary(db, patient, today), png, overwrite=args.force)
    print(png)
    return 0


def run_tool(args: argparse.Namespace) -> int:
    """Run ``progress`` or ``export`` with parsed arguments (``args.command``)."""
    return _progress(args) if args.command == "progress" else _export(args)
