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
from game.i18n import M_, N_, Text, _, active, ngettext
from game.render import charts
from game.render import theme as T
from game.render.icons import draw_icon, draw_star
from game.render.widgets import Button, Menu, panel, text
from game.scenes.base import Pop, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.scenes.services import AppServices
from game.storage.records import LevelResult, Patient
from game.therapist.adaptive_session import load_log
from game.therapist.leg_results import fall_levels, norm_lines
from game.therapist.review import SessionStat, change_caption, daily, planned_dose, series, session_stats
from game.therapist.settings_schema import settings_of

ARM_PAIRS = (
    (M_("Reach, arm lengths"), "reach_fraction", "affected_reach_fraction", "{:.2f}"),
    (M_("Shoulder elevation, deg"), "peak_shoulder_elevation_deg", "affected_peak_shoulder_elevation_deg",
     "{:.0f}"),
)  # fmt: skip
"""Measures taken of both arms in the reach levels: (row name, mirrored (good) arm key, affected
arm key, format). The mirrored arm drives the game; the affected arm is what therapy is for.
Shoulder elevation (ISB, any plane) rather than flexion: the reach targets are in the frontal
plane, where "flexion" is not defined (docs/validation.md §1)."""
VALIDATION_NOTE = N_("A change inside a measure's noise reads 'no measurable change': docs/validation.md")
"""Where the screen sends a therapist who asks how small a change is real, in plain words."""
ARM_COLUMNS = (N_("mirrored (good) arm"), N_("affected arm"))
REVIEW_METRICS = (
    "time_to_target_s", "sparc", "trunk_displacement_mm", "hold_s", "time_in_zone_frac",
    "single_leg_stance_s", "success_rate", "movement_time_s", "peak_speed_m_s", "reach_pct_arm",
    "stand_time_s", "arms_used", "peak_knee_flexion_deg", "knee_valgus_deg", "knee_lift_cm",
    "knee_lift_asymmetry_pct", "affected_min_knee_flexion_deg", "affected_ankle_range_deg",
)  # fmt: skip
"""Single-value level metrics shown on the session page after the arm pairs, in this order."""
UNIT_WORDS = {"1": "", "s": M_("s"), "m/s": M_("m/s"), "deg": M_("deg"), "mm": M_("mm"), "{count}": ""}
DOSE_DAYS = 14
SHORT_NAMES = {
    "success_rate": M_("Success rate"), "time_to_target_s": M_("Time to target"),
    "time_in_zone_frac": M_("Time in balance zone"), "hold_s": M_("Balance hold"),
    "single_leg_stance_s": M_("One-leg stance"), "trunk_displacement_mm": M_("Trunk lean"),
    "sparc": M_("Smoothness SPARC, mirrored arm"), "reach_pct_arm": M_("Reach % arm, mirrored arm"),
    "movement_time_s": M_("Movement time"), "peak_speed_m_s": M_("Peak speed, mirrored arm"),
    "stand_time_s": M_("Time per stand"), "arms_used": M_("Hands pushed (1 = yes)"),
    "peak_knee_flexion_deg": M_("Squat depth (knee bend)"), "knee_valgus_deg": M_("Knee valgus (FPPA)"),
    "knee_lift_cm": M_("Knee lift"), "knee_lift_asymmetry_pct": M_("Knee lift asymmetry"),
    "affected_min_knee_flexion_deg": M_("Affected knee, straightest"),
    "affected_ankle_range_deg": M_("Affected ankle range"),
}  # fmt: skip
"""Names short enough for the session table (the export keeps the full display names)."""
COL_X = (830, 1040)
"""Value columns of the session table: mirrored (good) arm, affected arm."""


def _bottom_menu(keys: list[tuple[str, Text, str]]) -> Menu:
    w, gap = 290, 14
    x0 = 1280 - len(keys) * (w + gap) - 26
    return Menu([Button(k, lbl, ic, (x0 + i * (w + gap), 616, w, 90)) for i, (k, lbl, ic) in enumerate(keys)],
                horizontal=True)  # fmt: skip


def _name(metric: str) -> str:
    return _(SHORT_NAMES[metric]) if metric in SHORT_NAMES else DISPLAY.get(metric, metric)


