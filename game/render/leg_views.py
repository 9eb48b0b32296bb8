"""Drawing pieces the leg level types and the standard tests share: the safety question, the
"step back" guidance, the camera-view check, big prompts, a knee-bend gauge, a counter, the
test instructions and the test result card. Each type's drawer (game/leveltypes/<type>/draw.py)
calls :func:`leg_board` first and draws its own part only when it returns True.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pygame

from game.i18n import Text, _
from game.leveltypes.guided import GuidedView
from game.leveltypes.standing import LegView
from game.leveltypes.views import ConfirmView
from game.render import theme as T
from game.render.charts import fit_text
from game.render.icons import draw_icon
from game.render.level_views import DrawContext, draw_confirm
from game.render.widgets import panel, progress_ring, text

SIDE = (940, 150, 320, 460)
"""The right-hand panel where a leg level shows its live numbers."""


def _step_back_arrow(surface: pygame.Surface, centre: tuple[float, float], size: float) -> None:
    """A person with an arrow pointing away from the screen (step back)."""
    x, y = centre
    draw_icon(surface, "person", (x - size * 0.25, y), size * 0.8)
    tip, base = (x + size * 0.6, y), x + size * 0.25
    pygame.draw.polygon(surface, T.YELLOW, [tip, (base, y - size * 0.25), (base, y + size * 0.25)])
    pygame.draw.line(surface, T.YELLOW, (x + size * 0.05, y), (base, y), max(4, int(size * 0.1)))


def draw_guidance(surface: pygame.Surface, words: str) -> None:
    """What a level waits for: "Step back so I can see your feet", big, with a step-back sign."""
    panel(surface, (200, 320, 880, 170), T.PANEL, 235)
    _step_back_arrow(surface, (300, 405), 130)
    fit_text(surface, _(words), (400, 405), 52, 660, T.YELLOW, "midleft", bold=True)


def leg_board(surface: pygame.Surface, view: LegView, ctx: DrawContext) -> bool:
    """The shared part of a leg level's screen; True when the level's own part may be drawn."""
    if view.confirm is not None:
        draw_confirm(surface, view.confirm, ctx)
        return False
    if view.guidance is not None:
        draw_guidance(surface, view.guidance)
        return False
    if view.phase == "view":
        panel(surface, (240, 320, 800, 170), T.PANEL, 235)
        progress_ring(surface, (330, 405), 52, view.view_progress, T.GREEN, 12)
        draw_icon(surface, "person", (330, 405), 70)
        fit_text(surface, _("Checking the camera view"), (410, 380), 46, 600, T.TEXT, "midleft", bold=True)
        fit_text(surface, _("Stay still - I need to see your hips, knees and feet"), (410, 435), 30, 600,
                 T.TEXT_DIM, "midleft")  # fmt: skip
        return False
    if view.prompt is not None:
        panel(surface, (240, 160, 800, 90), T.PANEL, 220)
        fit_text(surface, _(view.prompt), (640, 205), 54, 760, T.YELLOW, "center", bold=True)
    return True


def side_panel(surface: pygame.Surface, title: Text, icon: str) -> pygame.Rect:
    """The right-hand panel with its title; returns the area below the title."""
    panel(surface, SIDE, T.PANEL, 215)
    x, y, w, h = SIDE
    draw_icon(surface, icon, (x + 40, y + 36), 48)
    fit_text(surface, title, (x + 74, y + 36), 34, w - 90, T.TEXT, "midleft", bold=True)
    return pygame.Rect(x + 16, y + 72, w - 32, h - 88)


def knee_gauge(
    surface: pygame.Surface, area: pygame.Rect, knee_deg: float, target_deg: float, limit_deg: float
) -> None:
    """A vertical bar of knee bend (0 at the top = straight), the target line (yellow) and the
    therapist's limit (vermillion); the bar turns green once the target is reached."""
    top_deg = max(limit_deg, target_deg) * 1.15
    bar = pygame.Rect(area.x + 30, area.y + 10, 70, area.height - 60)
    pygame.draw.rect(surface, T.TEXT_DIM, bar, 3, 12)
    value = min(max(knee_deg, 0.0), top_deg) if math.isfinite(knee_deg) else 0.0
    fill_h = int(bar.height * value / top_deg)
    color = T.GREEN if value >= target_deg - 5.0 else T.SKY
    pygame.draw.rect(surface, color, (bar.x + 4, bar.y + 4, bar.width - 8, max(fill_h - 8, 0)), 0, 10)
    for deg, col, label in (
        (target_deg, T.YELLOW, _("goal {deg}°")),
        (limit_deg, T.VERMILLION, _("limit {deg}°")),
    ):
        yy = bar.y + int(bar.height * deg / top_deg)
        pygame.draw.line(surface, col, (bar.x - 10, yy), (bar.right + 10, yy), 5)
        text(surface, label.format(deg=f"{deg:.0f}"), (bar.right + 18, yy), 28, col, "midleft", bold=True)
    shown = f"{knee_deg:.0f}°" if math.isfinite(knee_deg) else "-"
    text(
        surface,
        _("Knee bend {angle}").format(angle=shown),
        (area.x + 10, area.bottom - 24),
        30,
        T.TEXT,
        "midleft",
    )


