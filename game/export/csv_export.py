"""CSV export: one "long" table of every measure, plus a sessions table beside it.

Layout of ``<name>.csv`` (one value per row, UTF-8, comma separated, header first)::

    session_id, started_at, level_id, set, rep, time_s, metric, kind, value, unit, reliable,
    valid_fraction

- every row has its ``set`` and ``rep`` number (game/export/measures.py): sets of a level count
  from 1 within the session, reps from 1 within the set, and rep ``0`` is the set's summary (its
  level result), so ``(session_id, level_id, set, rep, metric)`` is unique;
- ``time_s``: seconds from the session start to the end of the rep (of the set for rep 0);
- ``metric`` and ``unit`` (UCUM) come from the catalogue (game/scoring/catalog.py); ``kind`` is
  ``metric``, ``flag`` (1 = yes, 0 = no, no unit), ``parameter`` or ``timing``;
- ``value`` with full float precision; an unmeasured value is an empty cell;
- ``reliable`` is 1 or 0; ``valid_fraction`` is the share of the rep's frames in which the
  landmarks the measure needs were seen (empty when the scoring gave none). They are qualities of
  the row's measure, never rows of their own.

``<name>_sessions.csv`` beside it has one row per session: session_id, started_at, ended_at,
status (``ended_pain`` = ended because pain rose), active_s, pain_before, pain_after, reps,
successes, plan_reps (repetitions in the plan stored with the session). Long format keeps new
measures from changing the columns and loads straight into R/pandas/Excel pivot tables.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.export.data import DATE_SHIFT_NOTE, ExportData, as_float, pseudonymise
from game.export.dose import plan_reps
from game.export.measures import measures
from game.files import write_atomic

COLUMNS = ("session_id", "started_at", "level_id", "set", "rep", "time_s", "metric", "kind", "value",
           "unit", "reliable", "valid_fraction")  # fmt: skip
SESSION_COLUMNS = ("session_id", "started_at", "ended_at", "status", "active_s", "pain_before",
                   "pain_after", "reps", "successes", "plan_reps")  # fmt: skip


@dataclass(frozen=True)
class MetricRow:
    """One row of the long CSV (see the module docstring); NaN for an empty number cell."""

    session_id: str
    started_at: str
    level_id: str
    set_number: int
    rep_number: int
    time_s: float
    metric: str
    kind: str
    value: float
    unit: str
    reliable: bool
    valid_fraction: float


def metric_rows(data: ExportData) -> list[MetricRow]:
    """Every measure of `data` as CSV rows, in session, set and rep order."""
    started = {str(s.get("id")): str(s.get("started_at", "")) for s in data.sessions}
    return [
        MetricRow(m.session_id, started.get(m.session_id, ""), m.level_id, m.set_number, m.rep_number,
                  m.end_s, m.metric, m.kind, m.value, m.unit, m.reliable, m.valid_fraction)
        for m in measures(data)
    ]  # fmt: skip


def csv_paths(out: str | Path, patient_id: str) -> tuple[Path, Path]:
    """The metrics and sessions files for `out`: a ``.csv`` name (the sessions table beside it
    as ``<stem>_sessions.csv``) or an existing folder (``<patient id>_metrics.csv`` inside).

    Raises ValueError for anything else: a folder is never created here.
    """
    out = Path(out)
    if out.is_dir():
        out = out / f"{patient_id}_metrics.csv"
    elif out.suffix.lower() != ".csv":
        raise ValueError(f"--out for CSV must end in .csv or name an existing folder, got {str(out)!r}")
    return out, out.with_name(out.stem + "_sessions.csv")


def readme_path(metrics_path: Path) -> Path:
    """Where a pseudonymised CSV export says how its dates were shifted."""
    return metrics_path.with_name(metrics_path.stem + "_README.txt")


def write_csv(
    data: ExportData,
    out: str | Path,
    *,
    pseudonymise_id: bool = False,
    salt: str = "",
    shift_days: int | None = None,
    overwrite: bool = True,
) -> tuple[Path, ...]:
    """Write the metrics CSV and the sessions CSV (and, when the dates were shifted, a README
    saying so); return the paths. Each file is written atomically (game/files.py).

    Parameters
    ----------
    out : path
        See :func:`csv_paths`.
    pseudonymise_id : bool
        Pseudonymise first (game/export/data.py :func:`pseudonymise`, `shift_days` passed on).
    overwrite : bool
        Replace existing files (the command line checks ``--force`` before).
    """
    if pseudonymise_id:
        data = pseudonymise(data, salt, shift_days)
    metrics_path, sessions_path = csv_paths(out, data.patient_id)
    write_atomic(metrics_path, _metrics_text(data).encode("utf-8"), overwrite=overwrite)
    write_atomic(sessions_path, _sessions_text(data).encode("utf-8"), overwrite=overwrite)
    if not data.dates_shifted:
        return metrics_path, sessions_path
    note = readme_path(metrics_path)
    write_atomic(note, (DATE_SHIFT_NOTE + "\n").encode("utf-8"), overwrite=overwrite)
    return metrics_path, sessions_path, note


def _metrics_text(data: ExportData) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for r in metric_rows(data):
        writer.writerow([r.session_id, r.started_at, r.level_id, r.set_number, r.rep_number,
                         _num(r.time_s), r.metric, r.kind, _num(r.value), r.unit,
                         int(r.reliable), _num(r.valid_fraction)])  # fmt: skip
    return buf.getvalue()


def _sessions_text(data: ExportData) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(SESSION_COLUMNS)
    for s in sorted(data.sessions, key=lambda s: str(s.get("started_at", ""))):
        reps = [r for r in data.reps if str(r.get("session_id")) == str(s.get("id"))]
        writer.writerow([s.get("id"), s.get("started_at", ""), s.get("ended_at") or "",
                         s.get("status", ""), _num(as_float(s.get("active_s"))),
                         _opt(s.get("pain_before")), _opt(s.get("pain_after")), len(reps),
                         sum(bool(r.get("success")) for r in reps),
                         _opt(plan_reps(s.get("plan"), data.level_reps))])  # fmt: skip
    return buf.getvalue()


def read_csv(path: str | Path) -> list[MetricRow]:
    """Read a metrics CSV written by :func:`write_csv` back into rows.

    Raises ValueError naming the file and line when the header or a value is wrong.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ValueError(f"{path.name}: header must be {','.join(COLUMNS)}")
        rows = []
        for line_no, cells in enumerate(reader, start=2):
            try:
                sid, started, level, set_s, rep_s, time_s, metric, kind, value, unit, ok, frac = cells
                rows.append(MetricRow(sid, started, level, int(set_s), int(rep_s), _float(time_s),
                                      metric, kind, _float(value), unit, ok == "1",
                                      _float(frac)))  # fmt: skip
            except ValueError as err:
                raise ValueError(f"{path.name}: line {line_no}: {err}") from None
    return rows


def _num(value: float) -> str:
    return repr(value) if math.isfinite(value) else ""


def _opt(value: Any) -> str:
    return "" if value is None else str(value)


def _float(text: str) -> float:
    return float(text) if text else math.nan
