"""Command-line tools beside the game: ``progress`` (family picture) and ``export``.

::

    uv run main.py progress --patient ID --png PATH [--db PATH] [--today YYYY-MM-DD]
    uv run main.py export --patient ID --format csv|fhir|report --out PATH
                          [--pseudonymise] [--salt TEXT] [--reps] [--db PATH]

Both read the real patients' database by default (``storage.default_db_path(demo=False)``).
A missing or unreadable database, an unknown patient or a bad option gets one clear line on
stderr and exit code 2; nothing is written then.

Pseudonymised export needs a secret salt so that the same patient gets the same pseudonym in
every export: ``--salt`` if given, else one kept in the database (meta key ``export_salt``,
made with :func:`secrets.token_hex` on first use).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

EXIT_USAGE = 2
SALT_KEY = "export_salt"
FORMATS = ("csv", "fhir", "report")


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


def _open(path: Path | None) -> Any:
    from game.storage import StorageError, default_db_path, open_database

    db_path = path if path is not None else default_db_path(demo=False)
    if not db_path.is_file():
        raise ToolError(f"no database at {db_path} (use --db PATH)")
    try:
        return open_database(db_path)
    except StorageError as err:
        raise ToolError(str(err)) from None


def _patient(db: Any, patient_id: str) -> Any:
    patient = db.get_patient(patient_id)
    if patient is None:
        known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
        raise ToolError(f"unknown patient {patient_id!r} (known: {known})")
    return patient


def export_salt(db: Any) -> str:
    """The database's pseudonym salt, created on first use."""
    salt = db.get_meta(SALT_KEY)
    if not salt:
        salt = secrets.token_hex(16)
        db.set_meta(SALT_KEY, salt)
    return str(salt)


def export_patient(
    db: Any,
    patient: Any,
    fmt: str,
    out: Path,
    *,
    pseudonymise: bool = False,
    salt: str | None = None,
    reps: bool = False,
) -> list[Path]:
    """Write one export of `patient` in `fmt` to `out`; return the files written."""
    from game.export.csv_export import write_csv
    from game.export.fhir import fhir_bundle
    from game.export.report import write_report
    from game.scenes.therapist_data import export_data

    data = export_data(db, patient)
    if pseudonymise and salt is None:
        salt = export_salt(db)
    kw = {"pseudonymise_id": pseudonymise, "salt": salt or ""}
    if fmt == "csv":
        return list(write_csv(data, out, **kw))  # type: ignore[arg-type]
    if fmt == "report":
        return [write_report(data, out, **kw)]  # type: ignore[arg-type]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    bundle = fhir_bundle(data, include_reps=reps, timestamp=stamp, **kw)  # type: ignore[arg-type]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(bundle, indent=1, allow_nan=False), encoding="utf-8")
    return [out]


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
        from game.scenes.progress import render_png

        today = args.today or datetime.now(UTC).date()
        try:
            render_png(db, patient, args.png, today)
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
