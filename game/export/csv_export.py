"""CSV export: one "long" table of every metric, plus a sessions table beside it.

Layout of ``<name>.csv`` (one measurement per row, UTF-8, comma separated, header first)::

    session_id, started_at, level_id, set, rep, metric, value, unit, reliable

- rep rows have ``set`` and ``rep`` (0-based indices); level-result rows leave them empty;
- ``value`` is written with full float precision; an unreliable NaN is an empty cell;
- ``unit`` is a UCUM code (see game/export/data.py); ``reliable`` is 1 or 0.

``<name>_sessions.csv`` beside it has one row per session: session_id, started_at, ended_at,
status, active_s, pain_before, pain_after, reps, successes. Long format keeps new metrics from
changing the columns and loads straight into R/pandas/Excel pivot tables.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.export.data import DATE_SHIFT_NOTE, ExportData, as_float, pseudonymise, unit_for_metric
from game.files import write_atomic

COLUMNS = ("session_id", "started_at", "level_id", "set", "rep", "metric", "value", "unit",
           "reliable")  # fmt: skip
SESSION_COLUMNS = ("session_id", "started_at", "ended_at", "status", "active_s", "pain_before",
                   "pain_after", "reps", "successes")  # fmt: skip


@dataclass(frozen=True)
class MetricRow:
    """One row of the long CSV; `set_index`/`rep_index` are None for level-result rows."""

    session_id: str
    started_at: str
    level_id: str
    set_index: int | None
    rep_index: int | None
    metric: str
    value: float
    unit: str
    reliable: bool


def metric_rows(data: ExportData) -> list[MetricRow]:
    """Flatten reps and level results into rows, in session, level, set and rep order."""
    started = {str(s.get("id")): str(s.get("started_at", "")) for s in data.sessions}
    rows: list[MetricRow] = []
    for rep in sorted(data.reps, key=_rep_key):
        sid = str(rep.get("session_id"))
        metrics = dict(rep.get("metrics", {}))
        for flag in ("success", "compensated"):
            if flag in rep and flag not in metrics:
                metrics[flag] = rep[flag]
        flags = rep.get("reliable", {}) or {}
        for name in sorted(metrics):
            value = as_float(metrics[name])
            ok = math.isfinite(value) and bool(flags.get(name, True))
            rows.append(MetricRow(sid, started.get(sid, ""), str(rep.get("level_id", "")),
                                  int(rep.get("set_index", 0)), int(rep.get("rep_index", 0)),
                                  name, value, unit_for_metric(name), ok))  # fmt: skip
    for res in sorted(data.level_results, key=lambda r: (str(r.get("session_id")),
                                                         str(r.get("level_id")))):  # fmt: skip
        sid = str(res.get("session_id"))
        metrics = {**dict(res.get("metrics", {})), "stars": res.get("stars")}
        flags = res.get("reliable", {}) or {}
        for name in sorted(metrics):
            value = as_float(metrics[name])
            ok = math.isfinite(value) and bool(flags.get(name, True))
            rows.append(MetricRow(sid, started.get(sid, ""), str(res.get("level_id", "")),
                                  None, None, name, value, unit_for_metric(name), ok))  # fmt: skip
    return rows


def _rep_key(rep: dict[str, Any]) -> tuple[str, str, int, int]:
    return (str(rep.get("session_id")), str(rep.get("level_id")), int(rep.get("set_index", 0)),
            int(rep.get("rep_index", 0)))  # fmt: skip


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
        writer.writerow([r.session_id, r.started_at, r.level_id, _opt(r.set_index), _opt(r.rep_index),
                         r.metric, _num(r.value), r.unit, int(r.reliable)])  # fmt: skip
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
                         sum(bool(r.get("success")) for r in reps)])  # fmt: skip
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
                sid, started, level, set_s, rep_s, metric, value, unit, reliable = cells
                rows.append(MetricRow(sid, started, level, _int_or_none(set_s),
                                      _int_or_none(rep_s), metric,
                                      float(value) if value else math.nan, unit,
                                      reliable == "1"))  # fmt: skip
            except ValueError as err:
                raise ValueError(f"{path.name}: line {line_no}: {err}") from None
    return rows


def _num(value: float) -> str:
    return repr(value) if math.isfinite(value) else ""


def _opt(value: Any) -> str:
    return "" if value is None else str(value)


def _int_or_none(text: str) -> int | None:
    return int(text) if text else None
