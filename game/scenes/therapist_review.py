"""Therapist review: sessions (metrics with units and confidence), trends, dose, adaptive log.

Session page: one session's dose (active minutes, reps, successes, compensated reps, pain) and
each level's summary metrics with their unit and a confidence mark (filled disc = reliable,
ring = unsure, as in the charts). Trends page: session medians over time, trunk compensation,
and the dose delivered per day against the plan. Buttons (arrows + Enter, click, dwell):
Earlier, Later, Trends/Session, Back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import pygame

from game.export.data import DISPLAY, unit_for_metric
from game.render import charts
from game.render import theme as T
from game.render.icons import draw_icon, draw_star
from game.render.widgets import Button, Menu, panel, text
from game.scenes.base import Pop, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.services import AppServices
from game.storage.records import LevelResult, Patient
from game.therapist.adaptive_session import load_log
from game.therapist.review import SessionStat, daily, planned_dose, series, session_stats
from game.therapist.settings_schema import settings_of

ARM_PAIRS = (
    ("Reach, arm lengths", "reach_fraction", "affected_reach_fraction", "{:.2f}"),
    ("Shoulder flexion, deg", "peak_shoulder_flexion_deg", "affected_peak_shoulder_flexion_deg", "{:.0f}"),
)  # fmt: skip
"""Measures taken of both arms in the reach levels: (row name, mirrored (good) arm key, affected
arm key, format). The mirrored arm drives the game; the affected arm is what therapy is for."""
ARM_COLUMNS = ("mirrored (good) arm", "affected arm")
REVIEW_METRICS = (
    "time_to_target_s", "sparc", "trunk_displacement_mm", "hold_s", "time_in_zone_frac",
    "single_leg_stance_s", "success_rate", "movement_time_s", "peak_speed_m_s", "reach_pct_arm",
)  # fmt: skip
"""Single-value level metrics shown on the session page after the arm pairs, in this order."""
UNIT_WORDS = {"1": "", "s": "s", "m/s": "m/s", "deg": "deg", "mm": "mm", "{count}": ""}
DOSE_DAYS = 14
SHORT_NAMES = {
    "success_rate": "Success rate", "time_to_target_s": "Time to target",
    "time_in_zone_frac": "Time in balance zone", "hold_s": "Balance hold",
    "single_leg_stance_s": "One-leg stance", "trunk_displacement_mm": "Trunk lean",
    "sparc": "Smoothness SPARC, mirrored arm", "reach_pct_arm": "Reach % arm, mirrored arm",
    "movement_time_s": "Movement time", "peak_speed_m_s": "Peak speed, mirrored arm",
}  # fmt: skip
"""Names short enough for the session table (the export keeps the full display names)."""
STATUS_WORDS = {"completed": "Finished", "ended_pain": "Stopped for pain", "aborted": "Stopped early",
                "running": "Still running"}  # fmt: skip
"""A session's stored status in plain words."""
COL_X = (830, 1040)
"""Value columns of the session table: mirrored (good) arm, affected arm."""


def _bottom_menu(keys: list[tuple[str, str, str]]) -> Menu:
    w, gap = 290, 14
    x0 = 1280 - len(keys) * (w + gap) - 26
    return Menu([Button(k, lbl, ic, (x0 + i * (w + gap), 616, w, 90)) for i, (k, lbl, ic) in enumerate(keys)],
                horizontal=True)  # fmt: skip


def _name(metric: str) -> str:
    return SHORT_NAMES.get(metric, DISPLAY.get(metric, metric))


def _value(metric: str, v: float) -> str:
    if not math.isfinite(v):
        return "-"
    if metric in ("success_rate", "time_in_zone_frac"):
        return f"{v:.0%}"
    unit = UNIT_WORDS.get(unit_for_metric(metric), unit_for_metric(metric))
    return f"{v:.3g} {unit}".strip() if metric != "reach_fraction" else f"{v:.2f} arm lengths"


def confidence_mark(surface: pygame.Surface, pos: tuple[int, int], reliable: bool) -> None:
    """Filled disc = reliable; hollow ring + 'unsure' = not enough tracked data."""
    if reliable:
        pygame.draw.circle(surface, T.GREEN, pos, 9)
    else:
        pygame.draw.circle(surface, T.TEXT_DIM, pos, 9, 3)
        text(surface, "unsure", (pos[0] + 16, pos[1]), 24, T.TEXT_DIM, "midleft")


