"""The family progress picture: plain words and big charts of one patient's practice.

Drawn by the family screen (game/scenes/progress.py) and, offscreen, by
``main.py progress --png`` (:func:`save_progress_png`). It shows this week's sessions and
minutes against the plan, the streak, stars, and four charts: minutes each day, how far the
*affected* arm reaches, steadier movement (SPARC) and balance. The numbers come ready-made in
a :class:`~game.therapist.review.ProgressSummary`; this module only draws them, at the
current text scale (the caller sets the patient's).
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.render import charts
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import panel, text
from game.render.window import SCREEN_SIZE, use_dummy_drivers
from game.therapist.review import AFFECTED_REACH_KEY, SMOOTH_KEY, ProgressSummary, change_word

DAY_LETTERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TREND_WORDS = {
    "reach": ("Reaching less far than at the start - keep going",
              "No measurable change in reach since the start", "Reaching further than at the start!"),
    "smooth": ("A little less steady than at the start",
               "No measurable change in steadiness since the start", "Steadier than at the start!"),
    "balance": ("Balancing a little less long than at the start",
                "No measurable change in balance since the start", "Balancing longer than at the start!"),
}  # fmt: skip
"""Plain sentences for a trend of -1, 0, +1 (game.therapist.review.change_word): computed from
the filled points the chart draws; 0 is a change inside the measure's noise."""
TOO_FEW = "Not enough sure points yet to tell a change"
HOLLOW_WORDS = "Hollow rings: too few well-tracked movements that day to be sure of the value."
BALANCE_TITLES = {
    "hold_s": "Standing balance, seconds",
    "time_in_zone_frac": "Time kept in the balance zone",
    "single_leg_stance_s": "Standing on one leg, seconds",
}
"""Chart title for each balance metric (game.therapist.review.BALANCE_KEYS)."""


def back_button_w(scale: float) -> int:
    """Width of the family screen's Back button at a text scale (its word grows with the text)."""
    return int(160 + 70 * T.clamp_text_scale(scale))


def draw_progress(
    surface: pygame.Surface, p: ProgressSummary, *, banner: bool = False, date_right_px: int = 1250
) -> None:
    """Draw the whole family screen for `p` (without the Back button) at the current text scale.

    Heights follow the measured line heights, so larger text takes room from the charts
    instead of overflowing (up to theme.TEXT_SCALE_MAX).
    """
    top = 52 if banner else 8
    head_h = max(charts.line_h(58, True), 56) + 16
    draw_icon(surface, "heart", (50, top + head_h / 2), 56)
    date_s = p.today.strftime("%A %d %B %Y")
    date_rect = charts.fit_text(surface, date_s, (date_right_px, top + head_h / 2), 30, 330, T.TEXT_DIM,
                                "midright")  # fmt: skip
    charts.fit_text(surface, f"{p.alias}'s progress", (90, top + head_h / 2), 58, date_rect.x - 110, T.TEXT,
                    "midleft", bold=True)  # fmt: skip
    y = _draw_cards(surface, p, top + head_h)
    hollow = explains_hollow(p) is not None
    foot_h = charts.line_h(24) + 6 if hollow else 0
    if hollow:
        _draw_hollow_legend(surface, 716)
    w, h = 612, (720 - y - 12 - foot_h) // 2 - 6
    boxes = [(20, y), (648, y), (20, y + h + 12), (648, y + h + 12)]
    area = charts.chart_frame(surface, (*boxes[0], w, h), "Minutes each day this week", "clock", 32)
    daily_plan = p.plan_minutes / max(p.plan_sessions, 1)
    charts.bar_chart(surface, area, p.week_minutes_by_day, DAY_LETTERS, target=daily_plan)
    arm = _arm(p.affected_side)
    first = "" if p.first_day is None or p.first_day == p.today else p.first_day.strftime("%d %b")
    _trend_box(surface, (*boxes[1], w, h), f"How far {arm} reaches", "reach", p.reach,
               ("reach", AFFECTED_REACH_KEY), ("less", "further"), T.ORANGE, first)  # fmt: skip
    _trend_box(surface, (*boxes[2], w, h), "Steadier movement", "wave", p.smooth, ("smooth", SMOOTH_KEY),
               ("shaky", "steady"), T.SKY, first)  # fmt: skip
    _trend_box(surface, (*boxes[3], w, h), BALANCE_TITLES.get(p.balance_key, "Balance"), "scale",
               p.balance, ("balance", p.balance_key), ("short", "long"), T.GREEN, first)  # fmt: skip


