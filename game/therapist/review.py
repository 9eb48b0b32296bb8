"""Numbers behind the therapist review and the family progress screen (no pygame).

Everything is read through the database's :class:`~game.storage.HistoryReader` role and
summarised here, so the screens (game/scenes, game/render/progress_view.py) and the command
line only draw. Days are UTC calendar days of ``SessionRow.started_at`` (storage keeps UTC
only); a week is Monday to Sunday.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

import numpy as np

from game.i18n import _
from game.levels import LevelSpec, load_all
from game.scoring.confidence import MIN_RELIABLE_REPS
from game.scoring.noise_floor import change_text, floor_for, no_measurable_change
from game.session.plan import build_plan, plan_reps
from game.storage.protocol import HistoryReader
from game.storage.records import LevelResult, Patient, SessionRow, day_of
from game.therapist.leg_results import latest_test_sentence
from game.therapist.settings_schema import PatientSettings, settings_of

AFFECTED_REACH_KEY = "affected_reach_fraction"
"""How far the *affected* hand gets from its shoulder in a rep, in arm lengths (game/session.py).
The reach levels are driven by the mirrored unaffected arm, whose ``reach_fraction`` says
nothing about the affected arm, so the family's "how far the arm reaches" uses this key only."""
SMOOTH_KEY = "affected_sparc"
BALANCE_KEYS = ("hold_s", "time_in_zone_frac", "single_leg_stance_s")
"""Balance rep metrics, by preference: seconds held in the calm zone (stance levels), share of
the rep inside the zone (weight shift, posture, stance; 0-1), single-leg stance seconds. They
have different units and tasks, so one chart shows one of them (:func:`balance_key`)."""


def planned_dose(
    settings: PatientSettings, levels: Mapping[str, LevelSpec] | None = None
) -> tuple[float, float]:
    """(minutes per day, repetitions per day) the therapist planned.

    Reps: those of the plan the patient actually plays (game.session.plan.build_plan): the
    patient's own plan, or the shipped default plan when the therapist has not made one; each
    set's rep count, else its level file's. `levels` defaults to the shipped levels.
    """
    items = build_plan(_shipped_levels() if levels is None else levels, settings.plan)
    return float(settings.session_minutes), float(plan_reps(items))


@cache
def _shipped_levels() -> Mapping[str, LevelSpec]:
    """The shipped levels, read once (the review screens ask for the dose every frame)."""
    return MappingProxyType(load_all())


@dataclass(frozen=True)
class SessionStat:
    """One session summarised: day, active minutes, reps, successes, compensated reps, stars,
    and per metric the median over reps with a reliability flag."""

    session_id: int
    day: date | None
    started_at: str
    status: str
    active_min: float
    reps: int
    successes: int
    compensated: int
    stars: int
    pain_before: int | None
    pain_after: int | None
    medians: dict[str, tuple[float, bool]]
    levels: list[LevelResult]


def session_stats(db: HistoryReader, patient_id: str) -> list[SessionStat]:
    """Per-session summaries, oldest first."""
    return [session_stat(db, s) for s in db.sessions(patient_id)]


def session_stat(db: HistoryReader, s: SessionRow) -> SessionStat:
    """One session's summary (its reps and level results read from `db`)."""
    reps = db.reps(s.id)
    results = db.level_results(s.id)
    keys = sorted({k for r in reps for k in r.metrics})
    medians = {}
    for k in keys:
        vals = np.array([float(r.metrics.get(k, math.nan)) for r in reps], dtype=float)
        finite = int(np.isfinite(vals).sum())
        med = float(np.nanmedian(vals)) if finite else math.nan
        medians[k] = (med, finite >= MIN_RELIABLE_REPS)
    return SessionStat(
        s.id, day_of(s.started_at), s.started_at, s.status, float(s.active_s or 0.0) / 60.0,
        len(reps), sum(r.success for r in reps), sum(r.compensated for r in reps),
        sum(r.stars for r in results), s.pain_before, s.pain_after, medians, results,
    )  # fmt: skip


def series(stats: Sequence[SessionStat], key: str) -> tuple[list[float], list[bool]]:
    """A metric's session medians (NaN where absent) and their reliability flags."""
    vals = [s.medians.get(key, (math.nan, False)) for s in stats]
    return [v for v, _ in vals], [ok for _, ok in vals]


def daily(stats: Sequence[SessionStat], first: date, days: int) -> tuple[list[float], list[int]]:
    """Active minutes and reps per day for `days` days from `first`."""
    minutes, reps = [0.0] * days, [0] * days
    for s in stats:
        if s.day is not None and 0 <= (s.day - first).days < days:
            minutes[(s.day - first).days] += s.active_min
            reps[(s.day - first).days] += s.reps
    return minutes, reps


COUNTED_ACTIVE_S = 60.0
"""A session stopped early counts toward "sessions this week" only with at least a minute of
active practice (design choice: a 12 s start that was abandoned is not a session)."""


def counts(s: SessionStat) -> bool:
    """Whether a session counts as practice: finished (or ended for pain), or stopped early
    after at least :data:`COUNTED_ACTIVE_S` of active practice."""
    if s.status in ("completed", "ended_pain"):
        return s.reps > 0 or s.active_min > 0
    return s.active_min * 60.0 >= COUNTED_ACTIVE_S