class SessionReviewScene(MenuScene):
    """Per session and per level metrics, trends across sessions, and dose against the plan."""

    autoplay_after_s = None

    def __init__(self, app: AppServices, patient: Patient, today: date | None = None) -> None:
        super().__init__(app)
        self.patient = patient
        self.stats = session_stats(app.db, patient.id)
        self.settings = settings_of(patient)
        self.index = len(self.stats) - 1
        self.page = "session"
        self.today = today or datetime.now(UTC).date()
        self.menu = self._menu()

    def _menu(self) -> Menu:
        other = ("trends", "Trends", "chart") if self.page == "session" else ("session", "Session", "list")
        return _bottom_menu([("earlier", "Earlier", "back"), ("later", "Later", "play"), other,
                             ("back", "Back", "back")])  # fmt: skip

    def choose(self, key: str) -> Transition | None:
        if key == "back":
            return Pop()
        if key == "earlier":
            self.index = max(self.index - 1, 0)
        elif key == "later":
            self.index = min(self.index + 1, len(self.stats) - 1)
        else:
            self.page = key
            focus, self.menu = self.menu.focus, self._menu()
            self.menu.focus = focus
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "chart", (56, 44), 50)
        text(surface, f"{self.patient.alias}: sessions", (92, 44), 48, T.TEXT, "midleft", bold=True)
        if not self.stats:
            text(surface, "No sessions yet.", (640, 300), 44, T.TEXT_DIM, "center")
        elif self.page == "session":
            self._draw_session(surface)
        else:
            self._draw_trends(surface)
        self.menu.draw(surface)

    def _draw_session(self, surface: pygame.Surface) -> None:
        s = self.stats[self.index]
        when = s.day.strftime("%a %d %b %Y") if s.day else s.started_at
        text(surface, f"Session {self.index + 1} of {len(self.stats)}  -  {when}", (1240, 44), 34,
             T.TEXT_DIM, "midright")  # fmt: skip
        panel(surface, (30, 84, 450, 520))
        pct = f" ({s.successes / s.reps:.0%})" if s.reps else ""
        pain = f"{_opt(s.pain_before)} -> {_opt(s.pain_after)} of 10"
        plan_min, plan_reps = planned_dose(self.settings)
        lines = [("clock", f"{s.active_min:.1f} of {plan_min:.0f} min active"),
                 ("list", f"{s.reps} of {plan_reps:.0f} reps, {s.successes} hit{pct}"),
                 ("person", f"{s.compensated} with trunk lean"), ("heart", f"Pain {pain}"),
                 ("star", f"{s.stars} stars"), ("gear", STATUS_WORDS.get(s.status, s.status))]  # fmt: skip
        for i, (icon, line) in enumerate(lines):
            draw_icon(surface, icon, (66, 130 + i * 76), 46)
            text(surface, line, (100, 130 + i * 76), 36, T.TEXT, "midleft")
        self._draw_levels(surface, s.levels[:3])

    def _draw_levels(self, surface: pygame.Surface, levels: list[LevelResult]) -> None:
        """Each level's stars and metrics; both arms side by side where both were measured."""
        panel(surface, (500, 84, 750, 520))
        y = 96
        if any(k[1] in r.metrics or k[2] in r.metrics for r in levels for k in ARM_PAIRS):
            for x, word in zip(COL_X, ARM_COLUMNS, strict=True):
                text(surface, word, (x, y + 12), 24, T.SKY, "midleft", bold=True)
            y += 26
        lines = max(1, int((560 - y) / max(len(levels), 1) - 46) // 30)
        for res in levels:
            spec = self.app.levels.get(res.level_id)
            draw_icon(surface, spec.icon if spec else "target", (536, y + 18), 36)
            name = spec.title if spec else res.level_id
            charts.fit_text(surface, name, (562, y + 18), 34, 420, T.TEXT, "midleft", bold=True)
            for k in range(3):
                draw_star(surface, (1120 + k * 40, y + 18), 32, k < res.stars)
            y += 44
            for row in _level_rows(res.metrics)[:lines]:
                charts.fit_text(surface, row[0], (530, y + 14), 28, COL_X[0] - 545, T.TEXT_DIM, "midleft")
                for x, (key, fmt) in zip(COL_X, row[1:], strict=False):
                    if key is None:
                        continue
                    v = float(res.metrics.get(key, math.nan))
                    shown = fmt.format(v) if fmt and math.isfinite(v) else _value(key, v)
                    if key not in res.metrics:
                        shown = "not measured"
                    text(surface, shown, (x, y + 14), 28, T.TEXT, "midleft", bold=key in res.metrics)
                    if key in res.metrics:
                        ok = bool(res.reliable.get(key, True)) and math.isfinite(v)
                        confidence_mark(surface, (x + 120, y + 14), ok)
                y += 30
            y += 8
        confidence_mark(surface, (540, 585), True)
        text(surface, "reliable", (556, 585), 24, T.TEXT_DIM, "midleft")
        confidence_mark(surface, (680, 585), False)
        text(surface, "= too few tracked reps", (776, 585), 24, T.TEXT_DIM, "midleft")

    def _draw_trends(self, surface: pygame.Surface) -> None:
        boxes = [(30, 84), (650, 84), (30, 350), (650, 350)]
        w, h = 600, 252
        self._draw_reach_trend(surface, (*boxes[0], w, h))
        for (x, y), (key, title, icon, color, fmt) in zip(boxes[1:3], (
            ("sparc", "Smoothness SPARC, mirrored arm (0 = smoothest)", "wave", T.SKY, "{:.2f}"),
            ("trunk_displacement_mm", "Trunk displacement, mm (lower = better)", "person", T.PURPLE,
             "{:.0f}"),
        ), strict=True):  # fmt: skip
            area = self._trend_area(surface, (x, y, w, h), title, icon)
            values, ok = series(self.stats, key)
            if charts.line_chart(surface, area, values, ok, color=color, empty="Not measured yet",
                                 value_fmt=fmt):  # fmt: skip
                self._dates(surface, area, charts.left_margin(values, None, fmt))
                _mark_current(surface, area, values, values, fmt, self.index)
        self._draw_dose(surface, (650, 350, w, h))

    def _trend_area(self, surface: pygame.Surface, rect: tuple[int, int, int, int], title: str,
                    icon: str) -> pygame.Rect:  # fmt: skip
        area = charts.chart_frame(surface, rect, title, icon, 28)
        area.height -= 26
        return area

    def _dates(self, surface: pygame.Surface, area: pygame.Rect, margin: int) -> None:
        first, last = axis_dates(self.stats)
        text(surface, first, (area.x + margin, area.bottom + 4), 24, T.TEXT_DIM)
        if last:
            text(surface, last, (area.right, area.bottom + 4), 24, T.TEXT_DIM, "topright")

    def _draw_reach_trend(self, surface: pygame.Surface, rect: tuple[int, int, int, int]) -> None:
        """Both arms' reach on one scale: the mirrored (good) arm drives the game, the affected
        arm's own reach is what therapy aims to change; each line is named at its end."""
        area = self._trend_area(surface, rect, "Reach, arm lengths (session median)", "reach")
        area.width -= 96  # room for the words at the line ends
        good, good_ok = series(self.stats, "reach_fraction")
        bad, bad_ok = series(self.stats, "affected_reach_fraction")
        both = good + bad
        fmt = "{:.2f}"
        drawn = False
        for values, ok, color, word in ((good, good_ok, T.ORANGE, "mirrored"),
                                        (bad, bad_ok, T.GREEN, "affected")):  # fmt: skip
            if not any(math.isfinite(v) for v in values):
                continue
            drawn = charts.line_chart(surface, area, values, ok, color=color, value_fmt=fmt, span_values=both)
            last = max(i for i, v in enumerate(values) if math.isfinite(v))
            x, y = charts.point_xy(area, area.x + charts.left_margin(both, None, fmt), len(values), last,
                                   values[last], charts.value_span(both))  # fmt: skip
            text(surface, word, (x + 20, y), 24, color, "midleft", bold=True)
        if not drawn:
            text(surface, "Not measured yet", area.center, 30, T.TEXT_DIM, "center")
            return
        self._dates(surface, area, charts.left_margin(both, None, fmt))
        for values in (good, bad):
            _mark_current(surface, area, values, both, fmt, self.index)

    def _draw_dose(self, surface: pygame.Surface, rect: tuple[int, int, int, int]) -> None:
        plan_min, plan_reps = planned_dose(self.settings)
        first = self.today - timedelta(days=DOSE_DAYS - 1)
        minutes, reps = daily(self.stats, first, DOSE_DAYS)
        area = charts.chart_frame(surface, rect, f"Active minutes per day (plan {plan_min:.0f})", "clock", 28)
        area.height -= 30
        labels = [(first + timedelta(days=i)).strftime("%a")[0] for i in range(DOSE_DAYS)]
        charts.bar_chart(surface, area, minutes, labels, target=plan_min, label_size=22)
        days_played = [r for r in reps if r > 0]
        med = sorted(days_played)[len(days_played) // 2] if days_played else 0
        line = f"Reps per day: plan {plan_reps:.0f}, median {med} on {len(days_played)} of {DOSE_DAYS} days"
        text(surface, line, (area.x, area.bottom + 6), 26, T.TEXT)


def axis_dates(stats: list[SessionStat]) -> tuple[str, str]:
    """The words under a trend's left and right ends: the first and last session's days, or
    one "all on 30 Nov" when every session was on the same day."""
    first = stats[0].day.strftime("%d %b") if stats and stats[0].day else ""
    last = stats[-1].day.strftime("%d %b") if stats and stats[-1].day else ""
    if first == last:
        return (f"all on {first}" if first else "", "")
    return first, last


def _mark_current(surface: pygame.Surface, area: pygame.Rect, values: list[float], span_values: list[float],
                  fmt: str, index: int) -> None:  # fmt: skip
    """Ring the chosen session's point (same scaling as charts.line_chart)."""
    if not math.isfinite(values[index]):
        return
    left = area.x + charts.left_margin(span_values, None, fmt)
    span = charts.value_span([v for v in span_values if math.isfinite(v)])
    x, y = charts.point_xy(area, left, len(values), index, values[index], span)
    pygame.draw.circle(surface, T.YELLOW, (x, y), 14, 3)


Row = tuple[str, tuple[str | None, str | None], tuple[str | None, str | None]]


def _level_rows(metrics: Mapping[str, float]) -> list[Row]:
    """Table rows of one level: (name, (mirrored key, fmt), (affected key, fmt)); single-value
    metrics use the first column only. Arm pairs first, when either arm was measured."""
    rows: list[Row] = [(name, (good, fmt), (bad, fmt)) for name, good, bad, fmt in ARM_PAIRS
                       if good in metrics or bad in metrics]  # fmt: skip
    rows += [(_name(m), (m, None), (None, None)) for m in REVIEW_METRICS if m in metrics]
    return rows


def _opt(v: int | None) -> str:
    return "?" if v is None else str(v)


class AdaptiveLogScene(MenuScene):
    """What adaptive difficulty changed and why, newest first, 7 per page."""

    autoplay_after_s = None
    PER_PAGE = 7

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.log = list(reversed(load_log(app.db, patient.id)))
        self.settings = settings_of(patient)
        self.page = 0
        self.menu = _bottom_menu(
            [("newer", "Newer", "up"), ("older", "Older", "down"), ("back", "Back", "back")]
        )

    def choose(self, key: str) -> Transition | None:
        pages = max(1, -(-len(self.log) // self.PER_PAGE))
        if key == "back":
            return Pop()
        self.page = max(0, self.page - 1) if key == "newer" else min(pages - 1, self.page + 1)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "wave", (56, 44), 50)
        state = "on" if self.settings.adaptive else "off"
        text(surface, f"{self.patient.alias}: adaptive changes (adaptive {state})", (92, 44), 44, T.TEXT,
             "midleft", bold=True)  # fmt: skip
        if not self.log:
            text(surface, "No adaptive changes yet.", (640, 300), 40, T.TEXT_DIM, "center")
        entries = self.log[self.page * self.PER_PAGE : (self.page + 1) * self.PER_PAGE]
        for i, e in enumerate(entries):
            y = 84 + i * 74
            panel(surface, (30, y, 1220, 66), T.PANEL, 225, 12)
            spec = self.app.levels.get(str(e.get("level", "")))
            when = str(e.get("at", ""))[:16].replace("T", " ")
            title = spec.title if spec else str(e.get("level", ""))
            text(surface, f"{when}   {title}", (46, y + 18), 26, T.TEXT_DIM, "midleft")
            reason = str(e.get("reason", "")).replace("\u2192", "->")  # the font has no arrow glyph
            text(surface, reason, (46, y + 46), 30, T.TEXT, "midleft")
        pages = max(1, -(-len(self.log) // self.PER_PAGE))
        text(surface, f"Page {self.page + 1} of {pages}", (40, 660), 30, T.TEXT_DIM, "midleft")
        self.menu.draw(surface)
