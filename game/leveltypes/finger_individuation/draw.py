"""Drawing a piano level: the hands' close-up with a key above each fingertip of the hand shown
on the affected side (the lit key yellow, sinking as its finger presses), a wobble cue on the
other keys; the piano and note icons."""

from __future__ import annotations

import pygame

from game.leveltypes.finger_individuation.exercise import FINGERS, PianoView
from game.render import theme as T
from game.render.hand_view import STAGE_RECT, draw_shown_stage, palm_px
from game.render.level_views import DrawContext
from game.tracking import hands as H


def draw(surface: pygame.Surface, view: PianoView, ctx: DrawContext) -> None:
    pts = draw_shown_stage(surface, view, ctx)
    if pts is None:
        return
    size = palm_px(pts)
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(STAGE_RECT))
    w, h = size * 0.3, size * 0.5
    for k, finger in enumerate(FINGERS):
        tip = pts[H.FINGERS[finger][3]]
        lit = finger == view.target
        rect = pygame.Rect(0, 0, int(w), int(h))
        rect.midbottom = (int(tip[0]), int(tip[1] - size * 0.08))  # a key above each fingertip
        pygame.draw.rect(surface, T.WHITE, rect, border_radius=6)
        if lit:  # the lit key fills from the bottom as its finger presses
            fill = rect.copy()
            fill.height = max(int(rect.height * (0.25 + 0.75 * view.pressed[k])), 4)
            fill.bottom = rect.bottom
            pygame.draw.rect(surface, T.YELLOW, fill, border_radius=6)
        edge = T.ORANGE if view.others_moved and not lit else T.BLACK
        pygame.draw.rect(surface, edge, rect, 3, border_radius=6)
    surface.set_clip(clip)


def _icon_piano(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.WHITE, (x - r * 0.9, y - r * 0.6, r * 1.8, r * 1.2), border_radius=4)
    for k in range(1, 4):
        xx = x - r * 0.9 + k * r * 0.45
        pygame.draw.line(s, T.BLACK, (xx, y - r * 0.6), (xx, y + r * 0.6), 2)
        pygame.draw.rect(s, T.BLACK, (xx - r * 0.1, y - r * 0.6, r * 0.2, r * 0.7))


def _icon_note(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.14))
    pygame.draw.ellipse(s, T.YELLOW, (x - r * 0.7, y + r * 0.25, r * 0.6, r * 0.45))
    pygame.draw.ellipse(s, T.YELLOW, (x + r * 0.1, y + r * 0.1, r * 0.6, r * 0.45))
    pygame.draw.line(s, T.YELLOW, (x - r * 0.12, y + r * 0.45), (x - r * 0.12, y - r * 0.7), w)
    pygame.draw.line(s, T.YELLOW, (x + r * 0.68, y + r * 0.3), (x + r * 0.68, y - r * 0.85), w)
    pygame.draw.line(s, T.YELLOW, (x - r * 0.12, y - r * 0.7), (x + r * 0.68, y - r * 0.85), w)


ICONS = {"piano": _icon_piano, "note": _icon_note}
"""Icons finger-individuation levels may name."""
