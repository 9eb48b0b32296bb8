"""Drawing a marching level: the shared leg board, then the beat (which knee now), two bars of
knee lift against the goal line and the steps done; and the marching icon."""

from __future__ import annotations

import pygame

from game.i18n import _
from game.leveltypes.march.exercise import MarchView
from game.render import theme as T
from game.render.leg_views import counter, leg_board, side_panel
from game.render.level_views import DrawContext
from game.render.widgets import text


def draw(surface: pygame.Surface, view: MarchView, ctx: DrawContext) -> None:
    if not leg_board(surface, view, ctx):
        return
    knee_up = _("Left knee up") if view.beat_side == "left" else _("Right knee up")
    area = side_panel(surface, knee_up if view.marching else _("Stand tall"), ctx.icon)
    counter(
        surface, (area.centerx, area.y + 60), f"{view.steps}", _("of {n} steps").format(n=view.steps_total)
    )
    top = max(view.goal_cm * 1.6, 1.0)
    # mirror view: the person's left knee is on the screen's left
    for i, (side, x) in enumerate((("left", area.x + 60), ("right", area.right - 120))):
        bar = pygame.Rect(x, area.y + 150, 60, area.height - 200)
        lit = view.marching and view.beat_side == side
        pygame.draw.rect(surface, T.YELLOW if lit else T.TEXT_DIM, bar, 4 if lit else 3, 12)
        fill = int((bar.height - 8) * min(max(view.lift_cm[i], 0.0), top) / top)
        color = T.GREEN if view.lift_cm[i] >= 0.5 * view.goal_cm else T.SKY
        pygame.draw.rect(surface, color, (bar.x + 4, bar.bottom - 4 - fill, bar.width - 8, fill), 0, 10)
        goal_y = bar.bottom - int((bar.height - 8) * view.goal_cm / top)
        pygame.draw.line(surface, T.YELLOW, (bar.x - 8, goal_y), (bar.right + 8, goal_y), 4)
        text(surface, _("Left") if side == "left" else _("Right"), (bar.centerx, bar.bottom + 20), 28, T.TEXT,
             "center")  # fmt: skip


def _icon_march(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a person marching: one knee up
    w = max(3, int(r * 0.13))
    pygame.draw.circle(s, T.SKY, (x, y - r * 0.72), r * 0.2)
    pygame.draw.line(s, T.SKY, (x, y - r * 0.5), (x, y + r * 0.15), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.15), (x - r * 0.1, y + r * 0.9), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.15), (x + r * 0.45, y + r * 0.15), w)
    pygame.draw.line(s, T.SKY, (x + r * 0.45, y + r * 0.15), (x + r * 0.45, y + r * 0.6), w)
    pygame.draw.line(s, T.SKY, (x, y - r * 0.35), (x - r * 0.4, y), w)
    pygame.draw.line(s, T.SKY, (x, y - r * 0.35), (x + r * 0.35, y - r * 0.6), w)


ICONS = {"march": _icon_march}
"""Icons marching levels may name."""
