"""What the portal pages show, computed from the game's own review code (no pygame, no HTTP).

The numbers come from game/therapist/review.py (session summaries, dose, the family summary),
the stored session plans (game/export/dose.py) and the metric catalogue, so a page shows what
the game's therapist and family screens show. Session summaries of finished sessions are kept
in a :class:`StatsCache`: a finished session never changes, and reading a year of reps (about
22 000 rows of 63 values) on every page view would take over a second.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from game.export.dose import plan_reps
from game.export.noise import NoiseFloor, measured_floor
from game.levels import LevelSpec
from game.scoring.catalog import AFFECTED_OF, AFFECTED_PREFIX, info
from game.storage.protocol import HistoryReader
from game.storage.records import FINAL_STATUSES, LevelResult, SessionRow
from game.therapist.review import SessionStat, daily, planned_dose, series, session_stat
from game.therapist.settings_schema import PatientSettings

DOSE_DAYS = 14
"""Days of dose shown, as on the game's trends page."""
SESSIONS_PER_PAGE = 30
TREND_METRICS = (
    ("Reach, arm lengths: mirrored (good) arm", "reach_fraction"),
    ("Reach, arm lengths: affected arm", "affected_reach_fraction"),
    ("Smoothness SPARC, mirrored arm (0 = smoothest)", "sparc"),
    ("Trunk displacement, mm (lower = less lean)", "trunk_displacement_mm"),
)
"""The game's trends page: both arms' reach, smoothness and trunk compensation."""


class StatsCache:
    """Session summaries by session id, kept once the session is finished (thread-safe)."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[tuple[str | None, float], SessionStat]] = {}
        self._lock = threading.Lock()

    def stats(self, db: HistoryReader, sessions: Sequence[SessionRow]) -> list[SessionStat]:
        out = []
        for s in sessions:
            key = (s.ended_at, float(s.active_s))
            with self._lock:
                hit = self._done.get(s.id)
            if hit is not None and hit[0] == key:
                out.append(hit[1])
                continue
            stat = session_stat(db, s)
            if s.status in FINAL_STATUSES:
                with self._lock:
                    self._done[s.id] = (key, stat)
            out.append(stat)
        return out


@dataclass(frozen=True)
class SessionLine:
    """One row of the sessions table."""

    stat: SessionStat
    number: int
    plan_reps: int | None

    @property
    def success_pct(self) -> str:
        return f"{self.stat.successes / self.stat.reps:.0%}" if self.stat.reps else "-"


def session_lines(
    stats: Sequence[SessionStat], sessions: Sequence[SessionRow], level_reps: dict[str, int]
) -> list[SessionLine]:
    """Sessions newest first, each with the repetitions of the plan stored with it."""
    plans = {s.id: plan_reps(s.plan, level_reps) for s in sessions}
    lines = [SessionLine(st, i, plans.get(st.session_id)) for i, st in enumerate(stats, start=1)]
    return lines[::-1]


@dataclass(frozen=True)
class Dose:
    """The last :data:`DOSE_DAYS` days against the plan (the game's dose chart and line)."""

    days: list[date]
    minutes: list[float]
    reps: list[int]
    plan_minutes: float
    plan_reps: float
    median_reps: int
    days_played: int

    @property
    def labels(self) -> list[str]:
        """First letter of each day's weekday, as under the game's dose chart."""
        return [d.strftime("%a")[0] for d in self.days]


def dose(
    stats: Sequence[SessionStat], settings: PatientSettings, today: date, current_plan_reps: float
) -> Dose:
    first = today - timedelta(days=DOSE_DAYS - 1)
    minutes, reps = daily(stats, first, DOSE_DAYS)
    played = sorted(r for r in reps if r > 0)
    plan_min, _ = planned_dose(settings)
    return Dose(
        [first + timedelta(days=i) for i in range(DOSE_DAYS)],
        minutes,
        reps,
        plan_min,
        current_plan_reps,
        played[len(played) // 2] if played else 0,
        len(played),
    )


@dataclass(frozen=True)
class Chart:
    """A line chart as SVG coordinates (viewBox 0 0 W H); `band` is the noise floor around the
    first reliable value, `no_change` when every reliable value lies inside one floor."""

    title: str
    points: list[tuple[float, float, bool]]
    path: str
    y_labels: list[tuple[float, str]]
    band: tuple[float, float] | None
    no_change: bool
    empty: bool
    first: str = ""
    last: str = ""
    """Dates under the left and right ends."""


W, H, PAD_L, PAD_B = 600.0, 220.0, 56.0, 30.0


def chart(
    title: str,
    values: Sequence[float],
    ok: Sequence[bool],
    floor: float | None,
    dates: tuple[str, str] = ("", ""),
) -> Chart:
    """Scale a session-median series into an SVG chart that never zooms past the noise floor."""
    pts = [(i, v, o) for i, (v, o) in enumerate(zip(values, ok, strict=True)) if math.isfinite(v)]
    if not pts:
        return Chart(title, [], "", [], None, False, True)
    good = [v for _, v, o in pts if o] or [v for _, v, _ in pts]
    lo, hi = min(v for _, v, _ in pts), max(v for _, v, _ in pts)
    if floor is not None:
        lo, hi = min(lo, good[0] - floor), max(hi, good[0] + floor)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD_L + (W - PAD_L - 8) * i / n, 8 + (H - PAD_B - 16) * (hi - v) / (hi - lo)

    points = [(*xy(i, v), o) for i, v, o in pts]
    path = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y, _) in enumerate(points))
    labels = [(xy(0, v)[1], f"{v:.3g}") for v in (hi, (hi + lo) / 2, lo)]
    band = None
    if floor is not None:
        band = (xy(0, good[0] + floor)[1], xy(0, good[0] - floor)[1])
    no_change = floor is not None and max(good) - min(good) <= floor
    return Chart(title, points, path, labels, band, no_change, False, *dates)


