"""Drawing a squat level: the shared leg board, then a knee-bend gauge with the goal and the
therapist's limit, and a hold ring; and the squat icon."""

from __future__ import annotations

import pygame

from game.i18n import _
from game.leveltypes.squat.exercise import SquatView
from game.render import theme as T
from game.render.leg_views import knee_gauge, leg_board, side_panel
from game.render.level_views import DrawContext
from game.render.widgets import progress_ring


def draw(surface: pygame.Surface, view: SquatView, ctx: DrawContext) -> None:
    if not leg_board(surface, view, ctx):
        return
    area = side_panel(surface, _("Bend your knees") if view.down else _("Stand tall"), ctx.icon)
    knee_gauge(surface, area, view.knee_deg, view.target_deg, view.limit_deg)
    if view.down:
        progress_ring(surface, (area.right - 50, area.y + 40), 30, view.hold, T.YELLOW, 8)


def _icon_squat(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a person squatting, arms forward
    w = max(3, int(r * 0.13))
    pygame.draw.circle(s, T.SKY, (x - r * 0.05, y - r * 0.7), r * 0.2)
    hip, knee = (x - r * 0.35, y + r * 0.15), (x + r * 0.25, y + r * 0.1)
    pygame.draw.line(s, T.SKY, (x - r * 0.1, y - r * 0.5), hip, w)
    pygame.draw.line(s, T.SKY, hip, knee, w)
    pygame.draw.line(s, T.SKY, knee, (x, y + r * 0.85), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.85), (x + r * 0.3, y + r * 0.85), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.1, y - r * 0.35), (x + r * 0.75, y - r * 0.35), w)


ICONS = {"squat": _icon_squat}
"""Icons squat levels may name."""
