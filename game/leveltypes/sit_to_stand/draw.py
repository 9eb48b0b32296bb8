"""Drawing a sit-to-stand level: the shared leg board, then a panel with the stands done, a bar
of how high the hips are (seated at the bottom, standing at the top) and the cue; and the
sit-to-stand icon."""

from __future__ import annotations

import pygame

from game.i18n import _
from game.leveltypes.sit_to_stand.exercise import SitToStandView
from game.render import theme as T
from game.render.leg_views import counter, leg_board, side_panel
from game.render.level_views import DrawContext
from game.render.widgets import text


def draw(surface: pygame.Surface, view: SitToStandView, ctx: DrawContext) -> None:
    if not leg_board(surface, view, ctx):
        return
    area = side_panel(surface, _("Stand up") if view.up else _("Sit down"), ctx.icon)
    counter(
        surface,
        (area.x + 90, area.y + 80),
        f"{view.hud.reps_done}",
        _("of {n} stands").format(n=view.hud.reps_total),
    )
    bar = pygame.Rect(area.right - 80, area.y + 10, 56, area.height - 60)
    pygame.draw.rect(surface, T.TEXT_DIM, bar, 3, 12)
    fill = int((bar.height - 8) * view.height)
    pygame.draw.rect(surface, T.GREEN if view.height >= 1.0 else T.SKY,
                     (bar.x + 4, bar.bottom - 4 - fill, bar.width - 8, fill), 0, 10)  # fmt: skip
    arms = _("Arms crossed") if view.arms == "crossed" else _("Hands may help")
    text(surface, arms, (area.x + 10, area.bottom - 24), 30, T.TEXT, "midleft")


def _icon_sit_to_stand(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a chair, and a person rising from it with an up arrow
    w = max(3, int(r * 0.12))
    pygame.draw.line(s, T.TEXT_DIM, (x - r * 0.9, y + r * 0.2), (x - r * 0.3, y + r * 0.2), w)
    pygame.draw.line(s, T.TEXT_DIM, (x - r * 0.9, y - r * 0.5), (x - r * 0.9, y + r * 0.9), w)
    pygame.draw.line(s, T.TEXT_DIM, (x - r * 0.35, y + r * 0.2), (x - r * 0.35, y + r * 0.9), w)
    pygame.draw.circle(s, T.SKY, (x + r * 0.2, y - r * 0.65), r * 0.2)
    pygame.draw.line(s, T.SKY, (x + r * 0.2, y - r * 0.45), (x + r * 0.2, y + r * 0.25), w)
    pygame.draw.line(s, T.SKY, (x + r * 0.2, y + r * 0.25), (x + r * 0.05, y + r * 0.9), w)
    pygame.draw.line(s, T.SKY, (x + r * 0.2, y + r * 0.25), (x + r * 0.4, y + r * 0.9), w)
    pygame.draw.polygon(
        s, T.YELLOW, [(x + r * 0.75, y - r * 0.8), (x + r * 0.55, y - r * 0.45), (x + r * 0.95, y - r * 0.45)]
    )
    pygame.draw.line(s, T.YELLOW, (x + r * 0.75, y - r * 0.5), (x + r * 0.75, y + r * 0.2), w)


ICONS = {"sit_to_stand": _icon_sit_to_stand}
"""Icons sit-to-stand levels (and the chair-stand tests) may name."""