def save_progress_png(summary: ProgressSummary, path: Path) -> Path:
    """Draw the family screen for `summary` offscreen (SDL dummy driver) and save a PNG."""
    started = not pygame.display.get_init()
    if started:
        use_dummy_drivers()
        pygame.display.init()
    pygame.font.init()
    T.clear_font_cache()  # fonts made before an earlier pygame.quit() are dead
    try:
        surface = pygame.Surface(SCREEN_SIZE)
        T.gradient(surface)
        with T.text_scale(summary.text_scale):
            draw_progress(surface, summary)
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(path))
    finally:
        if started:
            T.clear_font_cache()
            pygame.quit()
    return path


def _draw_cards(surface: pygame.Surface, p: ProgressSummary, y: int) -> int:
    """The four number cards in a row from height `y`; returns the height below them."""
    cards = (
        ("calendar", f"{p.week_sessions} of {p.plan_sessions}", "sessions this week"),
        ("clock", f"{p.week_minutes:.0f} of {p.plan_minutes:.0f}", "minutes this week"),
        ("flame", f"{p.streak} day{'s' if p.streak != 1 else ''}", "in a row"),
        ("star", f"{p.week_stars} stars", "this week"),
    )
    card_h = max(104, charts.line_h(40, True) + charts.line_h(28) + 28)
    for i, (icon, big, small) in enumerate(cards):
        _card(surface, (20 + i * 312, y, 300, card_h), icon, big, small)
    return y + card_h + 14


def _card(surface: pygame.Surface, rect: tuple[int, int, int, int], icon: str, big: str, small: str) -> None:
    panel(surface, rect, T.PANEL, 225, 18)
    x, y, w, h = rect
    draw_icon(surface, icon, (x + 44, y + h / 2), 60)
    charts.fit_text(surface, big, (x + 86, y + 10), 40, w - 96, T.TEXT, bold=True)
    charts.fit_text(surface, small, (x + 86, y + h - 10), 28, w - 96, T.TEXT_DIM, "bottomleft")


def _arm(side: str) -> str:
    return f"the {side} arm" if side in ("left", "right") else "the arm"


def _trend_box(
    surface: pygame.Surface,
    rect: tuple[int, int, int, int],
    title: str,
    icon: str,
    data: tuple[list[float], list[bool]],
    kind_metric: tuple[str, str],
    labels: tuple[str, str],
    color: tuple[int, int, int],
    first_day: str,
) -> None:
    area = charts.chart_frame(surface, rect, title, icon, 32)
    values, ok = data
    if not any(v == v for v in values):  # nothing finite: say so in the whole box
        charts.line_chart(surface, area, values, ok, empty="Not measured yet")
        return
    small_h, words_h = charts.line_h(24), charts.line_h(30)
    area.height -= small_h + words_h + 10
    charts.line_chart(surface, area, values, ok, color=color, labels=labels)
    if first_day:
        text(surface, first_day, (area.x + charts.left_margin(values, labels, None), area.bottom + 4), 24,
             T.TEXT_DIM)  # fmt: skip
    text(surface, "today", (area.right, area.bottom + 4), 24, T.TEXT_DIM, "topright")
    words = caption(kind_metric[0], kind_metric[1], data)
    charts.fit_text(surface, words, (area.centerx, area.bottom + small_h + 8), 30, rect[2] - 24, T.YELLOW,
                    "midtop")  # fmt: skip


def caption(kind: str, metric: str, data: tuple[list[float], list[bool]]) -> str:
    """The words under a chart, from the numbers it draws (``kind``: reach, smooth, balance)."""
    trend = change_word(metric, *data)
    return TOO_FEW if trend is None else TREND_WORDS[kind][trend + 1]


def captions(p: ProgressSummary) -> dict[str, str]:
    """Every chart's words, as the family screen shows them."""
    return {
        "reach": caption("reach", AFFECTED_REACH_KEY, p.reach),
        "smooth": caption("smooth", SMOOTH_KEY, p.smooth),
        "balance": caption("balance", p.balance_key, p.balance),
    }


def explains_hollow(p: ProgressSummary) -> str | None:
    """The line under the charts explaining hollow points, when any chart draws one."""
    return HOLLOW_WORDS if any(_has_hollow(d) for d in (p.reach, p.smooth, p.balance)) else None


def _has_hollow(data: tuple[list[float], list[bool]]) -> bool:
    """Whether a chart draws a hollow (unsure) point."""
    return any(v == v and not o for v, o in zip(*data, strict=True))


def _draw_hollow_legend(surface: pygame.Surface, bottom: int) -> None:
    """One line under the charts explaining their hollow points."""
    y = bottom - charts.line_h(24) // 2
    pygame.draw.circle(surface, T.TEXT_DIM, (34, y), 8, 3)
    charts.fit_text(surface, HOLLOW_WORDS, (52, y), 24, 1200, T.TEXT_DIM, "midleft")