def streak_days(stats: Sequence[SessionStat], today: date) -> int:
    """Days in a row with at least one session that counts, ending today (or yesterday if
    none yet today)."""
    played = {s.day for s in stats if s.day is not None and counts(s)}
    day = today if today in played else today - timedelta(days=1)
    n = 0
    while day in played:
        n, day = n + 1, day - timedelta(days=1)
    return n


def _first_last(values: Sequence[float], ok: Sequence[bool], n: int) -> tuple[float, float] | None:
    """Medians of the first and last ``n`` reliable values, or None with fewer than 2n."""
    good = [v for v, o in zip(values, ok, strict=True) if o and math.isfinite(v)]
    if len(good) < 2 * n:
        return None
    return float(np.median(good[:n])), float(np.median(good[-n:]))


def change_word(
    values: Sequence[float], ok: Sequence[bool], *, metric: str | None = None, n: int = 3
) -> int | None:
    """+1 / 0 / -1 for a chart's trend, from the same numbers the chart draws as filled
    (reliable) points: the median of the first ``k`` against the last ``k`` (``k`` = up to
    `n`, at most half of them); None with fewer than two reliable points.

    With ``metric`` (a name with a measured noise floor, game.scoring.noise_floor.floor_for), a
    change within its minimal detectable change is 0, "no measurable change", never a trend
    (docs/validation.md). Without one, a change counts when it exceeds 5 % of the first value
    (a design choice, not a published threshold; below it the change is "about the same").
    """
    good = [v for v, o in zip(values, ok, strict=True) if o and math.isfinite(v)]
    if len(good) < 2:
        return None
    pair = _first_last(good, [True] * len(good), min(n, len(good) // 2))
    assert pair is not None
    a, b = pair
    if metric is not None and floor_for(metric) is not None:
        return 0 if no_measurable_change(metric, a, b) else (1 if b > a else -1)
    if abs(b - a) <= 0.05 * max(abs(a), 1e-9):
        return 0
    return 1 if b > a else -1


def change_caption(values: Sequence[float], ok: Sequence[bool], metric: str, *, n: int = 3) -> str:
    """What the therapist reads under a trend, in the active language: the change from the
    first to the last ``n`` reliable sessions as "no measurable change" inside the metric's
    noise (MDC95), the signed change with its unit outside it; "too few sessions to compare"
    before 2n reliable ones, "noise not measured" for a metric without a measured floor."""
    pair = _first_last(values, ok, n)
    if pair is None:
        return _("too few sessions to compare")
    if floor_for(metric) is None:
        return _("noise not measured")
    change = _("no measurable change") if no_measurable_change(metric, *pair) else change_text(metric, *pair)
    return _("first vs last {n}: {change}").format(n=n, change=change)


@dataclass(frozen=True)
class ProgressSummary:
    """What the family screen shows (plain numbers; words are chosen by the screen)."""

    alias: str
    affected_side: str
    today: date
    week_sessions: int
    plan_sessions: int
    week_minutes: float
    plan_minutes: float
    streak: int
    week_stars: int
    total_stars: int
    reach: tuple[list[float], list[bool]]
    smooth: tuple[list[float], list[bool]]
    balance: tuple[list[float], list[bool]]
    week_minutes_by_day: list[float]
    first_day: date | None = None
    """Day of the first session (the left end of the charts)."""
    balance_key: str = BALANCE_KEYS[0]
    """Which rep metric `balance` holds (one of :data:`BALANCE_KEYS`)."""
    text_scale: float = 1.0
    """The patient's text size setting (the screen is drawn at it)."""
    test_sentence: str | None = None
    """The newest standard test in plain words, against its norm (game.therapist.leg_results)."""


def balance_key(stats: Sequence[SessionStat]) -> str:
    """The balance metric measured in the most sessions (ties: :data:`BALANCE_KEYS` order)."""

    def sessions_with(key: str) -> int:
        return sum(1 for s in stats if math.isfinite(s.medians.get(key, (math.nan, False))[0]))

    return max(BALANCE_KEYS, key=lambda k: (sessions_with(k), -BALANCE_KEYS.index(k)))


def progress_summary(
    db: HistoryReader, patient: Patient, today: date, stats: Sequence[SessionStat] | None = None
) -> ProgressSummary:
    """Summarise one patient's practice for the family screen (`stats`: the patient's
    :func:`session_stats` when the caller has them already)."""
    stats = session_stats(db, patient.id) if stats is None else stats
    settings = settings_of(patient)
    monday = today - timedelta(days=today.weekday())
    week = [s for s in stats if s.day is not None and monday <= s.day <= today]
    minutes, _ = daily(stats, monday, 7)
    bal = balance_key(stats)
    per_week = settings.sessions_per_week
    return ProgressSummary(
        alias=patient.alias, affected_side=patient.affected_side, today=today,
        week_sessions=sum(1 for s in week if counts(s)),
        plan_sessions=per_week, week_minutes=sum(s.active_min for s in week),
        plan_minutes=settings.session_minutes * per_week,
        streak=streak_days(stats, today), week_stars=sum(s.stars for s in week),
        total_stars=sum(s.stars for s in stats), reach=series(stats, AFFECTED_REACH_KEY),
        smooth=series(stats, SMOOTH_KEY), balance=series(stats, bal),
        week_minutes_by_day=minutes, first_day=stats[0].day if stats else None,
        balance_key=bal, text_scale=settings.text_scale,
        test_sentence=latest_test_sentence([s.levels for s in stats], settings),
    )  # fmt: skip