def _value(metric: str, v: float) -> str:
    """A metric's value with its unit, in the active language's number style."""
    if not math.isfinite(v):
        return "-"
    if metric in ("success_rate", "time_in_zone_frac"):
        return active().percent(v)
    if metric == "reach_fraction":
        return _("{value} arm lengths").format(value=active().number(v, 2))
    unit = unit_for_metric(metric)
    unit = _(UNIT_WORDS[unit]) if UNIT_WORDS.get(unit) else ("" if unit in UNIT_WORDS else unit)
    return f"{active().decimal(v)} {unit}".strip()


def confidence_mark(surface: pygame.Surface, pos: tuple[int, int], reliable: bool) -> None:
    """Filled disc = reliable; hollow ring + 'unsure' = not enough tracked data."""
    if reliable:
        pygame.draw.circle(surface, T.GREEN, pos, 9)
    else:
        pygame.draw.circle(surface, T.TEXT_DIM, pos, 9, 3)
        text(surface, _("unsure"), (pos[0] + 16, pos[1]), 24, T.TEXT_DIM, "midleft")


class SessionReviewScene(MenuScene):
    """Per session and per level metrics, trends across sessions, and dose against the plan."""

    autoplay_after_s = None
    therapist_screen = True

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
        other: tuple[str, Text, str] = (("trends", N_("Trends"), "chart") if self.page == "session"
                                        else ("session", N_("Session"), "list"))  # fmt: skip
        return _bottom_menu([("earlier", N_("Earlier"), "back"), ("later", N_("Later"), "play"), other,
                             ("back", N_("Back"), "back")])  # fmt: skip

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
        title = _("{name}: sessions").format(name=self.patient.alias)
        charts.fit_text(surface, title, (92, 44), 48, 560, T.TEXT, "midleft", bold=True)
        if not self.stats:
            text(surface, _("No sessions yet."), (640, 300), 44, T.TEXT_DIM, "center")
        elif self.page == "session":
            self._draw_session(surface)
        else:
            self._draw_trends(surface)
        self.menu.draw(surface)

    def _draw_session(self, surface: pygame.Surface) -> None:
        s = self.stats[self.index]
        when = active().date(s.day, "medium") if s.day else s.started_at
        which = _("Session {n} of {total}  -  {when}").format(
            n=self.index + 1, total=len(self.stats), when=when
        )
        charts.fit_text(surface, which, (1240, 44), 34, 620, T.TEXT_DIM, "midright")
        panel(surface, (30, 84, 450, 520))
        lines = _dose_lines(s, *planned_dose(self.settings))
        falls = [_(self.app.levels[i].title) if i in self.app.levels else i for i in fall_levels(s.levels)]
        lines += [("heart", _("FALL in {level}: level stopped").format(level=name)) for name in falls]
        step = min(76, 460 // len(lines))  # a fall adds a line, in red
        for i, (icon, line) in enumerate(lines):
            red = i >= len(lines) - len(falls)
            draw_icon(surface, icon, (66, 130 + i * step), 46)
            charts.fit_text(surface, line, (100, 130 + i * step), 36, 370, T.VERMILLION if red else T.TEXT,
                            "midleft", bold=red)  # fmt: skip
        self._draw_levels(surface, s.levels[:3])

    def _draw_levels(self, surface: pygame.Surface, levels: list[LevelResult]) -> None:
        """Each level's stars and metrics; both arms side by side where both were measured."""
        panel(surface, (500, 84, 750, 520))
        y = 96
        if any(k[1] in r.metrics or k[2] in r.metrics for r in levels for k in ARM_PAIRS):
            for x, word in zip(COL_X, ARM_COLUMNS, strict=True):
                charts.fit_text(surface, word, (x, y + 12), 24, 205, T.SKY, "midleft", bold=True)
            y += 26
        lines = max(1, int((560 - y) / max(len(levels), 1) - 46) // 30)
        for res in levels:
            spec = self.app.levels.get(res.level_id)
            draw_icon(surface, spec.icon if spec else "target", (536, y + 18), 36)
            name = _(spec.title) if spec else res.level_id
            charts.fit_text(surface, name, (562, y + 18), 34, 420, T.TEXT, "midleft", bold=True)
            for k in range(3):
                draw_star(surface, (1120 + k * 40, y + 18), 32, k < res.stars)
            y += 44
            norm = norm_lines(res.metrics, self.settings)
            if norm is not None:  # a standard test: its result against the published norm, its source
                charts.fit_text(surface, norm[0], (530, y + 14), 28, 700, T.YELLOW, "midleft", bold=True)
                charts.fit_text(surface, norm[1], (530, y + 44), 22, 700, T.TEXT_DIM, "midleft")
                y += 64
            for row in _level_rows(res.metrics)[:lines]:
                charts.fit_text(surface, row[0], (530, y + 14), 28, COL_X[0] - 545, T.TEXT_DIM, "midleft")
                for x, (key, fmt) in zip(COL_X, row[1:], strict=False):
                    if key is None:
                        continue
                    v = float(res.metrics.get(key, math.nan))
                    shown = fmt.format(v) if fmt and math.isfinite(v) else _value(key, v)
                    if key not in res.metrics:
                        shown = _("not measured")
                    text(surface, shown, (x, y + 14), 28, T.TEXT, "midleft", bold=key in res.metrics)
                    if key in res.metrics:
                        ok = bool(res.reliable.get(key, True)) and math.isfinite(v)
                        confidence_mark(surface, (x + 120, y + 14), ok)
                y += 30
            y += 8
        confidence_mark(surface, (540, 585), True)
        text(surface, _("reliable"), (556, 585), 24, T.TEXT_DIM, "midleft")
        confidence_mark(surface, (680, 585), False)
        text(surface, _("= too few tracked reps"), (776, 585), 24, T.TEXT_DIM, "midleft")

    def _draw_trends(self, surface: pygame.Surface) -> None:
        boxes = [(30, 84), (650, 84), (30, 350), (650, 350)]
        w, h = 600, 252
        self._draw_reach_trend(surface, (*boxes[0], w, h))
        for (x, y), (key, title, icon, color, fmt) in zip(boxes[1:3], (
            ("sparc", N_("Smoothness SPARC, mirrored arm (0 = smoothest)"), "wave", T.SKY, "{:.2f}"),
            ("trunk_displacement_mm", N_("Trunk displacement, mm (lower = better)"), "person", T.PURPLE,
             "{:.0f}"),
        ), strict=True):  # fmt: skip
            area = self._trend_area(surface, (x, y, w, h), title, icon)
            values, ok = series(self.stats, key)
            if charts.line_chart(surface, area, values, ok, color=color, empty=N_("Not measured yet"),
                                 value_fmt=fmt):  # fmt: skip
                self._dates(surface, area, charts.left_margin(values, None, fmt))
                _mark_current(surface, area, values, values, fmt, self.index)
                _caption(surface, area, change_caption(values, ok, key))
        self._draw_dose(surface, (650, 350, w, h))
        text(surface, VALIDATION_NOTE, (1240, 44), 24, T.TEXT_DIM, "midright")

    def _trend_area(self, surface: pygame.Surface, rect: tuple[int, int, int, int], title: Text,
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
        area = self._trend_area(surface, rect, N_("Reach, arm lengths (session median)"), "reach")
        area.width -= 96  # room for the words at the line ends
        good, good_ok = series(self.stats, "reach_fraction")
        bad, bad_ok = series(self.stats, "affected_reach_fraction")
        both = good + bad
        fmt = "{:.2f}"
        drawn = False
        for values, ok, color, word in ((good, good_ok, T.ORANGE, N_("mirrored")),
                                        (bad, bad_ok, T.GREEN, N_("affected"))):  # fmt: skip
            if not any(math.isfinite(v) for v in values):
                continue
            drawn = charts.line_chart(surface, area, values, ok, color=color, value_fmt=fmt, span_values=both)
            last = max(i for i, v in enumerate(values) if math.isfinite(v))
            x, y = charts.point_xy(area, area.x + charts.left_margin(both, None, fmt), len(values), last,
                                   values[last], charts.value_span(both))  # fmt: skip
            text(surface, word, (x + 20, y), 24, color, "midleft", bold=True)
        if not drawn:
            text(surface, _("Not measured yet"), area.center, 30, T.TEXT_DIM, "center")
            return
        self._dates(surface, area, charts.left_margin(both, None, fmt))
        for values in (good, bad):
            _mark_current(surface, area, values, both, fmt, self.index)
        words = change_caption(bad, bad_ok, "affected_reach_fraction")
        _caption(surface, area, _("affected arm: {change}").format(change=words))

    def _draw_dose(self, surface: pygame.Surface, rect: tuple[int, int, int, int]) -> None:
        plan_min, plan_reps = planned_dose(self.settings)
        first = self.today - timedelta(days=DOSE_DAYS - 1)
        minutes, reps = daily(self.stats, first, DOSE_DAYS)
        title = _("Active minutes per day (plan {minutes})").format(minutes=active().number(plan_min))
        area = charts.chart_frame(surface, rect, title, "clock", 28)
        area.height -= 30
        days = active().day_letters()
        labels = [days[(first + timedelta(days=i)).weekday()][0].upper() for i in range(DOSE_DAYS)]
        charts.bar_chart(surface, area, minutes, labels, target=plan_min, label_size=22)
        days_played = [r for r in reps if r > 0]
        med = sorted(days_played)[len(days_played) // 2] if days_played else 0
        line = _("Reps per day: plan {plan}, median {median} on {played} of {days} days").format(
            plan=active().number(plan_reps), median=med, played=len(days_played), days=DOSE_DAYS
        )
        charts.fit_text(surface, line, (area.x, area.bottom + 6), 26, rect[2] - 40, T.TEXT)


def _caption(surface: pygame.Surface, area: pygame.Rect, words: str) -> None:
    """The change under a trend chart, between its first and last dates (never a trend when
    the change is inside the metric's noise: game.therapist.review.change_caption)."""
    text(surface, words, (area.centerx + 30, area.bottom + 4), 24, T.TEXT, "midtop")


def axis_dates(stats: list[SessionStat]) -> tuple[str, str]:
    """The words under a trend's left and right ends: the first and last session's days, or
    one "all on 30 Nov" when every session was on the same day."""
    first = active().date(stats[0].day, "dMMM") if stats and stats[0].day else ""
    last = active().date(stats[-1].day, "dMMM") if stats and stats[-1].day else ""
    if first == last:
        return (_("all on {day}").format(day=first) if first else "", "")
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
    rows: list[Row] = [(_(name), (good, fmt), (bad, fmt)) for name, good, bad, fmt in ARM_PAIRS
                       if good in metrics or bad in metrics]  # fmt: skip
    rows += [(_name(m), (m, None), (None, None)) for m in REVIEW_METRICS if m in metrics]
    return rows


def _opt(v: int | None) -> str:
    return "?" if v is None else str(v)


def _dose_lines(s: SessionStat, plan_min: float, plan_reps: float) -> list[tuple[str, str]]:
    """The session's dose, one (icon, words) line each, in the active language."""
    num = active().number
    hits = _("{n} hit ({percent})").format(n=s.successes, percent=active().percent(s.successes / s.reps)) \
        if s.reps else _("{n} hit").format(n=s.successes)  # fmt: skip
    return [
        (
            "clock",
            _("{done} of {planned} min active").format(done=num(s.active_min, 1), planned=num(plan_min)),
        ),
        (
            "list",
            _("{done} of {planned} reps, {hits}").format(done=s.reps, planned=num(plan_reps), hits=hits),
        ),
        ("person", _("{n} with trunk lean").format(n=s.compensated)),
        (
            "heart",
            _("Pain {before} -> {after} of 10").format(before=_opt(s.pain_before), after=_opt(s.pain_after)),
        ),
        ("star", ngettext("{n} star", "{n} stars", s.stars).format(n=s.stars)),
        (
            "gear",
            _("Status: {status}").format(
                status=_(STATUS_WORDS[s.status]) if s.status in STATUS_WORDS else s.status
            ),
        ),
    ]


STATUS_WORDS = {"running": M_("running"), "completed": M_("completed"), "ended_pain": M_("ended for pain"),
                "aborted": M_("stopped early")}  # fmt: skip


class AdaptiveLogScene(MenuScene):
    """What adaptive difficulty changed and why, newest first, 7 per page."""

    autoplay_after_s = None
    therapist_screen = True
    PER_PAGE = 7

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.log = list(reversed(load_log(app.db, patient.id)))
        self.settings = settings_of(patient)
        self.page = 0
        self.menu = _bottom_menu(
            [("newer", N_("Newer"), "up"), ("older", N_("Older"), "down"), ("back", N_("Back"), "back")]
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
        state = _("on") if self.settings.adaptive else _("off")
        words = _("{name}: adaptive changes (adaptive {state})").format(name=self.patient.alias, state=state)
        charts.fit_text(surface, words, (92, 44), 44, 1150, T.TEXT,
             "midleft", bold=True)  # fmt: skip
        if not self.log:
            text(surface, _("No adaptive changes yet."), (640, 300), 40, T.TEXT_DIM, "center")
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
        page = _("Page {n} of {total}").format(n=self.page + 1, total=pages)
        text(surface, page, (40, 660), 30, T.TEXT_DIM, "midleft")
        self.menu.draw(surface)
