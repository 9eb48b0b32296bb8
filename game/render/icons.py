"""Icons drawn from shapes (nothing downloaded): one beside every word on screen.

``draw_icon(surface, name, centre, size)`` draws the icon ``name`` fitting a square of
``size`` pixels. Unknown names draw a plain disc, so a missing icon never crashes a screen.
Level types add their own icons with :func:`register` when they are discovered.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from game.render import theme as T

Point = tuple[float, float]


def _apple(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.VERMILLION, (x - r * 0.28, y + r * 0.1), r * 0.62)
    pygame.draw.circle(s, T.VERMILLION, (x + r * 0.28, y + r * 0.1), r * 0.62)
    pygame.draw.line(s, (110, 70, 30), (x, y - r * 0.45), (x + r * 0.1, y - r * 0.9), max(2, int(r * 0.12)))
    pygame.draw.ellipse(s, T.GREEN, (x + r * 0.1, y - r * 0.95, r * 0.55, r * 0.3))
    pygame.draw.circle(s, (255, 200, 180), (x - r * 0.35, y - r * 0.1), r * 0.14)


def _bubble(s: pygame.Surface, c: Point, r: float) -> None:
    pygame.draw.circle(s, T.SKY, c, r * 0.9, max(3, int(r * 0.12)))
    pygame.draw.circle(s, T.WHITE, (c[0] - r * 0.35, c[1] - r * 0.35), r * 0.18)


def _star(
    s: pygame.Surface, c: Point, r: float, color: tuple[int, int, int] = T.YELLOW, filled: bool = True
) -> None:
    pts = []
    for i in range(10):
        rad = r * (0.95 if i % 2 == 0 else 0.42)
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c[0] + rad * math.cos(a), c[1] + rad * math.sin(a)))
    pygame.draw.polygon(s, color, pts, 0 if filled else max(2, int(r * 0.1)))


def _hand(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.ellipse(s, T.ORANGE, (x - r * 0.5, y - r * 0.2, r, r * 0.9))
    for i in range(4):
        fx = x - r * 0.4 + i * r * 0.27
        pygame.draw.rect(s, T.ORANGE, (fx, y - r * 0.85, r * 0.2, r * 0.75), border_radius=int(r * 0.1))
    pygame.draw.rect(
        s, T.ORANGE, (x + r * 0.35, y - r * 0.15, r * 0.45, r * 0.22), border_radius=int(r * 0.1)
    )


def _target(s: pygame.Surface, c: Point, r: float) -> None:
    for k, col in enumerate((T.VERMILLION, T.WHITE, T.VERMILLION)):
        pygame.draw.circle(s, col, c, r * (0.9 - 0.3 * k))


def _play(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.polygon(
        s, T.GREEN, [(x - r * 0.5, y - r * 0.7), (x - r * 0.5, y + r * 0.7), (x + r * 0.7, y)]
    )


def _back(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.polygon(s, T.SKY, [(x + r * 0.5, y - r * 0.7), (x + r * 0.5, y + r * 0.7), (x - r * 0.7, y)])


def _person(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.SKY, (x, y - r * 0.45), r * 0.32)
    pygame.draw.ellipse(s, T.SKY, (x - r * 0.6, y - r * 0.05, r * 1.2, r * 0.95))


def _robot(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.PURPLE, (x - r * 0.6, y - r * 0.5, r * 1.2, r), border_radius=int(r * 0.2))
    for dx in (-0.25, 0.25):
        pygame.draw.circle(s, T.WHITE, (x + dx * r, y - r * 0.05), r * 0.14)
    pygame.draw.line(s, T.PURPLE, (x, y - r * 0.5), (x, y - r * 0.85), max(2, int(r * 0.1)))


def _heart(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.VERMILLION, (x - r * 0.3, y - r * 0.2), r * 0.38)
    pygame.draw.circle(s, T.VERMILLION, (x + r * 0.3, y - r * 0.2), r * 0.38)
    pygame.draw.polygon(
        s, T.VERMILLION, [(x - r * 0.66, y - r * 0.05), (x + r * 0.66, y - r * 0.05), (x, y + r * 0.75)]
    )


def _quit(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.2))
    pygame.draw.line(s, T.VERMILLION, (x - r * 0.55, y - r * 0.55), (x + r * 0.55, y + r * 0.55), w)
    pygame.draw.line(s, T.VERMILLION, (x + r * 0.55, y - r * 0.55), (x - r * 0.55, y + r * 0.55), w)


def _tree(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.rect(s, (110, 70, 30), (x - r * 0.12, y, r * 0.24, r * 0.8))
    pygame.draw.circle(s, T.GREEN, (x, y - r * 0.25), r * 0.62)


def _sun(s: pygame.Surface, c: Point, r: float) -> None:
    for i in range(8):
        a = i * math.pi / 4
        pygame.draw.line(
            s,
            T.YELLOW,
            (c[0] + r * 0.55 * math.cos(a), c[1] + r * 0.55 * math.sin(a)),
            (c[0] + r * 0.9 * math.cos(a), c[1] + r * 0.9 * math.sin(a)),
            max(2, int(r * 0.1)),
        )
    pygame.draw.circle(s, T.YELLOW, c, r * 0.45)


def _chart(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    for i, hgt in enumerate((0.5, 0.9, 1.3)):
        pygame.draw.rect(s, T.GREEN, (x - r * 0.75 + i * r * 0.55, y + r * 0.7 - hgt * r, r * 0.4, hgt * r))


def _clock(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.circle(s, T.WHITE, c, r * 0.85)
    pygame.draw.circle(s, T.BLUE, c, r * 0.85, max(3, int(r * 0.14)))
    w = max(3, int(r * 0.13))
    pygame.draw.line(s, T.BLACK, c, (x, y - r * 0.55), w)
    pygame.draw.line(s, T.BLACK, c, (x + r * 0.4, y), w)


def _lock(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.arc(
        s, T.TEXT, (x - r * 0.4, y - r * 0.85, r * 0.8, r * 0.9), 0, math.pi, max(3, int(r * 0.14))
    )
    pygame.draw.rect(s, T.ORANGE, (x - r * 0.6, y - r * 0.35, r * 1.2, r * 1.0), border_radius=int(r * 0.15))


def _chair(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    wood, w = (176, 120, 60), max(3, int(r * 0.16))
    pygame.draw.line(s, wood, (x - r * 0.45, y - r * 0.9), (x - r * 0.45, y + r * 0.85), w)  # back
    pygame.draw.rect(s, wood, (x - r * 0.5, y - r * 0.05, r * 1.05, r * 0.2))  # seat
    pygame.draw.line(s, wood, (x + r * 0.45, y + r * 0.1), (x + r * 0.45, y + r * 0.85), w)
    pygame.draw.line(s, wood, (x - r * 0.45, y - r * 0.55), (x - r * 0.05, y - r * 0.55), w)


def _pause(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    for dx in (-0.35, 0.35):
        pygame.draw.rect(s, T.SKY, (x + dx * r - r * 0.17, y - r * 0.7, r * 0.34, r * 1.4), border_radius=3)


def _stop(s: pygame.Surface, c: Point, r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.VERMILLION, (x - r * 0.62, y - r * 0.62, r * 1.24, r * 1.24), border_radius=4)


ICONS: dict[str, Callable[[pygame.Surface, Point, float], None]] = {
    "apple": _apple,
    "bubble": _bubble,
    "star": _star,
    "hand": _hand,
    "target": _target,
    "play": _play,
    "back": _back,
    "person": _person,
    "robot": _robot,
    "heart": _heart,
    "quit": _quit,
    "tree": _tree,
    "sun": _sun,
    "chart": _chart,
    "lock": _lock,
    "clock": _clock,
    "chair": _chair,
    "pause": _pause,
    "stop": _stop,
}


def register(name: str, fn: Callable[[pygame.Surface, Point, float], None]) -> None:
    """Add an icon. Level types bring their own (``LevelType.icons``); discovering them
    (game.leveltypes.registry.level_types) registers them here, before any screen draws."""
    ICONS[name] = fn


def draw_icon(surface: pygame.Surface, name: str, centre: Point, size: float) -> None:
    """Draw icon ``name`` fitting a ``size``-pixel square centred on ``centre``."""
    fn = ICONS.get(name)
    r = size / 2
    if fn is None:
        pygame.draw.circle(surface, T.SKY, centre, r * 0.8)
    else:
        fn(surface, centre, r)


def draw_star(surface: pygame.Surface, centre: Point, size: float, filled: bool) -> None:
    """A result star: filled yellow when earned, outlined when not (shape, not only colour)."""
    _star(surface, centre, size / 2, T.YELLOW if filled else T.TEXT_DIM, filled)
