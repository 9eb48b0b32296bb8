"""Drawing hands: the hand avatar and the hands' close-up every hand level shows.

The close-up (:data:`STAGE_RECT`) magnifies the part of the raw picture around the hands
(``HandView.stage``, chosen and smoothed by the level), seen as a mirror like everything else
(the person's left on the screen's left). What fills it depends on the mirror mode:

- ``"video"`` with a camera: the hand video mirror of that part of the picture
  (game.mirror.hand_picture: the good hand's picture reflected over the affected side);
- ``"shared"`` with a camera: the plain picture, with the shared-control hand drawn over the
  affected hand;
- ``"avatar"``, or no camera (the simulated patient, a replay): both hands drawn, the good
  hand in the own-arm colour, the hand on the affected side in the mirror colour with a glow.

The level's drawer gets back the mapping from raw normalised points to the screen, to draw its
objects (a fruit in the shown hand, piano keys over the fingertips) where the hands appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import pygame

from game.i18n import Text
from game.leveltypes.hand_common import SHOW_HANDS, STAGE_ASPECT, HandView
from game.mirror.hand import PARENT
from game.mirror.hand_picture import hand_mirror_crop
from game.render import theme as T
from game.render.charts import fit_text
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.widgets import panel
from game.tracking import hands as H
from game.tracking.pose import Side

STAGE_H = 430
STAGE_RECT = (int(640 - STAGE_H * STAGE_ASPECT / 2), 168, int(STAGE_H * STAGE_ASPECT), STAGE_H)
"""Where the hands' close-up is drawn (x, y, w, h): centred, between the HUD and the
instruction."""
PALM = (H.WRIST, H.THUMB_CMC, H.THUMB_MCP, H.INDEX_MCP, H.MIDDLE_MCP, H.RING_MCP, H.PINKY_MCP)
ToScreen = Callable[[np.ndarray], np.ndarray]
"""Raw normalised points (..., 2) -> screen pixels (..., 2)."""


def region_mapping(
    region: tuple[float, float, float, float], rect: tuple[int, int, int, int], frame_size: tuple[int, int]
) -> ToScreen:
    """Mapping of raw normalised points into a screen ``rect`` showing ``region`` (raw pixels
    x, y, w, h) as a mirror (larger raw x, the person's left, lands further left)."""
    x0, y0, w, h = region
    sx, sy, sw, sh = rect
    fw, fh = frame_size

    def to_screen(xy: np.ndarray) -> np.ndarray:
        p = np.asarray(xy, dtype=np.float64)[..., :2] * (fw, fh)
        return np.stack([sx + (1.0 - (p[..., 0] - x0) / w) * sw, sy + (p[..., 1] - y0) / h * sh], axis=-1)

    return to_screen


@dataclass(frozen=True)
class StageMap:
    """Where the close-up draws each hand: mappings of raw normalised points to the screen."""

    shown: ToScreen
    """For the hand on the affected side (and, in a spatial close-up, everything)."""
    good: ToScreen
    """For the good hand."""


def slot_rects(affected_side: str) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """(affected-side half, good half) of the close-up: the person's left on the screen's left."""
    x, y, w, h = STAGE_RECT
    left, right = (x, y, w // 2, h), (x + w // 2, y, w - w // 2, h)
    return (left, right) if affected_side == "left" else (right, left)


def draw_hand(
    surface: pygame.Surface, pts: np.ndarray, color: tuple[int, int, int], glow: bool = False
) -> None:
    """A friendly filled hand from its 21 screen points ``(21, 2)``: a palm, round-capped
    fingers as wide as a fifth of the palm length, knuckle dots."""
    if not np.isfinite(pts).all():
        return
    palm_px = float(np.linalg.norm(pts[H.MIDDLE_MCP] - pts[H.WRIST]))
    width = max(int(palm_px * 0.22), 4)
    if glow:
        lo, hi = pts.min(axis=0) - 2 * width, pts.max(axis=0) + 2 * width
        layer = pygame.Surface((int(hi[0] - lo[0]) + 1, int(hi[1] - lo[1]) + 1), pygame.SRCALPHA)
        _shape(layer, pts - lo, (*color, 70), width * 2)
        surface.blit(layer, (int(lo[0]), int(lo[1])))
    _shape(surface, pts, color, width)
    for i in (H.THUMB_MCP, H.INDEX_PIP, H.MIDDLE_PIP, H.RING_PIP, H.PINKY_PIP):
        pygame.draw.circle(surface, T.WHITE, pts[i], max(width * 0.18, 2))


def _shape(surface: pygame.Surface, pts: np.ndarray, color: tuple[int, ...], width: int) -> None:
    pygame.draw.polygon(surface, color, [tuple(pts[i]) for i in PALM])
    for child in range(1, 21):
        a, b = pts[PARENT[child]], pts[child]
        pygame.draw.line(surface, color, a, b, width)
        pygame.draw.circle(surface, color, b, width / 2)


def draw_stage(surface: pygame.Surface, view: HandView, ctx: DrawContext) -> StageMap | None:
    """The hands' close-up (module doc); returns where it put each hand, or None before the
    hands were seen (then it asks to show them)."""
    if not view.regions:
        ask_for_hands(surface, SHOW_HANDS)
        return None
    size = ctx.vp.frame_size
    if len(view.regions) == 1:
        slots = [(view.regions[0], STAGE_RECT, True)]
    else:
        rects = slot_rects(ctx.affected_side)
        slots = [(view.regions[0], rects[0], True), (view.regions[1], rects[1], False)]
    maps = [region_mapping(region, rect, size) for region, rect, _ in slots]
    stage = StageMap(maps[0], maps[-1])
    panel(surface, STAGE_RECT, (10, 16, 34), alpha=255, radius=24)
    pictured = ctx.picture is not None and ctx.pose is not None and ctx.mode in ("video", "shared")
    mirrored = pictured and ctx.mode == "video" and not view.show_own
    if pictured:
        for region, rect, is_shown in slots:
            _picture_slot(surface, ctx, region, rect, mirror=mirrored and is_shown)
    if len(slots) == 2:
        x, y, w, h = STAGE_RECT
        pygame.draw.line(surface, T.TEXT_DIM, (x + w // 2, y + 12), (x + w // 2, y + h - 12), 2)
    if not mirrored:
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(STAGE_RECT))  # hands partly out of the region stay inside
        _draw_both(surface, view, stage, over_picture=pictured)
        surface.set_clip(clip)
    pygame.draw.rect(surface, T.TEXT_DIM, STAGE_RECT, 3, 24)
    if view.waiting_hands:
        ask_for_hands(surface, SHOW_HANDS)
    return stage


def _picture_slot(
    surface: pygame.Surface,
    ctx: DrawContext,
    region: tuple[float, float, float, float],
    rect: tuple[int, int, int, int],
    mirror: bool,
) -> None:
    """One region of the camera picture in one part of the close-up: the hand video mirror
    where the affected side shows the good hand's reflection, the plain picture elsewhere."""
    assert ctx.picture is not None and ctx.pose is not None
    x0, y0, w, h = (int(round(v)) for v in region)
    if mirror:
        side: Side = "left" if ctx.affected_side == "left" else "right"
        crop = hand_mirror_crop(ctx.picture.bgr, ctx.pose, side, (x0, y0, w, h))
    else:
        crop = ctx.picture.bgr[max(y0, 0) : y0 + h, max(x0, 0) : x0 + w]
    if crop.size:
        _, _, rw, rh = rect
        fitted = cv2.flip(cv2.resize(crop, (rw, rh), interpolation=cv2.INTER_LINEAR), 1)
        surface.blit(pygame.image.frombuffer(np.ascontiguousarray(fitted).data, (rw, rh), "BGR"), rect[:2])


def _draw_both(surface: pygame.Surface, view: HandView, stage: StageMap, over_picture: bool) -> None:
    """The good hand and the hand on the affected side (mirror, blend or own); over the plain
    picture (shared control) only the hand on the affected side is drawn."""
    if view.good is not None and not over_picture:
        draw_hand(surface, stage.good(view.good), T.OWN_ARM)
    shown = view.own if view.show_own else view.shown
    if shown is not None:
        draw_hand(surface, stage.shown(shown), T.MIRROR_ARM, glow=True)


def ask_for_hands(surface: pygame.Surface, words: Text) -> None:
    """The wait for the hands: a hand icon and one line, over the close-up."""
    x, y, w, h = STAGE_RECT
    panel(surface, (x + 40, y + h // 2 - 50, w - 80, 100))
    draw_icon(surface, "hand", (x + 100, y + h // 2), 70)
    fit_text(surface, words, (x + 150, y + h // 2), 44, w - 220, T.YELLOW, "midleft", bold=True)


def prompt(surface: pygame.Surface, words: Text | None, icon: str = "hand") -> None:
    """The level's word of the moment ("Squeeze!"), big, on the close-up's lower edge (the
    feedback words appear near its top)."""
    if words is None:
        return
    x, y, w, h = STAGE_RECT
    cy = y + h - 6
    panel(surface, (x + 60, cy - 36, w - 120, 72), T.PANEL, alpha=235)
    draw_icon(surface, icon, (x + 110, cy), 54)
    fit_text(surface, words, (x + w // 2 + 20, cy), 50, w - 260, T.YELLOW, "center", bold=True)


def hand_centre(pts: np.ndarray) -> tuple[float, float]:
    """The middle of the palm on screen (mean of the wrist and the four knuckles)."""
    c = pts[[H.WRIST, H.INDEX_MCP, H.MIDDLE_MCP, H.RING_MCP, H.PINKY_MCP]].mean(axis=0)
    return (float(c[0]), float(c[1]))


def draw_shown_stage(surface: pygame.Surface, view: HandView, ctx: DrawContext) -> np.ndarray | None:
    """The close-up and the level's word; then where the shown hand is on screen ``(21, 2)``
    px, or None while there is no shown hand to draw on."""
    stage = draw_stage(surface, view, ctx)
    prompt(surface, view.prompt, ctx.icon)
    if stage is None or view.shown is None or view.waiting_hands:
        return None
    return stage.shown(view.shown)


def palm_px(pts: np.ndarray) -> float:
    """The palm's length on screen, pixels."""
    return float(np.linalg.norm(pts[H.MIDDLE_MCP] - pts[H.WRIST]))
