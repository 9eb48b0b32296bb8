"""One-page clinician report (PDF or PNG) with dose, pain and trends, drawn with matplotlib (Agg).

Layout (A4 portrait): a header (alias or pseudonym, affected side, date range, sessions, the
plan actually played, pain and sessions ended for pain), then panels: active minutes per day
against the therapist's session length; repetitions per day against the plans stored with that
day's sessions (the dose of the plan actually played, game/export/dose.py); pain before and
after each session on the 0-10 scale with the sessions that ended for pain marked; success rate
(aim 70-80 %, docs/sources.md §8); reach of the affected arm (or the driving arm when the
affected arm was not measured); SPARC smoothness (closer to 0 is smoother, §2); trunk
displacement (compensation, §3 and §8); stars; a legend; and the peak shoulder elevation (ISB,
any plane) when the reach levels measured it; across the last row, the newest result of each
standard test against its norm (issue 15). Each trend point is one session:
the median of its reliable reps (§10 item 7: aggregate at least 3 trials); a point resting on
fewer than 3 reliable reps, or flagged unreliable in the level result, is drawn hollow.

Axes never magnify noise: a trend panel is never narrower than its metric's noise floor
(game/export/noise.py) and says "no measurable change" when every value lies within it.

The PDF embeds its fonts as TrueType (``pdf.fonttype`` 42, selectable and searchable text) and
carries title, author and subject metadata. Uses :class:`matplotlib.figure.Figure` directly (no
pyplot, no global backend switch), so it runs headless and never opens a window. matplotlib is
imported when a report is drawn (about a second to import; only the export needs it).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from game.export.data import ExportData, as_float, pseudonymise
from game.export.dose import pain_summary, plan_reps
from game.export.noise import NoiseFloor, axis_range, measured_floor, within_floor
from game.files import write_atomic
from game.scoring.confidence import MIN_RELIABLE_REPS
from game.storage.records import day_of
from game.therapist.leg_results import stored_test_lines
from game.validate import escape_mathtext

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

A4_IN = (8.27, 11.69)
REACH_METRICS = ("affected_reach_fraction", "reach_fraction")
ELEVATION_METRICS = ("affected_peak_shoulder_elevation_deg", "peak_shoulder_elevation_deg")
"""Shoulder panel: elevation on the ISB globe (any plane; 0 deg = arm at the side), the
affected arm's when measured. Never flexion or abduction: the reach targets are in the frontal
plane, where flexion is undefined and would leave the panel blank (docs/validation.md)."""
"""Reach panel: the affected arm's own reach when measured, else the driving (mirrored) arm's."""
PDF_RC: dict[str, Any] = {"pdf.fonttype": 42, "ps.fonttype": 42}
"""TrueType (Type 42) fonts in PDF: Type 3 glyph procedures are not text to a reader."""
AUTHOR = "MirrorPlay"
NO_CHANGE = "no measurable change"
BLUE, ORANGE, RED, GREEN = "#0072b2", "#e69f00", "#d55e00", "#009e73"  # Okabe-Ito: colour-blind safe


def write_report(
    data: ExportData,
    path: str | Path,
    *,
    pseudonymise_id: bool = False,
    salt: str = "",
    noise_floor: NoiseFloor = measured_floor,
    shift_days: int | None = None,
    overwrite: bool = True,
) -> Path:
    """Draw the one-page report to `path` (``.pdf`` or ``.png`` by suffix) and return it.

    The file is drawn in memory and written atomically (game/files.py): a full disk leaves no
    file. Raises ValueError naming `path` for any other suffix.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "png"):
        raise ValueError(f"report path must end in .pdf or .png: {path}")
    if pseudonymise_id:
        data = pseudonymise(data, salt, shift_days)
    from matplotlib import rc_context  # optional heavy dependency: only reports need it

    with rc_context(dict(PDF_RC)):  # type: ignore[arg-type]
        fig = report_figure(data, noise_floor)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=120, metadata=_metadata(data, fmt))
    return write_atomic(path, buf.getvalue(), overwrite=overwrite)


def _metadata(data: ExportData, fmt: str) -> dict[str, Any]:
    who = data.alias or data.patient_id
    meta = {"Title": f"MirrorPlay progress report: {who}", "Author": AUTHOR}
    if fmt == "pdf":
        meta["Subject"] = "Home rehabilitation practice: dose, pain and movement trends"
    return meta


