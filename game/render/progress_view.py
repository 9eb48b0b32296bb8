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

from game.files import write_atomic
from game.i18n import N_, Nn_, Text, _, active, using
from game.render import charts
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import panel, text
from game.render.window import SCREEN_SIZE, png_bytes, use_dummy_drivers
from game.therapist.review import AFFECTED_REACH_KEY, SMOOTH_KEY, ProgressSummary, change_word

TREND_WORDS = {
    "reach": (N_("Reaching less far than at the start - keep going"),
              N_("No measurable change in reach since the start"), N_("Reaching further than at the start!")),
    "smooth": (N_("A little less steady than at the start"),
               N_("No measurable change in steadiness since the start"), N_("Steadier than at the start!")),
    "balance": (N_("Balancing a little less long than at the start"),
                N_("No measurable change in balance since the start"),
                N_("Balancing longer than at the start!")),
}  # fmt: skip
"""Plain sentences for a trend of -1, 0, +1 (game.therapist.review.change_word): computed from
the filled points the chart draws; 0 is a change inside the measure's noise."""
TOO_FEW = N_("Not enough sure points yet to tell a change")
HOLLOW_WORDS = N_("Hollow rings: too few well-tracked movements that day to be sure of the value.")
BALANCE_TITLES = {
    "hold_s": N_("Standing balance, seconds"),
    "time_in_zone_frac": N_("Time kept in the balance zone"),
    "single_leg_stance_s": N_("Standing on one leg, seconds"),
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
    date_s = active().date(p.today, "full")
    date_rect = charts.fit_text(surface, date_s, (date_right_px, top + head_h / 2), 30, 330, T.TEXT_DIM,
                                "midright")  # fmt: skip
    title = _("{name}'s progress").format(name=p.alias)
    charts.fit_text(surface, title, (90, top + head_h / 2), 58, date_rect.x - 110, T.TEXT,
                    "midleft", bold=True)  # fmt: skip
    y = _draw_cards(surface, p, top + head_h)
    if p.test_sentence:  # the newest standard test against its norm, in one plain sentence
        draw_icon(surface, "star", (44, y + 18), 36)
        charts.fit_text(surface, p.test_sentence, (72, y + 18), 30, 1190, T.YELLOW, "midleft", bold=True)
        y += 44
    hollow = explains_hollow(p) is not None
    foot_h = charts.line_h(24) + 6 if hollow else 0
    if hollow:
        _draw_hollow_legend(surface, 716)
    w, h = 612, (720 - y - 12 - foot_h) // 2 - 6
    boxes = [(20, y), (648, y), (20, y + h + 12), (648, y + h + 12)]
    area = charts.chart_frame(surface, (*boxes[0], w, h), _("Minutes each day this week"), "clock", 32)
    daily_plan = p.plan_minutes / max(p.plan_sessions, 1)
    charts.bar_chart(surface, area, p.week_minutes_by_day, active().day_letters(), target=daily_plan)
    first = "" if p.first_day is None or p.first_day == p.today else active().date(p.first_day, "dMMM")
    _trend_box(surface, (*boxes[1], w, h), _arm_title(p.affected_side), "reach", p.reach,
               ("reach", AFFECTED_REACH_KEY), (_("less"), _("further")), T.ORANGE, first)  # fmt: skip
    _trend_box(surface, (*boxes[2], w, h), _("Steadier movement"), "wave", p.smooth, ("smooth", SMOOTH_KEY),
               (_("shaky"), _("steady")), T.SKY, first)  # fmt: skip
    _trend_box(surface, (*boxes[3], w, h), BALANCE_TITLES.get(p.balance_key, N_("Balance")), "scale",
               p.balance, ("balance", p.balance_key), (_("short"), _("long")), T.GREEN, first)  # fmt: skip


def save_progress_png(
    summary: ProgressSummary, path: Path, language: str | None = None, *, overwrite: bool = True
) -> Path:
    """Draw the family screen for `summary` offscreen (SDL dummy driver) and save a PNG
    atomically (a full disk leaves no file, never a 0-byte one), in `language` (the patient's;
    default: the active language)."""
    started = not pygame.display.get_init()
    if started:
        use_dummy_drivers()
        pygame.display.init()
    pygame.font.init()
    T.clear_font_cache()  # fonts made before an earlier pygame.quit() are dead
    try:
        surface = pygame.Surface(SCREEN_SIZE)
        T.gradient(surface)
        with T.text_scale(summary.text_scale), using(language or active().language):
            draw_progress(surface, summary)
        data = png_bytes(surface)
    finally:
        if started:
            T.clear_font_cache()
            pygame.quit()
    return write_atomic(path, data, overwrite=overwrite)


def _draw_cards(surface: pygame.Surface, p: ProgressSummary, y: int) -> int:
    """The four number cards in a row from height `y`; returns the height below them."""
    num = active().number
    cards: tuple[tuple[str, Text, Text], ...] = (
        ("calendar", N_("{done} of {planned}", done=p.week_sessions, planned=p.plan_sessions),
         N_("sessions this week")),
        ("clock", N_("{done} of {planned}", done=num(p.week_minutes), planned=num(p.plan_minutes)),
         N_("minutes this week")),
        ("flame", Nn_("{n} day", "{n} days", p.streak), N_("in a row")),
        ("star", Nn_("{n} star", "{n} stars", p.week_stars), N_("this week")),
    )  # fmt: skip
    card_h = max(104, charts.line_h(40, True) + charts.line_h(28) + 28)
    for i, (icon, big, small) in enumerate(cards):
        _card(surface, (20 + i * 312, y, 300, card_h), icon, big, small)
    return y + card_h + 14


def _card(
    surface: pygame.Surface, rect: tuple[int, int, int, int], icon: str, big: Text, small: Text
) -> None:
    panel(surface, rect, T.PANEL, 225, 18)
    x, y, w, h = rect
    draw_icon(surface, icon, (x + 44, y + h / 2), 60)
    charts.fit_text(surface, big, (x + 86, y + 10), 40, w - 96, T.TEXT, bold=True)
    charts.fit_text(surface, small, (x + 86, y + h - 10), 28, w - 96, T.TEXT_DIM, "bottomleft")


def _arm_title(side: str) -> str:
    """The reach chart's title naming the affected arm (whole sentences: languages inflect)."""
    titles = {"left": _("How far the left arm reaches"), "right": _("How far the right arm reaches")}
    return titles.get(side, _("How far the arm reaches"))


def _trend_box(
    surface: pygame.Surface,
    rect: tuple[int, int, int, int],
    title: Text,
    icon: str,
    data: tuple[list[float], list[bool]],
    kind_metric: tuple[str, str],
    labels: tuple[Text, Text],
    color: tuple[int, int, int],
    first_day: str,
) -> None:
    area = charts.chart_frame(surface, rect, title, icon, 32)
    values, ok = data
    if not any(v == v for v in values):  # nothing finite: say so in the whole box
        charts.line_chart(surface, area, values, ok, empty=N_("Not measured yet"))
        return
    small_h, words_h = charts.line_h(24), charts.line_h(30)
    area.height -= small_h + words_h + 10
    charts.line_chart(surface, area, values, ok, color=color, labels=labels)
    if first_day:
        text(surface, first_day, (area.x + charts.left_margin(values, labels, None), area.bottom + 4), 24,
             T.TEXT_DIM)  # fmt: skip
    text(surface, _("today"), (area.right, area.bottom + 4), 24, T.TEXT_DIM, "topright")
    words = caption(kind_metric[0], kind_metric[1], data)
    charts.fit_text(surface, words, (area.centerx, area.bottom + small_h + 8), 30, rect[2] - 24, T.YELLOW,
                    "midtop")  # fmt: skip


def caption(kind: str, metric: str, data: tuple[list[float], list[bool]]) -> str:
    """The words under a chart, from the numbers it draws (``kind``: reach, smooth, balance)."""
    trend = change_word(*data, metric=metric)
    return str(TOO_FEW if trend is None else TREND_WORDS[kind][trend + 1])


def captions(p: ProgressSummary) -> dict[str, str]:
    """Every chart's words, as the family screen shows them."""
    return {
        "reach": caption("reach", AFFECTED_REACH_KEY, p.reach),
        "smooth": caption("smooth", SMOOTH_KEY, p.smooth),
        "balance": caption("balance", p.balance_key, p.balance),
    }


def explains_hollow(p: ProgressSummary) -> str | None:
    """The line under the charts explaining hollow points, when any chart draws one."""
    return str(HOLLOW_WORDS) if any(_has_hollow(d) for d in (p.reach, p.smooth, p.balance)) else None


def _has_hollow(data: tuple[list[float], list[bool]]) -> bool:
    """Whether a chart draws a hollow (unsure) point."""
    return any(v == v and not o for v, o in zip(*data, strict=True))


def _draw_hollow_legend(surface: pygame.Surface, bottom: int) -> None:
    """One line under the charts explaining their hollow points."""
    y = bottom - charts.line_h(24) // 2
    pygame.draw.circle(surface, T.TEXT_DIM, (34, y), 8, 3)
    charts.fit_text(surface, HOLLOW_WORDS, (52, y), 24, 1200, T.TEXT_DIM, "midleft")
