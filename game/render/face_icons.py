"""Icons of the face levels, drawn from shapes: a face making each exercise's movement (a smile,
raised brows, closed eyes, pursed lips, an open mouth with an arrow along the midline).

Each is ``icon(surface, centre, radius_px)``; the level types list them in their ``ICONS``
(game/leveltypes/<type>/draw.py), which registers them (game.render.icons.register).
"""

from __future__ import annotations

import pygame

from game.render import theme as T

Point = tuple[float, float]
FACE = (236, 200, 170)
LINE = (60, 40, 40)


def _head(s: pygame.Surface, c: Point, r: float) -> int:
    """The round face every face icon starts from; returns the line width."""
    pygame.draw.circle(s, FACE, c, r * 0.9)
    pygame.draw.circle(s, T.ORANGE, c, r * 0.9, max(2, int(r * 0.08)))
    return max(2, int(r * 0.1))


def _eyes(s: pygame.Surface, c: Point, r: float, closed: bool = False) -> None:
    x, y = c
    for dx in (-0.33, 0.33):
        if closed:
            pygame.draw.arc(s, LINE, (x + (dx - 0.16) * r, y - 0.3 * r, 0.32 * r, 0.2 * r), 3.3, 6.1, 3)
        else:
            pygame.draw.circle(s, LINE, (x + dx * r, y - 0.22 * r), r * 0.09)


def icon_face(s: pygame.Surface, c: Point, r: float) -> None:
    """A calm face (used where a face is waited for)."""
    w = _head(s, c, r)
    _eyes(s, c, r)
    x, y = c
    pygame.draw.line(s, LINE, (x - 0.25 * r, y + 0.38 * r), (x + 0.25 * r, y + 0.38 * r), w)


def icon_smile(s: pygame.Surface, c: Point, r: float) -> None:
    w = _head(s, c, r)
    _eyes(s, c, r)
    x, y = c
    pygame.draw.arc(s, LINE, (x - 0.45 * r, y - 0.1 * r, 0.9 * r, 0.65 * r), 3.5, 5.9, w)


def icon_brow(s: pygame.Surface, c: Point, r: float) -> None:
    w = _head(s, c, r)
    _eyes(s, c, r)
    x, y = c
    for dx in (-0.33, 0.33):
        pygame.draw.arc(s, LINE, (x + (dx - 0.2) * r, y - 0.62 * r, 0.4 * r, 0.3 * r), 0.3, 2.8, w)
    pygame.draw.polygon(
        s, T.YELLOW, [(x, y - 1.0 * r), (x - 0.15 * r, y - 0.75 * r), (x + 0.15 * r, y - 0.75 * r)]
    )
    pygame.draw.line(s, LINE, (x - 0.2 * r, y + 0.4 * r), (x + 0.2 * r, y + 0.4 * r), w)


def icon_eyes_closed(s: pygame.Surface, c: Point, r: float) -> None:
    w = _head(s, c, r)
    _eyes(s, c, r, closed=True)
    x, y = c
    pygame.draw.line(s, LINE, (x - 0.2 * r, y + 0.4 * r), (x + 0.2 * r, y + 0.4 * r), w)


def icon_pucker(s: pygame.Surface, c: Point, r: float) -> None:
    _head(s, c, r)
    _eyes(s, c, r)
    x, y = c
    pygame.draw.circle(s, (200, 96, 100), (x, y + 0.4 * r), 0.17 * r)
    pygame.draw.circle(s, LINE, (x, y + 0.4 * r), 0.07 * r)


def icon_jaw(s: pygame.Surface, c: Point, r: float) -> None:
    w = _head(s, c, r)
    _eyes(s, c, r)
    x, y = c
    pygame.draw.ellipse(s, (70, 28, 36), (x - 0.2 * r, y + 0.12 * r, 0.4 * r, 0.55 * r))
    pygame.draw.line(s, T.YELLOW, (x, y - 0.95 * r), (x, y + 0.95 * r), max(2, w // 2))
    pygame.draw.polygon(
        s, T.YELLOW, [(x, y + 1.0 * r), (x - 0.14 * r, y + 0.78 * r), (x + 0.14 * r, y + 0.78 * r)]
    )
