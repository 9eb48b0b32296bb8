"""The outputs of ``analyze``: the JSON other tools rely on, a CSV, a one-screen summary,
all written atomically (a temp file in the same folder, then a rename).

JSON shape (issue 10; keep it exactly)::

    {"video": str, "exercise": str, "side": str, "fps": float, "frames": int,
     "frames_tracked": int, "reps": [{"start_s": float, "peak_s": float, "end_s": float,
     "reliable": bool, "metrics": {...}}]}

Metric values are numbers in the units of their names, or null where undefined (for example
flexion when the arm rose out to the side).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from game.analysis.core import Analysis
from game.scoring.noise_floor import no_measurable_change_text


def to_json(analysis: Analysis) -> dict:
    """The analysis as the documented JSON object."""
    return {
        "video": analysis.video,
        "exercise": analysis.exercise.id,
        "side": analysis.side,
        "fps": float(analysis.fps),
        "frames": int(analysis.frames),
        "frames_tracked": int(analysis.frames_tracked),
        "reps": [
            {
                "start_s": round(r.start_s, 3),
                "peak_s": round(r.peak_s, 3),
                "end_s": round(r.end_s, 3),
                "reliable": bool(r.reliable),
                "metrics": {k: (None if v is None else round(float(v), 3)) for k, v in r.metrics.items()},
            }
            for r in analysis.reps
        ],
    }


def metric_names(analysis: Analysis) -> list[str]:
    names: list[str] = []
    for rep in analysis.reps:
        names += [k for k in rep.metrics if k not in names]
    return names


def to_csv(analysis: Analysis) -> str:
    """One row per rep: rep, start_s, peak_s, end_s, reliable, then every metric."""
    names = metric_names(analysis)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["rep", "start_s", "peak_s", "end_s", "reliable", *names])
    for i, r in enumerate(analysis.reps, 1):
        values = ["" if r.metrics.get(n) is None else f"{r.metrics[n]:.3f}" for n in names]
        out.writerow([i, f"{r.start_s:.3f}", f"{r.peak_s:.3f}", f"{r.end_s:.3f}", int(r.reliable), *values])
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary(analysis: Analysis, seconds: float | None = None) -> str:
    """A one-screen plain-text summary of the analysis."""
    ex = analysis.exercise
    dur = analysis.frames / analysis.fps if analysis.fps > 0 else 0.0
    tracked = 100.0 * analysis.frames_tracked / max(analysis.frames, 1)
    side = f"{analysis.side} side" + (" (it moved more)" if analysis.side_was_chosen else "")
    lines = [
        f"MirrorPlay analysis of {Path(analysis.video).name}",
        f"Exercise: {ex.id} - {ex.title}",
        f"Side: {side}",
        f"Video: {analysis.frames} frames at {analysis.fps:.1f} fps ({dur:.1f} s); "
        f"person tracked in {analysis.frames_tracked} ({tracked:.0f} %)",
    ]
    if seconds:
        lines.append(f"Tracked in {seconds:.1f} s ({dur / seconds:.1f} x real time)")
    lines.append(f"Repetitions (start position -> movement -> back): {len(analysis.reps)}")
    label = ex.headline.replace("_", " ")
    if analysis.reps:
        lines.append(f"  #   start    peak     end   {label:>28}  reliable")
        for i, r in enumerate(analysis.reps[:12], 1):
            v = r.metrics.get(ex.headline)
            value = "-" if v is None else _short(v)
            lines.append(
                f"  {i:<3} {r.start_s:5.1f} s {r.peak_s:5.1f} s {r.end_s:5.1f} s {value:>28}  "
                f"{'yes' if r.reliable else 'NO'}"
            )
        if len(analysis.reps) > 12:
            lines.append(f"  ... {len(analysis.reps) - 12} more in the JSON/CSV output")
        values = [r.metrics.get(ex.headline) for r in analysis.reps if r.reliable]
        vals = np.array([v for v in values if v is not None], dtype=float)
        if vals.size:
            lines.append(
                f"Median {label} of reliable reps: {_short(float(np.median(vals)))} ({vals.size} reps)"
            )
            lines.append(no_measurable_change_text(ex.headline))
    lines += analysis.notes
    if ex.summary_lines is not None:
        lines += ex.summary_lines(analysis.reps)
    if "face" in ex.parts:
        lines.append(
            "Face distances are scaled by the iris (11.7 mm, +-3.6 % between people); the face must "
            "face the camera. Definitions and limits: docs/validation.md"
        )
    else:
        lines.append(
            "Single-camera joint angles differ from a lab system by 5-15 deg; the camera must face "
            "the plane of the movement. Definitions and limits: docs/validation.md"
        )
    return "\n".join(lines)


def _short(v: float) -> str:
    """A value for the summary: whole units for angles and the like, two decimals below 10
    (apertures in palm lengths, seconds)."""
    return f"{v:.0f}" if abs(v) >= 10 else f"{v:.2f}"


def json_text(analysis: Analysis) -> str:
    return json.dumps(to_json(analysis), indent=2) + "\n"
