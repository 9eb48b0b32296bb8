"""One-page clinician report (PDF or PNG) with dose and trends, drawn with matplotlib (Agg).

Layout (A4 portrait): a header (alias or pseudonym, affected side, date range, sessions), then
eight panels: active minutes per day and repetitions per day against the plan (dose;
docs/sources.md §7.1: about 30 min/day, 5 days/week), reach, SPARC smoothness (closer to 0
is smoother, §2), trunk displacement (compensation, §3 and §8), success rate (aim 70-80 %, §8),
stars, and a legend. Each trend point is one session: the median of its reps (§10 item 7:
aggregate at least 3 trials). A point resting on fewer than 3 reliable reps, or flagged
unreliable in the level result, is drawn hollow.

Uses :class:`matplotlib.figure.Figure` directly (no pyplot, no global backend switch), so it
runs headless and never opens a window. matplotlib is imported when a report is drawn (it
takes about a second to import and only the export needs it), so the game starts without it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from game.export.data import ExportData, as_float, pseudonymise
from game.scoring.confidence import MIN_RELIABLE_REPS
from game.storage.records import day_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

A4_IN = (8.27, 11.69)
REACH_METRICS = ("reach_fraction", "peak_shoulder_flexion_deg", "peak_shoulder_abduction_deg")


def write_report(
    data: ExportData, path: str | Path, *, pseudonymise_id: bool = False, salt: str = ""
) -> Path:
    """Draw the one-page report to `path` (``.pdf`` or ``.png`` by suffix) and return it.

    Raises ValueError naming `path` for any other suffix.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "png"):
        raise ValueError(f"report path must end in .pdf or .png: {path}")
    if pseudonymise_id:
        data = pseudonymise(data, salt)
    from matplotlib.figure import Figure  # optional heavy dependency: only reports need it

    fig = Figure(figsize=A4_IN)
    grid = fig.add_gridspec(4, 2, top=0.86, bottom=0.05, left=0.09, right=0.97,
                            hspace=0.55, wspace=0.28)  # fmt: skip
    axes = [fig.add_subplot(grid[i // 2, i % 2]) for i in range(8)]
    _header(fig, data)
    _dose(axes[0], axes[1], data)
    reach = next((m for m in REACH_METRICS if _has_metric(data, m)), REACH_METRICS[0])
    _trend(axes[2], data, reach, f"Reach ({_label_unit(reach)})")
    _trend(axes[3], data, "sparc", "Smoothness SPARC (closer to 0 = smoother)")
    _trend(axes[4], data, "trunk_displacement_mm", "Trunk displacement, mm (lower = less compensation)")
    _success(axes[5], data)
    _stars(axes[6], data)
    _legend(axes[7])
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=120)
    return path


def _sessions(data: ExportData) -> list[tuple[str, date]]:
    out = [(str(s.get("id")), day_of(s.get("started_at"))) for s in data.sessions]
    return sorted(((sid, d) for sid, d in out if d is not None), key=lambda x: x[1])


def _header(fig: Figure, data: ExportData) -> None:
    days = [d for _, d in _sessions(data)]
    span = f"{min(days)} to {max(days)}" if days else "no sessions"
    who = data.alias or data.patient_id
    fig.text(0.09, 0.955, "MirrorPlay progress report", fontsize=16, weight="bold")
    fig.text(0.09, 0.925, f"{who}  ·  affected side: {data.affected_side}  ·  {span}  ·  "
             f"{len(days)} sessions, {len(data.reps)} repetitions", fontsize=10)  # fmt: skip
    minutes = [as_float(s.get("active_s")) / 60 for s in data.sessions]
    total = float(np.nansum(minutes)) if minutes else 0.0
    fig.text(0.09, 0.902, f"Active practice {total:.0f} min on {len(set(days))} days; "
             "hollow points rest on too little tracked data.", fontsize=9, color="0.3")  # fmt: skip


def _dose(ax_min: Axes, ax_reps: Axes, data: ExportData) -> None:
    session_day = dict(_sessions(data))
    minutes: dict[date, float] = defaultdict(float)
    reps: dict[date, int] = defaultdict(int)
    for s in data.sessions:
        d = session_day.get(str(s.get("id")))
        value = as_float(s.get("active_s"))
        if d is not None and math.isfinite(value):
            minutes[d] += value / 60
    for r in data.reps:
        d = session_day.get(str(r.get("session_id")))
        if d is not None:
            reps[d] += 1
    for ax, per_day, plan, title in (
        (ax_min, minutes, data.planned_minutes_per_day, "Active minutes per day"),
        (ax_reps, reps, data.planned_reps_per_day, "Repetitions per day"),
    ):
        days = sorted(per_day)
        ax.bar([str(d)[5:] for d in days], [per_day[d] for d in days], color="#4c72b0")
        if plan is not None:
            ax.axhline(plan, color="#dd8452", linestyle="--", label=f"plan {plan:g}")
            ax.legend(fontsize=7, loc="upper left")
        _style(ax, title)
        ax.tick_params(axis="x", labelrotation=45, labelsize=6)


def _has_metric(data: ExportData, name: str) -> bool:
    return any(name in r.get("metrics", {}) for r in data.reps + data.level_results)


def _label_unit(name: str) -> str:
    return "arm lengths" if name == "reach_fraction" else name.rsplit("_", 1)[-1]


def session_series(data: ExportData, metric: str) -> tuple[list[int], list[float], list[bool]]:
    """Per-session median of `metric` over reliable reps: (session numbers, values, reliable).

    Sessions without rep values fall back to their level results' metric (median), which is
    reliable only if every level result flags it reliable.
    """
    xs, ys, ok = [], [], []
    for i, (sid, _) in enumerate(_sessions(data), start=1):
        vals = []
        for r in data.reps:
            if str(r.get("session_id")) == sid and metric in r.get("metrics", {}):
                v = as_float(r["metrics"][metric])
                if math.isfinite(v) and (r.get("reliable") or {}).get(metric, True):
                    vals.append(v)
        reliable = len(vals) >= MIN_RELIABLE_REPS
        if not vals:
            res = [x for x in data.level_results if str(x.get("session_id")) == sid
                   and metric in x.get("metrics", {})]  # fmt: skip
            vals = [as_float(x["metrics"][metric]) for x in res]
            vals = [v for v in vals if math.isfinite(v)]
            reliable = all((x.get("reliable") or {}).get(metric, True) for x in res)
        if vals:
            xs.append(i)
            ys.append(float(np.median(vals)))
            ok.append(reliable)
    return xs, ys, ok


def _plot_points(ax: Axes, xs: list[int], ys: list[float], ok: list[bool]) -> None:
    if not xs:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes,
                color="0.5")  # fmt: skip
        return
    ax.plot(xs, ys, color="#4c72b0", linewidth=1, zorder=1)
    good = [i for i, o in enumerate(ok) if o]
    bad = [i for i, o in enumerate(ok) if not o]
    ax.scatter([xs[i] for i in good], [ys[i] for i in good], color="#4c72b0", s=22, zorder=2)
    ax.scatter([xs[i] for i in bad], [ys[i] for i in bad], facecolors="white",
               edgecolors="#4c72b0", s=22, zorder=2)  # fmt: skip


def _trend(ax: Axes, data: ExportData, metric: str, title: str) -> None:
    _plot_points(ax, *session_series(data, metric))
    _style(ax, title, xlabel="session")


def _success(ax: Axes, data: ExportData) -> None:
    xs, ys, ok = [], [], []
    for i, (sid, _) in enumerate(_sessions(data), start=1):
        hits = [bool(r.get("success")) for r in data.reps if str(r.get("session_id")) == sid]
        if hits:
            xs.append(i)
            ys.append(100.0 * sum(hits) / len(hits))
            ok.append(len(hits) >= MIN_RELIABLE_REPS)
    ax.axhspan(70, 80, color="#55a868", alpha=0.15, label="aim 70-80 %")
    _plot_points(ax, xs, ys, ok)
    ax.set_ylim(0, 105)
    ax.legend(fontsize=7, loc="lower right")
    _style(ax, "Success rate, %", xlabel="session")


def _stars(ax: Axes, data: ExportData) -> None:
    xs, ys = [], []
    for i, (sid, _) in enumerate(_sessions(data), start=1):
        stars = [as_float(x.get("stars")) for x in data.level_results
                 if str(x.get("session_id")) == sid]  # fmt: skip
        if stars:
            xs.append(i)
            ys.append(float(np.nanmean(stars)))
    _plot_points(ax, xs, ys, [True] * len(xs))
    ax.set_ylim(0, 3.2)
    _style(ax, "Stars per level (0-3)", xlabel="session")


def _legend(ax: Axes) -> None:
    ax.axis("off")
    ax.scatter([0.05], [0.8], color="#4c72b0", s=22)
    ax.text(0.12, 0.8, "reliable session median", va="center", fontsize=8)
    ax.scatter([0.05], [0.62], facecolors="white", edgecolors="#4c72b0", s=22)
    ax.text(0.12, 0.62, f"unreliable (< {MIN_RELIABLE_REPS} well-tracked reps)", va="center",
            fontsize=8)  # fmt: skip
    ax.text(0.02, 0.35, "Markerless tracking: angles ± 5-15 deg;\ncompare trends, not single "
            "values.", fontsize=8, color="0.3")  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _style(ax: Axes, title: str, xlabel: str = "") -> None:
    ax.set_title(title, fontsize=9, loc="left")
    ax.tick_params(labelsize=7)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=7)
    ax.grid(alpha=0.3)
