"""Command-line tools beside the game: ``progress`` (family picture) and ``export``.

::

    uv run main.py progress --patient ID --png PATH [--db PATH] [--today YYYY-MM-DD]
    uv run main.py export --patient ID --format csv|fhir|report --out PATH
                          [--pseudonymise] [--salt TEXT] [--reps] [--db PATH]

Both read the real patients' database by default (``storage.default_db_path(demo=False)``).
A missing or unreadable database, an unknown patient or a bad option gets one clear line on
stderr and exit code 2; nothing is written then.

Pseudonymised export needs a secret salt so that the same patient gets the same pseudonym in
every export: ``--salt`` if given, else one kept in the database (game/export/writer.py).
The tools only parse and check their options: the work is done by game/export/writer.py
(exports) and game/render/progress_view.py (the picture), never through a scene.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn

from game.export.writer import FORMATS, export_patient
from game.render.progress_view import save_progress_png
from game.storage import StorageError, Store, default_db_path, open_database
from game.storage.protocol import PatientStore
from game.storage.records import Patient
from game.therapist.review import progress_summary

EXIT_USAGE = 2


class ToolError(Exception):
    """A user-facing problem: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ToolError(f"{message} (see --help)")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-03-01, got {text!r}") from None


def build_parser(tool: str) -> argparse.ArgumentParser:
    """The parser of ``progress`` or ``export``."""
    if tool == "progress":
        p = _Parser(
            prog="mirrorplay progress",
            description="Draw the family progress screen of one patient into a PNG picture.",
        )
        p.add_argument("--png", type=Path, required=True, metavar="PATH", help="picture to write (.png)")
        p.add_argument("--today", type=_day, metavar="DATE",
                       help="the day the picture is for (default: today, UTC)")  # fmt: skip
    else:
        p = _Parser(
            prog="mirrorplay export",
            description="Export one patient's sessions as CSV, a FHIR R4 Bundle or a report.",
        )
        p.add_argument("--format", choices=FORMATS, required=True,
                       help="csv: metrics table (+ _sessions.csv); fhir: JSON Bundle; "
                       "report: one-page .pdf or .png")  # fmt: skip
        p.add_argument("--out", type=Path, required=True, metavar="PATH", help="file to write")
        p.add_argument(
            "--pseudonymise",
            action="store_true",
            help="replace the patient id by a salted pseudonym and drop the alias",
        )
        p.add_argument("--salt", metavar="TEXT", help="pseudonym salt (default: kept in the database)")
        p.add_argument("--reps", action="store_true", help="FHIR: include every repetition")
    p.add_argument("--patient", required=True, metavar="ID", help="patient id")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help="database file (default: the game's patients database)")  # fmt: skip
    return p


def _open(path: Path | None) -> Store:
    db_path = path if path is not None else default_db_path(demo=False)
    if not db_path.is_file():
        raise ToolError(
            f"no patients' database at {db_path} yet (a therapist adds patients in the game); "
            f"the demo keeps its sessions apart in {default_db_path(demo=True)}: add --db PATH to "
            "read another database (the demo's patient id is 'demo')"
        )
    try:
        return open_database(db_path)
    except StorageError as err:
        raise ToolError(str(err)) from None


def _patient(db: PatientStore, patient_id: str) -> Patient:
    patient = db.get_patient(patient_id)
    if patient is None:
        known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
        raise ToolError(f"unknown patient {patient_id!r} (known: {known})")
    return patient


def _export(args: argparse.Namespace) -> int:
    if args.format == "report" and args.out.suffix.lower() not in (".pdf", ".png"):
        raise ToolError(f"--out for a report must end in .pdf or .png, got {str(args.out)!r}")
    if args.salt is not None and len(args.salt) < 8:
        raise ToolError("--salt must be at least 8 characters")
    db = _open(args.db)
    try:
        patient = _patient(db, args.patient)
        paths = export_patient(db, patient, args.format, args.out, pseudonymise=args.pseudonymise,
                               salt=args.salt, reps=args.reps)  # fmt: skip
    except (OSError, ValueError) as err:
        raise ToolError(f"cannot write {args.out}: {err}") from None
    finally:
        db.close()
    for p in paths:
        print(p)
    return 0


def _progress(args: argparse.Namespace) -> int:
    if args.png.suffix.lower() != ".png":
        raise ToolError(f"--png must name a .png file, got {str(args.png)!r}")
    db = _open(args.db)
    try:
        patient = _patient(db, args.patient)
        today = args.today or datetime.now(UTC).date()
        try:
            save_progress_png(progress_summary(db, patient, today), args.png)
        except (OSError, ValueError) as err:
            raise ToolError(f"cannot write {args.png}: {err}") from None
    finally:
        db.close()
    print(args.png)
    return 0


def run_tool(argv: list[str]) -> int:
    """Run ``progress`` or ``export`` with their arguments (``argv[0]`` is the tool name)."""
    tool, rest = argv[0], argv[1:]
    try:
        if tool not in ("progress", "export"):
            raise ToolError(f"unknown tool {tool!r} (use progress or export)")
        args = build_parser(tool).parse_args(rest)
        return _progress(args) if tool == "progress" else _export(args)
    except ToolError as err:
        print(f"mirrorplay {tool}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
