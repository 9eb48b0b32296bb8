"""Drawing a grasp level: the hands' close-up, the fruit in the hand shown on the affected side
(it squashes as the hand closes, juice drips while the squeeze is held), the bowl it drops
into; and the level icons (orange, lemon)."""

from __future__ import annotations

import pygame

from game.leveltypes.grasp.exercise import GraspView
from game.render import theme as T
from game.render.hand_view import STAGE_RECT, draw_shown_stage, hand_centre, palm_px
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import progress_ring


def draw(surface: pygame.Surface, view: GraspView, ctx: DrawContext) -> None:
    pts = draw_shown_stage(surface, view, ctx)
    if pts is None:
        return
    c, size = hand_centre(pts), 0.9 * palm_px(pts)
    x, y, w, h = STAGE_RECT
    bowl = (c[0], y + h - 90)
    pygame.draw.ellipse(surface, T.BLUE, (bowl[0] - 80, bowl[1] - 26, 160, 52))
    if view.phase in ("open", "squeeze", "release"):
        squash = 1.0 - 0.45 * view.squeeze
        fruit = pygame.Surface((int(size), int(size)), pygame.SRCALPHA)
        draw_icon(fruit, ctx.icon, (size / 2, size / 2), size)
        fruit = pygame.transform.smoothscale(fruit, (int(size * (2 - squash)), max(int(size * squash), 2)))
        surface.blit(fruit, fruit.get_rect(center=(int(c[0]), int(c[1]))))
        progress_ring(surface, c, size * 0.6, view.hold, T.YELLOW, 8)
        if view.hold > 0:
            for k in range(3):
                drop_y = c[1] + size * 0.4 + ((view.hud.reps_done * 7 + k * 23) % 60)
                pygame.draw.circle(surface, T.YELLOW, (c[0] - 20 + 20 * k, drop_y), 6)
    elif view.phase == "settle":
        draw_icon(surface, ctx.icon, (bowl[0], bowl[1] - 20), 60)


def _icon_orange(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.ORANGE, (x, y + r * 0.08), r * 0.78)
    pygame.draw.circle(s, (255, 200, 90), (x - r * 0.25, y - r * 0.15), r * 0.18)
    pygame.draw.ellipse(s, T.GREEN, (x, y - r * 0.95, r * 0.5, r * 0.28))


def _icon_lemon(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.YELLOW, (x - r * 0.9, y - r * 0.62, r * 1.8, r * 1.24))
    pygame.draw.circle(s, T.YELLOW, (x + r * 0.88, y), r * 0.14)
    pygame.draw.circle(s, T.YELLOW, (x - r * 0.88, y), r * 0.14)
    pygame.draw.ellipse(s, (255, 250, 190), (x - r * 0.45, y - r * 0.4, r * 0.5, r * 0.3))


ICONS = {"orange": _icon_orange, "lemon": _icon_lemon}
"""Icons grasp levels may name."""
