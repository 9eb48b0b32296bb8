"""Drawing a brow raise level: each side's movement against the goal beside the face
(game/render/face_panels.py); the face itself (the half-face mirror) is the play screen's."""

from __future__ import annotations

import pygame

from game.leveltypes.facial import ExpressionView
from game.render.face_icons import icon_brow
from game.render.face_panels import draw_expression
from game.render.level_views import DrawContext


def draw(surface: pygame.Surface, view: ExpressionView, ctx: DrawContext) -> None:
    draw_expression(surface, view, ctx)


ICONS = {"brow": icon_brow}
"""Icons brow raise levels may name."""