def trend_charts(stats: Sequence[SessionStat], noise_floor: NoiseFloor = measured_floor) -> list[Chart]:
    dates = (_day(stats[0]), _day(stats[-1])) if stats else ("", "")
    return [chart(title, *series(stats, key), noise_floor(key), dates) for title, key in TREND_METRICS]


def _day(stat: SessionStat) -> str:
    return stat.day.strftime("%d %b") if stat.day else ""


@dataclass(frozen=True)
class MetricLine:
    """One measure of a set: its name, and per arm (value text, reliable) or None."""

    name: str
    unit: str
    driving: tuple[str, bool] | None
    affected: tuple[str, bool] | None


def level_lines(result: LevelResult) -> list[MetricLine]:
    """A set's measures as the game's session page lists them: both arms side by side where
    both were measured, then the single measures (catalogue order by name)."""
    m, rel = result.metrics, result.reliable
    lines, used = [], set()
    for base in AFFECTED_OF:
        aff = AFFECTED_PREFIX + base
        if base in m or aff in m:
            entry = info(base)
            lines.append(
                MetricLine(
                    entry.display if entry else base,
                    entry.unit if entry else "",
                    _cell(m, rel, base),
                    _cell(m, rel, aff),
                )
            )
            used |= {base, aff}
    for name in sorted(set(m) - used):
        entry = info(name)
        if entry is not None and entry.kind in ("parameter", "timing", "flag"):
            continue
        lines.append(
            MetricLine(
                entry.display if entry else name, entry.unit if entry else "", _cell(m, rel, name), None
            )
        )
    return lines


def _cell(metrics: Mapping[str, float], flags: Mapping[str, bool], name: str) -> tuple[str, bool] | None:
    if name not in metrics:
        return None
    v = float(metrics[name])
    if not math.isfinite(v):
        return "-", False
    return f"{v:.3g}", bool(flags.get(name, True))


def unit_text(unit: str) -> str:
    """A UCUM code as shown beside a number (unity and annotations read as nothing)."""
    return "" if unit == "1" or unit.startswith("{") else unit


def level_title(levels: dict[str, LevelSpec], level_id: str) -> str:
    spec = levels.get(level_id)
    return spec.title if spec else level_id
