"""Per-level-type drawing of an exercise's ``view()`` data (the play scene calls ``draw_level``).

Each level type registers a drawer ``fn(surface, view, ctx)``; :class:`DrawContext` carries the
viewport and the level's look. Drawing never changes game state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from game.render import theme as T
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.widgets import progress_ring


@dataclass(frozen=True)
class DrawContext:
    vp: Viewport
    icon: str
    affected_side: str
    t_s: float


Drawer = Callable[[pygame.Surface, dict[str, Any], DrawContext], None]
DRAWERS: dict[str, Drawer] = {}


def register(level_type: str) -> Callable[[Drawer], Drawer]:
    """Decorator: register the drawer of a level type."""

    def deco(fn: Drawer) -> Drawer:
        DRAWERS[level_type] = fn
        return fn

    return deco


def draw_target(surface: pygame.Surface, t: dict[str, Any], ctx: DrawContext) -> None:
    """A round target with the level's icon and a dwell progress ring."""
    c = ctx.vp.to_screen(np.array(t["xy"]))
    r = ctx.vp.length_px(t["radius"])
    pygame.draw.circle(surface, T.WHITE, c, r + 6, 3)
    draw_icon(surface, t.get("icon", ctx.icon), (c[0], c[1]), r * 1.7)
    progress_ring(surface, c, r + 16, t.get("progress", 0.0), T.YELLOW, 10)


def draw_hand(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    """The hand cursor (where the game thinks the displayed hand is)."""
    if view.get("hand") is not None:
        hx, hy = ctx.vp.to_screen(np.array(view["hand"]))
        pygame.draw.circle(surface, T.WHITE, (hx, hy), 14, 4)


@register("reach")
def draw_reach(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    for t in view["targets"]:
        draw_target(surface, t, ctx)
    draw_hand(surface, view, ctx)
    cue = view.get("neglect_cue")
    if cue:
        draw_neglect_cue(surface, cue, ctx)


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


def draw_level(surface: pygame.Surface, level_type: str, view: dict[str, Any], ctx: DrawContext) -> None:
    """Draw a level's view with its type's drawer (targets and hand by default)."""
    DRAWERS.get(level_type, draw_reach)(surface, view, ctx)