def report_figure(data: ExportData, noise_floor: NoiseFloor = measured_floor) -> Figure:
    """The report page as a matplotlib Figure (panels titled as in the module docstring)."""
    from matplotlib.figure import Figure  # optional heavy dependency: only reports need it

    fig = Figure(figsize=A4_IN)
    grid = fig.add_gridspec(6, 2, top=0.835, bottom=0.04, left=0.09, right=0.97, hspace=0.62, wspace=0.28)
    axes = [fig.add_subplot(grid[i // 2, i % 2]) for i in range(10)] + [fig.add_subplot(grid[5, :])]
    _header(fig, data)
    _dose(axes[0], axes[1], data)
    _pain(axes[2], data)
    _success(axes[3], data)
    reach = next((m for m in REACH_METRICS if _has_metric(data, m)), REACH_METRICS[0])
    arm = "affected arm" if reach.startswith("affected_") else "driving (mirrored) arm"
    _trend(axes[4], data, reach, f"Reach, arm lengths ({arm})", noise_floor)
    _trend(axes[5], data, "sparc", "Smoothness SPARC (closer to 0 = smoother)", noise_floor)
    _trend(axes[6], data, "trunk_displacement_mm", "Trunk displacement, mm (lower = less lean)", noise_floor)
    _stars(axes[7], data)
    _legend(axes[8])
    elevation = next((m for m in ELEVATION_METRICS if _has_metric(data, m)), None)
    if elevation is None:
        axes[9].axis("off")
    else:
        arm = "affected arm" if elevation.startswith("affected_") else "driving (mirrored) arm"
        _trend(axes[9], data, elevation, f"Peak shoulder elevation, deg ({arm})", noise_floor)
    _standard_tests(axes[10], data)  # the whole last row
    return fig


def _sessions(data: ExportData) -> list[tuple[dict[str, Any], date]]:
    out = [(s, day_of(s.get("started_at"))) for s in data.sessions]
    return sorted(
        ((s, d) for s, d in out if d is not None), key=lambda x: (x[1], str(x[0].get("started_at")))
    )


def _header(fig: Figure, data: ExportData) -> None:
    sessions = _sessions(data)
    days = [d for _, d in sessions]
    span = f"{min(days)} to {max(days)}" if days else "no sessions"
    who = escape_mathtext(data.alias or data.patient_id)  # user text: "$" would start mathtext
    side = escape_mathtext(data.affected_side)
    fig.text(0.09, 0.965, "MirrorPlay progress report", fontsize=16, weight="bold")
    if data.dates_shifted:
        fig.text(0.55, 0.965, "Pseudonymised: all dates shifted by a secret random number of days.",
                 fontsize=7, color="0.3")  # fmt: skip
    fig.text(0.09, 0.94, f"{who}  ·  affected side: {side}  ·  {span}  ·  "
             f"{len(days)} sessions, {len(data.reps)} repetitions", fontsize=10)  # fmt: skip
    minutes = [as_float(s.get("active_s")) / 60 for s in data.sessions]
    total = float(np.nansum(minutes)) if minutes else 0.0
    fig.text(0.09, 0.92, f"Active practice {total:.0f} min on {len(set(days))} days; therapist's session "
             f"length {_opt_num(data.planned_minutes_per_day)} min.", fontsize=9)  # fmt: skip
    fig.text(0.09, 0.903, _plan_line(data, sessions), fontsize=9)
    fig.text(0.09, 0.886, _pain_line([s for s, _ in sessions]), fontsize=9)
    fig.text(0.09, 0.869, "Hollow points rest on too little tracked data; shaded bands are the "
             "noise floor around the first session.", fontsize=8, color="0.3")  # fmt: skip


def _plan_line(data: ExportData, sessions: list[tuple[dict[str, Any], date]]) -> str:
    """The plan of the latest session, as stored when it started (the plan actually played)."""
    for s, _ in reversed(sessions):
        reps = plan_reps(s.get("plan"), data.level_reps)
        if reps is not None:
            sets = len(s["plan"]["items"])
            return f"Plan played (stored with the latest session): {reps} repetitions in {sets} sets."
    return "No session plan stored."


def _opt_num(value: float | None) -> str:
    return "not set" if value is None else f"{value:g}"


def _pain_line(sessions: list[dict[str, Any]]) -> str:
    before, after, ended = pain_summary(sessions)
    b = [v for v in before if v is not None]
    a = [v for v in after if v is not None]
    med = lambda v: f"{float(np.median(v)):g}" if v else "-"  # noqa: E731
    return (f"Pain 0-10 (median): before {med(b)}, after {med(a)}; "
            f"sessions ended for pain: {ended} of {len(sessions)}.")  # fmt: skip


def _dose(ax_min: Axes, ax_reps: Axes, data: ExportData) -> None:
    minutes: dict[date, float] = defaultdict(float)
    done: dict[date, int] = defaultdict(int)
    planned: dict[date, int] = defaultdict(int)
    for s, d in _sessions(data):
        value = as_float(s.get("active_s"))
        minutes[d] += value / 60 if math.isfinite(value) else 0.0
        done[d] += sum(1 for r in data.reps if str(r.get("session_id")) == str(s.get("id")))
        planned[d] += plan_reps(s.get("plan"), data.level_reps) or 0
    days = sorted(minutes)
    labels = [str(d)[5:] for d in days]
    ax_min.bar(labels, [minutes[d] for d in days], color=BLUE)
    if data.planned_minutes_per_day is not None:
        ax_min.axhline(data.planned_minutes_per_day, color=ORANGE, linestyle="--",
                       label=f"session length set: {data.planned_minutes_per_day:g} min")  # fmt: skip
        ax_min.legend(fontsize=7, loc="lower right", framealpha=0.95)
    _style(ax_min, "Active minutes per day")
    ax_reps.bar(labels, [done[d] for d in days], color=BLUE, label="done")
    if any(planned.values()):
        ax_reps.scatter(labels, [planned[d] for d in days], marker="_", s=160, color=ORANGE,
                        linewidths=2.5, zorder=3, label="in the plan played")  # fmt: skip
        ax_reps.legend(fontsize=7, loc="lower right", framealpha=0.95)
    _style(ax_reps, "Repetitions per day (plan stored with each session)")
    for ax in (ax_min, ax_reps):
        ax.tick_params(axis="x", labelrotation=45, labelsize=6)


def _pain(ax: Axes, data: ExportData) -> None:
    sessions = [s for s, _ in _sessions(data)]
    before, after, ended = pain_summary(sessions)
    xs = list(range(1, len(sessions) + 1))
    for values, color, marker, label in ((before, BLUE, "o", "before"), (after, ORANGE, "s", "after")):
        pts = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if pts:
            ax.plot(
                *zip(*pts, strict=True), color=color, marker=marker, markersize=4, linewidth=1, label=label
            )
    rows = zip(xs, sessions, before, after, strict=True)
    stops = [(x, a if a is not None else (b or 0)) for x, s, b, a in rows if s.get("status") == "ended_pain"]
    if stops:
        stop_x, stop_y = zip(*stops, strict=True)
        ax.scatter(stop_x, stop_y, marker="x", s=60, color=RED, zorder=3, label="ended for pain")
    if not any(v is not None for v in before + after):
        ax.text(0.5, 0.5, "no pain answers", ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_ylim(-0.5, 10.5)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=6, loc="upper left", ncol=3)
    _style(ax, f"Pain 0-10 before / after; {ended} ended for pain", xlabel="session")


def _has_metric(data: ExportData, name: str) -> bool:
    return any(name in r.get("metrics", {}) for r in data.reps + data.level_results)


def session_series(data: ExportData, metric: str) -> tuple[list[int], list[float], list[bool]]:
    """Per-session median of `metric` over reliable reps: (session numbers, values, reliable).

    A rep value counts when finite and not flagged unreliable (``{metric}_reliable`` stored
    beside it). Sessions without rep values fall back to their level results' metric (median),
    which is reliable only if every level result flags it reliable.
    """
    xs, ys, ok = [], [], []
    for i, (s, _) in enumerate(_sessions(data), start=1):
        sid = str(s.get("id"))
        vals = []
        for r in data.reps:
            m = r.get("metrics", {})
            if str(r.get("session_id")) == sid and metric in m:
                v, flag = as_float(m[metric]), m.get(f"{metric}_reliable", 1.0)
                if math.isfinite(v) and bool(as_float(flag)) and (r.get("reliable") or {}).get(metric, True):
                    vals.append(v)
        reliable = len(vals) >= MIN_RELIABLE_REPS
        if not vals:
            res = [x for x in data.level_results if str(x.get("session_id")) == sid
                   and metric in x.get("metrics", {})]  # fmt: skip
            vals = [v for v in (as_float(x["metrics"][metric]) for x in res) if math.isfinite(v)]
            reliable = all((x.get("reliable") or {}).get(metric, True) for x in res)
        if vals:
            xs.append(i)
            ys.append(float(np.median(vals)))
            ok.append(reliable)
    return xs, ys, ok


def _plot_points(ax: Axes, xs: list[int], ys: list[float], ok: list[bool]) -> None:
    if not xs:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, color="0.4")
        return
    ax.plot(xs, ys, color=BLUE, linewidth=1, zorder=1)
    good = [i for i, o in enumerate(ok) if o]
    bad = [i for i, o in enumerate(ok) if not o]
    ax.scatter([xs[i] for i in good], [ys[i] for i in good], color=BLUE, s=22, zorder=2)
    ax.scatter(
        [xs[i] for i in bad], [ys[i] for i in bad], facecolors="white", edgecolors=BLUE, s=22, zorder=2
    )


def _trend(ax: Axes, data: ExportData, metric: str, title: str, noise_floor: NoiseFloor) -> None:
    """A session-median trend whose axis is never narrower than the metric's noise floor."""
    xs, ys, ok = session_series(data, metric)
    _plot_points(ax, xs, ys, ok)
    floor = noise_floor(metric)
    good = [y for y, o in zip(ys, ok, strict=True) if o] or ys
    limits = axis_range(ys, floor)
    if limits is not None:
        ax.set_ylim(*limits)
    if floor is not None and good:
        ax.axhspan(good[0] - floor, good[0] + floor, color=GREEN, alpha=0.12, zorder=0)
    if within_floor(good, floor):
        ax.text(0.5, 0.88, NO_CHANGE, ha="center", va="top", transform=ax.transAxes, fontsize=9,
                weight="bold", color="0.25")  # fmt: skip
    _style(ax, title, xlabel="session")


def _success(ax: Axes, data: ExportData) -> None:
    xs, ys, ok = [], [], []
    for i, (s, _) in enumerate(_sessions(data), start=1):
        hits = [bool(r.get("success")) for r in data.reps if str(r.get("session_id")) == str(s.get("id"))]
        if hits:
            xs.append(i)
            ys.append(100.0 * sum(hits) / len(hits))
            ok.append(len(hits) >= MIN_RELIABLE_REPS)
    ax.axhspan(70, 80, color=GREEN, alpha=0.15, label="aim 70-80 %")
    _plot_points(ax, xs, ys, ok)
    ax.set_ylim(0, 105)
    ax.legend(fontsize=7, loc="lower right")
    _style(ax, "Success rate, %", xlabel="session")


def _stars(ax: Axes, data: ExportData) -> None:
    xs, ys = [], []
    for i, (s, _) in enumerate(_sessions(data), start=1):
        stars = [as_float(x.get("stars")) for x in data.level_results
                 if str(x.get("session_id")) == str(s.get("id"))]  # fmt: skip
        if stars:
            xs.append(i)
            ys.append(float(np.nanmean(stars)))
    _plot_points(ax, xs, ys, [True] * len(xs))
    ax.set_ylim(0, 3.2)
    _style(ax, "Stars per set (0-3)", xlabel="session")


def _legend(ax: Axes) -> None:
    ax.axis("off")
    ax.scatter([0.05], [0.85], color=BLUE, s=22)
    ax.text(0.12, 0.85, "reliable session median", va="center", fontsize=8)
    ax.scatter([0.05], [0.68], facecolors="white", edgecolors=BLUE, s=22)
    ax.text(0.12, 0.68, f"unreliable (< {MIN_RELIABLE_REPS} well-tracked reps)", va="center", fontsize=8)
    ax.axhspan(0.45, 0.57, xmin=0.01, xmax=0.09, color=GREEN, alpha=0.25)
    ax.text(0.12, 0.51, f"noise floor: inside it = {NO_CHANGE}", va="center", fontsize=8)
    ax.text(0.02, 0.2, "Markerless tracking: angles ± 5-15 deg;\ncompare trends, not single values.",
            fontsize=8, color="0.3")  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _standard_tests(ax: Axes, data: ExportData) -> None:
    """The newest result of each standard test against the norm stored with it (issue 15)."""
    ax.axis("off")
    lines = stored_test_lines(data.level_results)
    if not lines:
        return
    ax.set_title("Standard tests (newest result, norm for age and sex)", fontsize=8.5, loc="left")
    text = "\n".join(textwrap.fill(escape_mathtext(line), 62) for line in lines)
    ax.text(0.0, 0.95, text, va="top", fontsize=7, transform=ax.transAxes)


def _style(ax: Axes, title: str, xlabel: str = "") -> None:
    from matplotlib.ticker import MaxNLocator  # optional heavy dependency: only reports need it

    ax.set_title(title, fontsize=8.5, loc="left")
    ax.tick_params(labelsize=7)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # sessions are whole numbers
    ax.grid(alpha=0.3)