def counter(surface: pygame.Surface, centre: tuple[float, float], big: str, small: Text) -> None:
    """A big number with a line under it ("7" / "stands")."""
    text(surface, big, centre, 110, T.YELLOW, "center", bold=True)
    text(surface, small, (centre[0], centre[1] + 70), 32, T.TEXT, "center")


def instructions(
    surface: pygame.Surface, title: str, lines: Sequence[str], icon: str, x: int = 120, w: int = 1040
) -> None:
    """A test's protocol as numbered lines (big text, one step a line), in a panel at ``x``."""
    panel(surface, (x, 100, w, 520), T.PANEL, 235)
    draw_icon(surface, icon, (x + 70, 160), 80)
    fit_text(surface, _(title), (x + 130, 160), 48, w - 160, T.TEXT, "midleft", bold=True)
    for i, line in enumerate(lines):
        fit_text(surface, f"{i + 1}. {_(line)}", (x + 40, 240 + i * 58), 34, w - 70, T.TEXT, "midleft")


def result_card(surface: pygame.Surface, headline: str, words: str, source: str) -> None:
    """A test's result: the number in words, how it compares, and where the norm comes from."""
    panel(surface, (160, 150, 960, 330), T.PANEL, 240)
    draw_icon(surface, "star", (240, 240), 90)
    fit_text(surface, headline, (310, 240), 54, 780, T.YELLOW, "midleft", bold=True)
    fit_text(surface, words, (200, 340), 36, 880, T.TEXT, "midleft")
    fit_text(surface, source, (200, 420), 24, 880, T.TEXT_DIM, "midleft")


def go_button(surface: pygame.Surface, start: ConfirmView, ctx: DrawContext) -> None:
    """The big green GO a guided test waits for (a key, a click or the hand held on it)."""
    c = ctx.vp.to_screen(np.array(start.button_xy))
    r = ctx.vp.length_px(start.radius)
    pygame.draw.circle(surface, T.GREEN, c, r)
    pygame.draw.circle(surface, T.WHITE, c, r, 4)
    text(surface, _("GO"), (c[0], c[1]), 56, T.WHITE, "center", bold=True)
    progress_ring(surface, (float(c[0]), float(c[1])), r + 14, start.progress, T.YELLOW, 10)


def draw_guided(surface: pygame.Surface, view: GuidedView, ctx: DrawContext) -> None:
    """A standard test's screen: instructions and GO, the countdown, the live number, the result."""
    if not leg_board(surface, view, ctx):
        return
    if view.phase == "instructions":  # the protocol on the side away from the GO button
        go_x = float(ctx.vp.to_screen(np.array(view.start.button_xy))[0]) if view.start else 1280.0
        x = 20 if go_x > 640 else 440
        instructions(surface, view.title, view.instructions, ctx.icon, x, 820)
        draw_icon(surface, "hand", (x + 70, 584), 44)
        fit_text(surface, _("Ready? Press Enter or hold your hand on GO"), (x + 105, 584), 34, 690, T.YELLOW,
                 "midleft", bold=True)  # fmt: skip
        if view.start is not None:
            go_button(surface, view.start, ctx)
        return
    if view.countdown:
        panel(surface, (540, 200, 200, 200), T.PANEL, 230, 100)
        text(surface, str(view.countdown), (640, 300), 150, T.YELLOW, "center", bold=True)
        return
    if view.result is not None:
        result_card(surface, *view.result)
        return
    if view.phase == "test":
        area = side_panel(surface, _(view.title), ctx.icon)
        counter(surface, (area.centerx, area.y + 110), view.big, view.small)
