"""Per-level-type drawing of an exercise's ``view()`` data (the play scene calls ``draw_level``).

Each level type registers a drawer ``fn(surface, view, ctx)``; :class:`DrawContext` carries the
viewport and the level's look. Drawing never changes game state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from game.render import theme as T
from game.render.icons import draw_icon
from game.render.icons import register as register_icon
from game.render.viewport import Viewport
from game.render.widgets import panel, progress_ring, text


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
    progress_ring(surface, (float(c[0]), float(c[1])), r + 16, t.get("progress", 0.0), T.YELLOW, 10)


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


# -- icons the new level types need (drawn from shapes) ---------------------------------------
def _icon_chair(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    wood, w = (176, 120, 60), max(3, int(r * 0.16))
    pygame.draw.line(s, wood, (x - r * 0.45, y - r * 0.9), (x - r * 0.45, y + r * 0.85), w)  # back
    pygame.draw.rect(s, wood, (x - r * 0.5, y - r * 0.05, r * 1.05, r * 0.2))  # seat
    pygame.draw.line(s, wood, (x + r * 0.45, y + r * 0.1), (x + r * 0.45, y + r * 0.85), w)
    pygame.draw.line(s, wood, (x - r * 0.45, y - r * 0.55), (x - r * 0.05, y - r * 0.55), w)


def _icon_boat(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.polygon(
        s,
        T.VERMILLION,
        [
            (x - r * 0.9, y + r * 0.15),
            (x + r * 0.9, y + r * 0.15),
            (x + r * 0.55, y + r * 0.6),
            (x - r * 0.55, y + r * 0.6),
        ],
    )
    pygame.draw.line(s, T.WHITE, (x, y + r * 0.15), (x, y - r * 0.85), max(2, int(r * 0.08)))
    pygame.draw.polygon(
        s, T.WHITE, [(x + r * 0.05, y - r * 0.8), (x + r * 0.65, y + r * 0.05), (x + r * 0.05, y + r * 0.05)]
    )


def _icon_marble(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pygame.draw.circle(s, T.BLUE, c, r * 0.8)
    pygame.draw.circle(s, T.SKY, (c[0] - r * 0.15, c[1] - r * 0.15), r * 0.5)
    pygame.draw.circle(s, T.WHITE, (c[0] - r * 0.35, c[1] - r * 0.35), r * 0.16)


def _icon_tray(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.rect(s, (176, 120, 60), (x - r * 0.95, y + r * 0.2, r * 1.9, r * 0.25), border_radius=4)
    pygame.draw.rect(s, T.WHITE, (x - r * 0.55, y - r * 0.35, r * 0.4, r * 0.55), border_radius=3)
    pygame.draw.rect(s, T.SKY, (x + r * 0.15, y - r * 0.45, r * 0.4, r * 0.65), border_radius=3)


def _icon_balance(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a person standing on one leg, arms out
    w = max(3, int(r * 0.14))
    pygame.draw.circle(s, T.SKY, (x, y - r * 0.7), r * 0.2)
    pygame.draw.line(s, T.SKY, (x, y - r * 0.5), (x, y + r * 0.2), w)
    pygame.draw.line(s, T.SKY, (x - r * 0.75, y - r * 0.35), (x + r * 0.75, y - r * 0.35), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.2), (x, y + r * 0.9), w)
    pygame.draw.line(s, T.SKY, (x, y + r * 0.2), (x + r * 0.45, y + r * 0.45), w)


def _icon_posture(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.16))
    pygame.draw.circle(s, T.GREEN, (x, y - r * 0.65), r * 0.24)
    pygame.draw.line(s, T.GREEN, (x, y - r * 0.4), (x, y + r * 0.8), w)
    pygame.draw.line(s, T.GREEN, (x - r * 0.5, y - r * 0.25), (x + r * 0.5, y - r * 0.25), w)


def _icon_compass(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c  # a figure of eight
    w = max(3, int(r * 0.14))
    pygame.draw.ellipse(s, T.PURPLE, (x - r * 0.9, y - r * 0.4, r * 0.9, r * 0.8), w)
    pygame.draw.ellipse(s, T.PURPLE, (x, y - r * 0.4, r * 0.9, r * 0.8), w)


def _icon_fish(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.ORANGE, (x - r * 0.75, y - r * 0.4, r * 1.2, r * 0.8))
    pygame.draw.polygon(
        s, T.ORANGE, [(x + r * 0.35, y), (x + r * 0.9, y - r * 0.4), (x + r * 0.9, y + r * 0.4)]
    )
    pygame.draw.circle(s, T.BLACK, (x - r * 0.4, y - r * 0.08), max(2, r * 0.09))


def _icon_flower(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    for k in range(6):
        a = k * math.pi / 3
        pygame.draw.circle(s, T.PURPLE, (x + r * 0.45 * math.cos(a), y + r * 0.45 * math.sin(a)), r * 0.32)
    pygame.draw.circle(s, T.YELLOW, c, r * 0.3)


def _icon_leaf(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.GREEN, (x - r * 0.85, y - r * 0.45, r * 1.7, r * 0.9))
    pygame.draw.line(s, (0, 100, 70), (x - r * 0.85, y), (x + r * 0.8, y), max(2, int(r * 0.08)))


def _icon_moon(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pygame.draw.circle(s, T.YELLOW, c, r * 0.8)
    pygame.draw.circle(s, (40, 56, 84), (c[0] + r * 0.35, c[1] - r * 0.2), r * 0.65)


def _icon_eye(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.WHITE, (x - r * 0.9, y - r * 0.45, r * 1.8, r * 0.9))
    pygame.draw.circle(s, T.BLUE, c, r * 0.35)
    pygame.draw.circle(s, T.BLACK, c, r * 0.15)


for _name, _fn in (
    ("chair", _icon_chair),
    ("boat", _icon_boat),
    ("marble", _icon_marble),
    ("tray", _icon_tray),
    ("balance", _icon_balance),
    ("posture", _icon_posture),
    ("compass", _icon_compass),
    ("fish", _icon_fish),
    ("flower", _icon_flower),
    ("leaf", _icon_leaf),
    ("moon", _icon_moon),
    ("eye", _icon_eye),
):
    register_icon(_name, _fn)


# -- shared pieces of the new level types ------------------------------------------------------
def draw_confirm(surface: pygame.Surface, confirm: dict[str, Any], ctx: DrawContext) -> None:
    """The safety question before any standing task: big words, a chair icon, a YES button."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    panel(surface, (160, 140, 960, 200))
    draw_icon(surface, "chair", (250, 240), 150)
    text(surface, confirm["text"], (340, 205), 56, T.YELLOW, "midleft", bold=True)
    draw_icon(surface, "hand", (370, 290), 50)
    text(surface, "Press Enter or hold your hand on YES", (405, 290), 38, T.TEXT, "midleft")
    c = ctx.vp.to_screen(np.array(confirm["button_xy"]))
    r = ctx.vp.length_px(confirm["radius"])
    pygame.draw.circle(surface, T.GREEN, c, r)
    pygame.draw.circle(surface, T.WHITE, c, r, 4)
    text(surface, "YES", (c[0], c[1]), 52, T.WHITE, "center", bold=True)
    progress_ring(surface, (float(c[0]), float(c[1])), r + 14, confirm.get("progress", 0.0), T.YELLOW, 10)


