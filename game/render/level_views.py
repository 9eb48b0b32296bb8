"""Drawing pieces the level types share: targets, the hand cursor, the neglect arrow, the chair
question and the balance board. Each level type's own drawer lives in its folder
(game/leveltypes/<type>/draw.py) and is called by the play scene as ``draw(surface, view,
ctx)``; :class:`DrawContext` carries the viewport and the level's look. Drawing never changes
game state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from game.i18n import _
from game.leveltypes.views import ConfirmView, Hud, TargetView
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.widgets import fit_text, panel, progress_ring, text
from game.tracking.pose import Picture, PoseFrame

BOARD = (320, 220, 640, 400)
"""Where balance levels draw their board (above the instruction), large enough that the
boat, the marble and the gate are easy to see for older eyes."""
BOARD_HALF_PX = min(BOARD[2], BOARD[3]) / 2 - 20
"""Pixels from the board's centre to 100 % of the limits of stability."""


@dataclass(frozen=True)
class DrawContext:
    vp: Viewport
    icon: str
    affected_side: str
    t_s: float
    mode: str = "avatar"
    """The mirror mode on screen ("video", "avatar", "shared")."""
    picture: Picture | None = None
    """The newest raw camera picture (None for sources without pixels)."""
    pose: PoseFrame | None = None
    """The raw tracked frame shown (hands included when tracked), or None."""
    gain: float = 0.0
    """Shared-control gain of the display."""


Drawer = Callable[[pygame.Surface, Any, DrawContext], None]
"""Draws a level's typed view: ``draw(surface, view, ctx)`` (each level type's draw.py)."""
IconFn = Callable[[pygame.Surface, tuple[float, float], float], None]
"""Draws an icon: ``icon(surface, centre, radius_px)``."""


def draw_target(surface: pygame.Surface, t: TargetView, ctx: DrawContext) -> None:
    """A round target with the level's icon and a dwell progress ring."""
    c = ctx.vp.to_screen(np.array(t.xy))
    r = ctx.vp.length_px(t.radius)
    pygame.draw.circle(surface, T.WHITE, c, r + 6, 3)
    draw_icon(surface, ctx.icon, (c[0], c[1]), r * 1.7)
    progress_ring(surface, (float(c[0]), float(c[1])), r + 16, t.progress, T.YELLOW, 10)


def draw_hand(surface: pygame.Surface, hud: Hud, ctx: DrawContext) -> None:
    """The hand cursor (where the game thinks the displayed hand is)."""
    if hud.hand is not None:
        hx, hy = ctx.vp.to_screen(np.array(hud.hand))
        pygame.draw.circle(surface, T.WHITE, (hx, hy), 14, 4)


def draw_neglect_cue(surface: pygame.Surface, side: str, ctx: DrawContext) -> None:
    """A pulsing arrow at the screen edge of the neglected side (mirror view: the patient's
    left is on the screen's left)."""
    x0, y0, w, h = ctx.vp.rect
    pulse = 0.5 + 0.5 * np.sin(ctx.t_s * 5.0)
    size = 50 + 14 * pulse
    cy = y0 + h / 2
    if side == "left":
        tip, base = x0 + 20, x0 + 20 + size
    else:
        tip, base = x0 + w - 20, x0 + w - 20 - size
    pygame.draw.polygon(surface, T.YELLOW, [(tip, cy), (base, cy - size * 0.7), (base, cy + size * 0.7)])


def draw_confirm(surface: pygame.Surface, confirm: ConfirmView, ctx: DrawContext) -> None:
    """The safety question before any standing task: big words, a chair icon, a YES button."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    panel(surface, (160, 140, 960, 200))
    draw_icon(surface, confirm.icon, (250, 240), 150)
    text(surface, confirm.text, (340, 205), 56, T.YELLOW, "midleft", bold=True)
    draw_icon(surface, "hand", (370, 290), 50)
    fit_text(
        surface, _("Press Enter, click YES, or hold your hand on it"), (405, 290), 38, 690, T.TEXT, "midleft"
    )
    c = ctx.vp.to_screen(np.array(confirm.button_xy))
    r = ctx.vp.length_px(confirm.radius)
    pygame.draw.circle(surface, T.GREEN, c, r)
    pygame.draw.circle(surface, T.WHITE, c, r, 4)
    text(surface, _("YES"), (c[0], c[1]), 52, T.WHITE, "center", bold=True)
    progress_ring(surface, (float(c[0]), float(c[1])), r + 14, confirm.progress, T.YELLOW, 10)


def balance_board(
    surface: pygame.Surface, confirm: ConfirmView | None, ctx: DrawContext, water: bool
) -> bool:
    """The chair question while it waits (False), else the board balance levels draw the
    trunk on, a panel with a centre cross at BOARD (True)."""
    if confirm is not None:
        draw_confirm(surface, confirm, ctx)
        return False
    panel(surface, BOARD, (20, 60, 110) if water else T.PANEL, alpha=200, radius=30)
    x, y, w, h = BOARD
    pygame.draw.line(surface, T.TEXT_DIM, (x + w // 2, y + 12), (x + w // 2, y + h - 12), 2)
    pygame.draw.line(surface, T.TEXT_DIM, (x + 12, y + h // 2), (x + w - 12, y + h // 2), 2)
    return True


def pct_to_board(pct: tuple[float, float], rect: tuple[int, int, int, int]) -> tuple[float, float]:
    """% LOS (left, forward) → board pixels. Mirror view: the patient's left is screen left;
    forward is up. 100 % LOS reaches the board's edge."""
    x, y, w, h = rect
    half = min(w, h) / 2 - 20
    return (x + w / 2 - pct[0] / 100.0 * half, y + h / 2 - pct[1] / 100.0 * half)
