"""Drawing a leg mirror level: the shared board, then a panel with the mirrored leg's angle
against the goal and the hold ring; and the leg icon."""

from __future__ import annotations

import math

import pygame

from game.i18n import _
from game.leveltypes.leg_mirror.exercise import LegMirrorView
from game.render import theme as T
from game.render.leg_views import leg_board, side_panel
from game.render.level_views import DrawContext
from game.render.widgets import progress_ring, text


def draw(surface: pygame.Surface, view: LegMirrorView, ctx: DrawContext) -> None:
    if not leg_board(surface, view, ctx):
        return
    knee = view.movement == "knee"
    title = (_("Straighten your knee") if knee else _("Toes up")) if view.moving else _("Relax")
    area = side_panel(surface, title, ctx.icon)
    centre = (area.centerx, area.y + 150)
    progress_ring(surface, centre, 100, view.hold, T.YELLOW, 14)
    shown = f"{view.angle_deg:.0f}°" if math.isfinite(view.angle_deg) else "-"
    text(surface, shown, centre, 80, T.TEXT, "center", bold=True)
    goal = (_("goal {deg}° bend (0 = straight)") if knee else _("goal {deg}° toes up")).format(
        deg=f"{view.target_deg:.0f}"
    )
    text(surface, goal, (area.x + 10, area.bottom - 60), 28, T.YELLOW, "midleft")
    text(surface, _("Watch the leg in the mirror"), (area.x + 10, area.bottom - 24), 28, T.TEXT, "midleft")


def _icon_leg(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a seated leg straightening, with a curved arrow
    w = max(3, int(r * 0.14))
    pygame.draw.line(s, T.SKY, (x - r * 0.8, y - r * 0.2), (x - r * 0.1, y - r * 0.2), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.1, y - r * 0.2), (x + r * 0.7, y - r * 0.45), w)
    pygame.draw.line(s, T.TEXT_DIM, (x - r * 0.1, y - r * 0.2), (x - r * 0.1, y + r * 0.7), max(2, w // 2))
    pygame.draw.arc(s, T.YELLOW, (x - r * 0.6, y - r * 0.7, r * 1.2, r * 1.4), -1.4, -0.1, w)


ICONS = {"leg": _icon_leg}
"""Icons leg mirror levels may name."""
