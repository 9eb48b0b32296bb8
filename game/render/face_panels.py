"""The panels beside the face in expression levels: each side's movement against the goal (the
jaw level's gauge is in game/leveltypes/mouth_opening/draw.py). The face itself is drawn by
game/render/face_view.py.

Mirror view: the person's left side is on the screen's left, like in a mirror, so each bar
stands beside its own half of the face. The weak side's bar is framed in yellow and carries
the hold ring; colours are the colour-blind-safe theme's, and every state also has a shape
(the goal line, the target triangle, the limit's lock).
"""

from __future__ import annotations

import pygame

from game.i18n import _
from game.leveltypes.facial import ExpressionView
from game.render import theme as T
from game.render.face_view import draw_face_hint
from game.render.level_views import DrawContext
from game.render.widgets import panel, progress_ring, text

SIDE_PANELS = {"left": (16, 150, 220, 470), "right": (1044, 150, 220, 470)}
"""Screen rectangles of the person's left and right bars (mirror view)."""
BAR_W = 70


def draw_expression(surface: pygame.Surface, view: ExpressionView, ctx: DrawContext) -> None:
    """Both sides' excursion bars, the goal line and the hold ring on the weak side."""
    top = max(view.goal * 1.6, max(view.left, view.right) * 1.05, 1e-6)
    for side, (x, y, w, h) in SIDE_PANELS.items():
        weak = side == view.weak_side
        panel(surface, (x, y, w, h), T.PANEL, alpha=200, radius=18)
        if weak:
            pygame.draw.rect(surface, T.YELLOW, (x, y, w, h), 4, 18)
        label = _("Left") if side == "left" else _("Right")
        text(surface, label, (x + w / 2, y + 28), 34, T.TEXT, "center", bold=True)
        value = max(view.left if side == "left" else view.right, 0.0)  # below rest is noise
        bar = pygame.Rect(x + (w - BAR_W) // 2, y + 70, BAR_W, h - 170)
        pygame.draw.rect(surface, T.TEXT_DIM, bar, 3, 10)
        frac = min(max(value / top, 0.0), 1.0)
        fill = int((bar.h - 6) * frac)
        color = T.GREEN if value >= view.goal else (T.SKY if not weak else T.ORANGE)
        if fill > 0:
            pygame.draw.rect(surface, color, (bar.x + 3, bar.bottom - 3 - fill, bar.w - 6, fill), 0, 8)
        goal_y = bar.bottom - 3 - int((bar.h - 6) * min(view.goal / top, 1.0))
        pygame.draw.line(surface, T.WHITE, (bar.x - 14, goal_y), (bar.right + 14, goal_y), 4)
        unit = "%" if view.unit == "pct" else _("mm")
        text(surface, f"{value:.0f} {unit}", (x + w / 2, y + h - 74), 34, T.TEXT, "center")
        if weak and view.phase == "cue":
            progress_ring(surface, (x + w / 2, y + h - 30), 22, view.progress, T.YELLOW, 8)
    draw_face_hint(surface, view.turned)
