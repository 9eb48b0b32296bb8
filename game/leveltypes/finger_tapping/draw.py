"""Drawing a finger-tapping level: the hands' close-up with the tapping hand glowing, a drum
between its thumb and index finger that lights at each tap, and the count; the drum icon."""

from __future__ import annotations

import pygame

from game.leveltypes.finger_tapping.exercise import TapView
from game.render import theme as T
from game.render.hand_view import STAGE_RECT, draw_stage, prompt
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import panel, text
from game.tracking import hands as H


def draw(surface: pygame.Surface, view: TapView, ctx: DrawContext) -> None:
    stage = draw_stage(surface, view, ctx)
    prompt(surface, view.prompt, ctx.icon)
    if stage is None or view.waiting_hands or view.turn not in ("good", "affected"):
        return
    hand = view.own if view.turn == "affected" else view.good
    if hand is None:
        return
    pts = (stage.shown if view.turn == "affected" else stage.good)(hand)
    mid = 0.5 * (pts[H.THUMB_TIP] + pts[H.INDEX_TIP])
    pygame.draw.circle(surface, T.YELLOW if view.gap < 0.35 else T.TEXT_DIM, mid, 16, 5)
    x, y, w, _ = STAGE_RECT
    panel(surface, (x + w - 220, y + 16, 200, 76))
    draw_icon(surface, "drum", (x + w - 180, y + 54), 56)
    text(surface, f"{view.count} / {view.taps}", (x + w - 140, y + 54), 44, T.TEXT, "midleft", bold=True)


def _icon_drum(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.VERMILLION, (x - r * 0.75, y - r * 0.3, r * 1.5, r * 0.8))
    pygame.draw.ellipse(s, T.WHITE, (x - r * 0.75, y - r * 0.55, r * 1.5, r * 0.5))
    w = max(2, int(r * 0.1))
    pygame.draw.line(s, T.YELLOW, (x + r * 0.2, y - r * 0.5), (x + r * 0.8, y - r * 0.95), w)
    pygame.draw.line(s, T.YELLOW, (x - r * 0.2, y - r * 0.5), (x - r * 0.8, y - r * 0.95), w)


ICONS = {"drum": _icon_drum}
"""Icons finger-tapping levels may name."""
