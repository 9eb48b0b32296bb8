"""Drawing a reach level: the target, the hand cursor and the neglect arrow."""

from __future__ import annotations

import pygame

from game.leveltypes.reach.exercise import ReachView
from game.render.level_views import DrawContext, draw_hand, draw_neglect_cue, draw_target


def draw(surface: pygame.Surface, view: ReachView, ctx: DrawContext) -> None:
    for t in view.targets:
        draw_target(surface, t, ctx)
    draw_hand(surface, view.hud, ctx)
    if view.neglect_cue:
        draw_neglect_cue(surface, view.neglect_cue, ctx)
