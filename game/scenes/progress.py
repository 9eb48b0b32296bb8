"""The family progress screen: read-only, no PIN, one patient, plain words and big pictures.

Shows this week's sessions and minutes against the plan, the streak, stars, and four charts
drawn in the game: minutes each day, how far the arm reaches, steadier movement (SPARC) and
balance time. Nothing on it changes settings or leads to another patient.

Controls: Enter/Space, Esc, a click or resting the pointer on "Back" for 1.5 s goes back.
``render_png`` draws the same screen offscreen for ``main.py progress --png``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pygame

from game.actions import Act, Action
from game.render import charts
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, panel, text
from game.scenes.base import Pop, Transition
from game.scenes.menus import MenuScene, draw_backdrop
from game.scenes.therapist_data import ProgressSummary, change_word, progress_summary

DAY_LETTERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TREND_WORDS = {
    "reach": ("Reaching less far than at the start - keep going", "About the same as at the start",
              "Reaching further than at the start!"),
    "smooth": ("A little less steady than at the start", "About as steady as at the start",
               "Steadier than at the start!"),
    "balance": ("Balancing a little less long than at the start", "About the same as at the start",
                "Balancing longer than at the start!"),
}  # fmt: skip
"""Plain sentences for a trend of -1, 0, +1 (game.scenes.therapist_data.change_word)."""


def _card(surface: pygame.Surface, rect: tuple[int, int, int, int], icon: str, big: str, small: str) -> None:
    panel(surface, rect, T.PANEL, 225, 18)
    x, y, w, h = rect
    draw_icon(surface, icon, (x + 44, y + h / 2), 60)
    text(surface, big, (x + 86, y + 14), 40, T.TEXT, bold=True)
    text(surface, small, (x + 86, y + h - 14), 28, T.TEXT_DIM, "bottomleft")


def _arm(side: str) -> str:
    return f"the {side} arm" if side in ("left", "right") else "the arm"


def draw_progress(
    surface: pygame.Surface, p: ProgressSummary, *, banner: bool = False, date_right_px: int = 1250
) -> None:
    """Draw the whole family screen for `p` (without the Back button)."""
    top = 52 if banner else 8
    draw_icon(surface, "heart", (50, top + 36), 56)
    text(surface, f"{p.alias}'s progress", (90, top + 36), 58, T.TEXT, "midleft", bold=True)
    text(surface, p.today.strftime("%A %d %B %Y"), (date_right_px, top + 36), 30, T.TEXT_DIM, "midright")
    y = top + 80
    cards = (
        ("calendar", f"{p.week_sessions} of {p.plan_sessions}", "sessions this week"),
        ("clock", f"{p.week_minutes:.0f} of {p.plan_minutes:.0f}", "minutes this week"),
        ("flame", f"{p.streak} day{'s' if p.streak != 1 else ''}", "in a row"),
        ("star", f"{p.week_stars} stars", "this week"),
    )
    for i, (icon, big, small) in enumerate(cards):
        _card(surface, (20 + i * 312, y, 300, 104), icon, big, small)
    y += 118
    w, h = 612, (720 - y - 12) // 2 - 6
    boxes = [(20, y), (648, y), (20, y + h + 12), (648, y + h + 12)]
    area = charts.chart_frame(surface, (*boxes[0], w, h), "Minutes each day this week", "clock", 32)
    daily_plan = p.plan_minutes / max(p.plan_sessions, 1)
    charts.bar_chart(surface, area, p.week_minutes_by_day, DAY_LETTERS, target=daily_plan)
    arm = _arm(p.affected_side)
    first = p.first_day.strftime("%d %b") if p.first_day else ""
    _trend_box(surface, (*boxes[1], w, h), f"How far {arm} reaches", "reach", p.reach, "reach",
               ("less", "further"), T.ORANGE, first)  # fmt: skip
    _trend_box(surface, (*boxes[2], w, h), "Steadier movement", "wave", p.smooth, "smooth",
               ("shaky", "steady"), T.SKY, first)  # fmt: skip
    _trend_box(surface, (*boxes[3], w, h), "Balance time", "scale", p.balance, "balance",
               ("short", "long"), T.GREEN, first)  # fmt: skip


def _trend_box(
    surface: pygame.Surface,
    rect: tuple[int, int, int, int],
    title: str,
    icon: str,
    data: tuple[list[float], list[bool]],
    kind: str,
    labels: tuple[str, str],
    color: tuple[int, int, int],
    first_day: str,
) -> None:
    area = charts.chart_frame(surface, rect, title, icon, 32)
    area.height -= 58
    values, ok = data
    drawn = charts.line_chart(surface, area, values, ok, color=color, labels=labels,
                              empty="Not played yet")  # fmt: skip
    if drawn:
        text(surface, first_day, (area.x + 70, area.bottom + 4), 24, T.TEXT_DIM)
        text(surface, "today", (area.right, area.bottom + 4), 24, T.TEXT_DIM, "topright")
        words = TREND_WORDS[kind][change_word(values, ok) + 1]
        text(surface, words, (area.centerx, area.bottom + 28), 30, T.YELLOW, "midtop")


class FamilyProgressScene(MenuScene):
    """Read-only progress of one patient (chosen before: never a patient list here)."""

    autoplay_after_s = 4.0

    def __init__(self, app: Any, patient: Any, today: date | None = None) -> None:
        super().__init__(app)
        self.patient = patient
        self.today = today or datetime.now(UTC).date()
        self.summary = progress_summary(app.db, patient, self.today)
        self.menu = Menu(column([("back", "Back", "back")], x=1060, y=6, w=200, h=74))

    def handle(self, action: Action) -> Transition | None:
        if action.act in (Act.BACK, Act.SELECT):
            return Pop()
        return super().handle(action)

    def choose(self, key: str) -> Transition | None:
        return Pop()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_progress(surface, self.summary, banner=bool(self.app.settings.demo), date_right_px=1040)
        self.menu.draw(surface)


def render_png(db: Any, patient: Any, path: Path, today: date) -> Path:
    """Draw the family screen for `patient` offscreen (SDL dummy driver) and save a PNG."""
    from game.render.window import SCREEN_SIZE, use_dummy_drivers

    started = not pygame.display.get_init()
    if started:
        use_dummy_drivers()
        pygame.display.init()
    pygame.font.init()
    T.font.cache_clear()  # fonts made before an earlier pygame.quit() are dead
    try:
        surface = pygame.Surface(SCREEN_SIZE)
        T.gradient(surface)
        draw_progress(surface, progress_summary(db, patient, today))
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(path))
    finally:
        if started:
            T.font.cache_clear()
            pygame.quit()
    return path


class ProgressPickScene(MenuScene):
    """Whose progress? Shown only when several patients exist and none is chosen yet."""

    autoplay_after_s = None

    def __init__(self, app: Any, patients: list[Any]) -> None:
        super().__init__(app)
        self.patients = patients[:4]
        items = [(p.id, p.alias, "person") for p in self.patients] + [("__back", "Back", "back")]
        self.menu = Menu(column(items, x=340, y=170, w=600, h=96, gap=18))

    def choose(self, key: str) -> Transition | None:
        if key == "__back":
            return Pop()
        from game.scenes.base import Replace

        return Replace(FamilyProgressScene(self.app, next(p for p in self.patients if p.id == key)))

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "chart", (300, 100), 60)
        text(surface, "Whose progress?", (340, 100), 64, T.TEXT, "midleft", bold=True)
        self.menu.draw(surface)


def family_scene_for(app: Any) -> MenuScene:
    """The family screen of the chosen (or only) patient; else a choice of patients."""
    if app.patient is not None:
        return FamilyProgressScene(app, app.patient)
    if app.settings.demo:
        demo = app.db.get_patient("demo")
        patients = [demo] if demo is not None else []
    else:
        patients = list(app.db.list_patients(include_guests=False))
    if len(patients) == 1:
        return FamilyProgressScene(app, patients[0])
    return ProgressPickScene(app, patients)
