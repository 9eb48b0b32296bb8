"""Drawing a mouth-opening level: the opening gauge (target, tolerance band, the therapist's
limit with its lock) beside the face and the chin's sideways shift under it; the face itself
(the own face with the midline) is the play screen's (game/render/face_view.py).

Mirror view: the person's left is on the screen's left, so a chin shifting to the person's
left moves the dot to the left, as in a mirror.
"""

from __future__ import annotations

import pygame

from game.i18n import _
from game.leveltypes.mouth_opening.exercise import MouthOpeningView
from game.render import theme as T
from game.render.face_icons import icon_face, icon_jaw
from game.render.face_panels import BAR_W, SIDE_PANELS
from game.render.face_view import STAGE, draw_face_hint
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import panel, progress_ring, text
from game.scoring.face import DEVIATION_MM

SHIFT_RANGE_MM = 10.0
"""The chin-shift strip shows ± this many millimetres."""


def draw(surface: pygame.Surface, view: MouthOpeningView, ctx: DrawContext) -> None:
    """The opening gauge (target, tolerance band, limit) and the chin-shift strip."""
    x, y, w, h = SIDE_PANELS["right"]
    panel(surface, (x, y, w, h), T.PANEL, alpha=200, radius=18)
    text(surface, _("Opening"), (x + w / 2, y + 28), 32, T.TEXT, "center", bold=True)
    bar = pygame.Rect(x + 40, y + 64, BAR_W, h - 150)
    full_mm = max(view.limit_mm * 1.15, 1.0)

    def to_y(mm: float) -> int:
        return bar.y + int(bar.h * min(max(mm / full_mm, 0.0), 1.0))  # the mouth opens downwards

    band = (to_y(view.hold_target_mm - view.tolerance_mm), to_y(view.hold_target_mm + view.tolerance_mm))
    pygame.draw.rect(surface, (40, 70, 60), (bar.x, band[0], bar.w, max(band[1] - band[0], 2)))
    pygame.draw.rect(surface, T.TEXT_DIM, bar, 3, 10)
    fill = to_y(view.opening_mm) - bar.y
    if fill > 0:
        pygame.draw.rect(surface, T.SKY, (bar.x + 3, bar.y + 3, bar.w - 6, fill), 0, 8)
    limit_y = to_y(view.limit_mm)
    pygame.draw.line(surface, T.VERMILLION, (bar.x - 10, limit_y), (bar.right + 10, limit_y), 5)
    draw_icon(surface, "lock", (bar.right + 40, limit_y), 36)
    ty = to_y(view.target_mm)
    pygame.draw.polygon(
        surface, T.YELLOW, [(bar.right + 4, ty), (bar.right + 30, ty - 16), (bar.right + 30, ty + 16)]
    )
    text(surface, f"{view.opening_mm:.0f} {_('mm')}", (x + w / 2, y + h - 60), 36, T.TEXT, "center")
    if view.phase == "hold":
        progress_ring(surface, (x + w / 2, y + h - 20), 16, view.progress, T.YELLOW, 6)
    _draw_shift(surface, view.shift_mm)
    draw_face_hint(surface, view.turned)


def _draw_shift(surface: pygame.Surface, shift_mm: float) -> None:
    """The chin's sideways shift under the face: a dot on a strip, green near the middle."""
    sx, sy, sw, sh = STAGE
    strip = pygame.Rect(sx + sw // 2 - 200, sy + sh - 50, 400, 34)
    panel(surface, (strip.x - 60, strip.y - 4, strip.w + 120, strip.h + 8), T.PANEL, alpha=200, radius=14)
    icon_face(surface, (strip.x - 30, strip.centery), 15)
    pygame.draw.line(surface, T.TEXT_DIM, (strip.x, strip.centery), (strip.right, strip.centery), 3)
    half = strip.w / 2
    ok = abs(shift_mm) <= DEVIATION_MM
    pygame.draw.rect(
        surface,
        (40, 70, 60),
        (
            strip.centerx - half * DEVIATION_MM / SHIFT_RANGE_MM,
            strip.y,
            2 * half * DEVIATION_MM / SHIFT_RANGE_MM,
            strip.h,
        ),
    )
    pygame.draw.line(surface, T.WHITE, (strip.centerx, strip.y), (strip.centerx, strip.bottom), 3)
    frac = max(min(shift_mm / SHIFT_RANGE_MM, 1.0), -1.0)
    dot = (strip.centerx - frac * half, strip.centery)  # mirror view: the person's left is screen left
    pygame.draw.circle(surface, T.GREEN if ok else T.ORANGE, dot, 14)
    if not ok:
        pygame.draw.circle(surface, T.WHITE, dot, 14, 3)


ICONS = {"jaw": icon_jaw}
"""Icons mouth-opening levels may name."""