def _balance_board(surface: pygame.Surface, rect: tuple[int, int, int, int], water: bool) -> None:
    panel(surface, rect, (20, 60, 110) if water else T.PANEL, alpha=200, radius=30)
    x, y, w, h = rect
    pygame.draw.line(surface, T.TEXT_DIM, (x + w // 2, y + 12), (x + w // 2, y + h - 12), 2)
    pygame.draw.line(surface, T.TEXT_DIM, (x + 12, y + h // 2), (x + w - 12, y + h // 2), 2)


def _pct_to_board(pct: tuple[float, float], rect: tuple[int, int, int, int]) -> tuple[float, float]:
    """% LOS (left, forward) → board pixels. Mirror view: the patient's left is screen left;
    forward is up. 100 % LOS reaches the board's edge."""
    x, y, w, h = rect
    half = min(w, h) / 2 - 20
    return (x + w / 2 - pct[0] / 100.0 * half, y + h / 2 - pct[1] / 100.0 * half)


BOARD = (390, 300, 500, 320)
"""Where balance levels draw their board (below the head, above the instruction)."""


@register("trace")
def draw_trace(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    path = view.get("path") or []
    if len(path) >= 2:
        pts = [tuple(ctx.vp.to_screen(np.array(p))) for p in path]
        pygame.draw.lines(surface, T.WHITE, False, pts, 14)
        pygame.draw.lines(surface, T.SKY, False, pts, 8)
    for t in view["targets"]:
        c = ctx.vp.to_screen(np.array(t["xy"]))
        r = ctx.vp.length_px(t["radius"])
        glow = T.YELLOW if view.get("on_target") else T.WHITE
        pygame.draw.circle(surface, glow, c, r + 6, 5)
        draw_icon(surface, ctx.icon, (c[0], c[1]), r * 1.6)
        progress_ring(surface, (float(c[0]), float(c[1])), r + 18, t.get("progress", 0.0), T.YELLOW, 10)
    draw_hand(surface, view, ctx)


@register("bilateral")
def draw_bilateral(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    shelf = view.get("shelf")
    if shelf is not None:
        xs = sorted(ctx.vp.to_screen(np.array([[x, shelf["y"]] for x in shelf["x"]]))[:, 0])
        y = ctx.vp.to_screen(np.array([0.5, shelf["y"]]))[1]
        band = ctx.vp.rect[3] * shelf["tol"]
        pygame.draw.rect(
            surface, (176, 120, 60), (xs[0] - 60, y - 8, xs[1] - xs[0] + 120, 16), border_radius=6
        )
        pygame.draw.rect(surface, T.YELLOW, (xs[0] - 60, y - band, xs[1] - xs[0] + 120, 2 * band), 2, 8)
        progress_ring(surface, ((xs[0] + xs[1]) / 2, y - band - 40), 30, shelf["progress"], T.YELLOW, 10)
    tray = view.get("tray")
    if tray is not None:
        a, b = ctx.vp.to_screen(np.array(tray[0])), ctx.vp.to_screen(np.array(tray[1]))
        level = abs(view.get("tilt_deg", 0.0)) <= view.get("tilt_cue_deg", 15.0)
        color = (176, 120, 60) if level else T.ORANGE
        pygame.draw.line(surface, T.BLACK, a, b, 26)
        pygame.draw.line(surface, color, a, b, 20)
        mid = (a + b) / 2
        draw_icon(surface, "tray", (mid[0], mid[1] - 34), 70)
        if not level:
            draw_icon(surface, "tray", (mid[0], mid[1] + 60), 44)
            text(surface, "Level it", (mid[0] + 30, mid[1] + 60), 40, T.ORANGE, "midleft", bold=True)


@register("weight_shift")
def draw_weight_shift(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    if view.get("confirm"):
        draw_confirm(surface, view["confirm"], ctx)
        return
    _balance_board(surface, BOARD, water=True)
    half = min(BOARD[2], BOARD[3]) / 2 - 20
    for p in view.get("trail", [])[::6]:
        pygame.draw.circle(surface, T.SKY, _pct_to_board(p, BOARD), 5)
    gate = view.get("gate")
    if gate is not None:
        g = _pct_to_board(gate["pct"], BOARD)
        r = gate["radius_pct"] / 100.0 * half
        pygame.draw.circle(surface, T.YELLOW, g, r, 4)
        for dx in (-r, r):
            pygame.draw.circle(surface, T.VERMILLION, (g[0] + dx, g[1]), 14)
            pygame.draw.circle(surface, T.WHITE, (g[0] + dx, g[1]), 14, 3)
        progress_ring(surface, g, r + 14, gate["progress"], T.YELLOW, 10)
    draw_icon(surface, ctx.icon, _pct_to_board(view["pos_pct"], BOARD), 70)


@register("stance")
def draw_stance(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    if view.get("confirm"):
        draw_confirm(surface, view["confirm"], ctx)
        return
    _balance_board(surface, BOARD, water=False)
    half = min(BOARD[2], BOARD[3]) / 2 - 20
    centre = _pct_to_board((0.0, 0.0), BOARD)
    zone_r = view["zone_pct"] / 100.0 * half
    inside = math.hypot(*view["pos_pct"]) <= view["zone_pct"]
    pygame.draw.circle(surface, T.GREEN if inside else T.ORANGE, centre, zone_r, 6)
    hold = view.get("hold")
    if hold is not None:
        progress_ring(surface, centre, zone_r + 16, hold["progress"], T.YELLOW, 12)
        label = f"{int(hold['held_s'])} / {int(round(hold['target_s']))} s"
        draw_icon(surface, "sun", (BOARD[0] + 40, BOARD[1] + 40), 44)
        text(surface, label, (BOARD[0] + 70, BOARD[1] + 40), 44, T.TEXT, "midleft", bold=True)
    trace = view.get("trace") or []
    if len(trace) >= 2:  # live sway trace: lateral lean over the last seconds, newest at right
        x0, w, y0 = BOARD[0] + 20, BOARD[2] - 40, BOARD[1] + BOARD[3] - 34
        n = len(trace)
        pts = [
            (x0 + w * i / (n - 1), y0 - max(min(v, 100.0), -100.0) / 100.0 * 24) for i, v in enumerate(trace)
        ]
        pygame.draw.lines(surface, T.SKY, False, pts, 3)
    draw_icon(
        surface,
        "person" if not view.get("single_leg") else "balance",
        _pct_to_board(view["pos_pct"], BOARD),
        60,
    )


@register("position_match")
def draw_position_match(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    if view.get("hidden"):  # a curtain over the affected side: the arm must be felt, not seen
        x0, y0, w, h = ctx.vp.rect
        left = view.get("side_sign", 1.0) > 0  # affected = patient's left → screen left
        rx = x0 if left else x0 + w // 2 + 60
        rect = (rx, y0 + 90, w // 2 - 60, h - 180)
        panel(surface, rect, (70, 40, 90), alpha=245, radius=24)
        cx, cy = rect[0] + rect[2] / 2, rect[1] + rect[3] / 2
        draw_icon(surface, ctx.icon, (cx, cy - 70), 110)
        progress_ring(surface, (cx, cy - 70), 80, view.get("progress", 0.0), T.YELLOW, 12)
        text(surface, "Arm hidden", (cx, cy + 50), 48, T.TEXT, "center", bold=True)
        return
    ghost = view.get("ghost")
    if ghost is not None:
        a = ctx.vp.to_screen(np.array(ghost["shoulder"]))
        b = ctx.vp.to_screen(np.array(ghost["hand"]))
        pygame.draw.line(surface, T.YELLOW, a, b, 10)
    for t in view["targets"]:
        draw_target(surface, t, ctx)
    ans = view.get("answer")
    if ans is not None:
        c = ctx.vp.to_screen(np.array(ans["hand"]))
        pygame.draw.circle(surface, T.SKY, c, 22, 6)
        label = f"{abs(ans['error_deg']):.0f}° away"
        text(surface, label, (c[0], c[1] - 60), 44, T.TEXT, "center", bold=True)
    draw_hand(surface, view, ctx)


@register("posture")
def draw_posture(surface: pygame.Surface, view: dict[str, Any], ctx: DrawContext) -> None:
    for t in view["targets"]:
        draw_target(surface, t, ctx)
    draw_hand(surface, view, ctx)
    # A spirit level: the bubble drifts with the trunk lean; green while inside the threshold.
    x, y, w = 900, 150, 340
    panel(surface, (x, y, w, 80))
    draw_icon(surface, "posture", (x + 40, y + 40), 56)
    frac = min(view["lean_deg"] / max(view["lean_max_deg"], 1e-6), 1.5)
    ok = view.get("posture_cue") is None
    bx = x + 80 + (w - 110) * 0.5 + frac * (w - 110) * 0.33
    pygame.draw.rect(surface, T.TEXT_DIM, (x + 80, y + 28, w - 110, 24), 2, 12)
    pygame.draw.circle(surface, T.GREEN if ok else T.ORANGE, (bx, y + 40), 14)
