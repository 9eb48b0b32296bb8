"""Simple charts drawn with pygame for the family and therapist screens (no matplotlib in game).

Reliable values are filled discs joined by a line; unreliable ones are hollow rings (shape, not
only colour, says "not sure"), NaN values leave a gap. A dashed line marks a plan or target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.i18n import N_, Text
from game.render import theme as T
from game.render.icons import draw_icon, register
from game.render.widgets import fit_text, panel, text

Rect = tuple[int, int, int, int]


def _clock(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pygame.draw.circle(s, T.WHITE, c, r * 0.85)
    pygame.draw.circle(s, T.BLUE, c, r * 0.85, max(2, int(r * 0.12)))
    w = max(2, int(r * 0.12))
    pygame.draw.line(s, T.BLACK, c, (c[0], c[1] - r * 0.55), w)
    pygame.draw.line(s, T.BLACK, c, (c[0] + r * 0.4, c[1]), w)


def _calendar(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.rect(s, T.WHITE, (x - r * 0.8, y - r * 0.6, r * 1.6, r * 1.4), border_radius=int(r * 0.15))
    pygame.draw.rect(
        s, T.VERMILLION, (x - r * 0.8, y - r * 0.75, r * 1.6, r * 0.45), border_radius=int(r * 0.15)
    )
    for i in range(3):
        for j in range(2):
            pygame.draw.rect(
                s, T.BLUE, (x - r * 0.6 + i * r * 0.45, y - r * 0.05 + j * r * 0.4, r * 0.3, r * 0.25)
            )


def _flame(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    pygame.draw.polygon(
        s,
        T.ORANGE,
        [
            (x, y - r * 0.95),
            (x + r * 0.6, y + r * 0.1),
            (x + r * 0.45, y + r * 0.7),
            (x - r * 0.45, y + r * 0.7),
            (x - r * 0.6, y + r * 0.1),
        ],
    )
    pygame.draw.circle(s, T.ORANGE, (x, y + r * 0.35), r * 0.55)
    pygame.draw.circle(s, T.YELLOW, (x, y + r * 0.45), r * 0.3)


def _wave(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    pts = [(c[0] - r * 0.9 + i * r * 0.09, c[1] + r * 0.35 * math.sin(i * 0.45)) for i in range(21)]
    pygame.draw.lines(s, T.SKY, False, pts, max(3, int(r * 0.16)))


def _scale(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.12))
    pygame.draw.line(s, T.TEXT, (x - r * 0.8, y - r * 0.3), (x + r * 0.8, y - r * 0.3), w)
    pygame.draw.line(s, T.TEXT, (x, y - r * 0.3), (x, y + r * 0.7), w)
    pygame.draw.polygon(
        s, T.GREEN, [(x - r * 0.5, y + r * 0.75), (x + r * 0.5, y + r * 0.75), (x, y + r * 0.45)]
    )
    for dx in (-0.65, 0.65):
        pygame.draw.circle(s, T.ORANGE, (x + dx * r, y), r * 0.22)


def _reach(s: pygame.Surface, c: tuple[float, float], r: float) -> None:
    x, y = c
    w = max(3, int(r * 0.14))
    pygame.draw.line(s, T.ORANGE, (x - r * 0.8, y + r * 0.3), (x + r * 0.45, y + r * 0.3), w)
    pygame.draw.polygon(
        s, T.ORANGE, [(x + r * 0.9, y + r * 0.3), (x + r * 0.4, y), (x + r * 0.4, y + r * 0.6)]
    )
    pygame.draw.circle(s, T.VERMILLION, (x + r * 0.55, y - r * 0.45), r * 0.28)


for _name, _fn in (("clock", _clock), ("calendar", _calendar), ("flame", _flame), ("wave", _wave),
                   ("scale", _scale), ("reach", _reach)):  # fmt: skip
    register(_name, _fn)


NOTHING_YET = N_("Nothing yet")


def _width(s: str, size: int) -> int:
    return int(T.font(size, False, s).size(s)[0])


def line_h(size: int, bold: bool = False) -> int:
    """Height in pixels of one line at a design size under the current text scale."""
    return int(T.font(size, bold).get_height())


def chart_frame(surface: pygame.Surface, rect: Rect, title: Text, icon: str, size: int = 34) -> pygame.Rect:
    """Panel with an icon and a title (shrunk to fit); returns the plotting area inside it."""
    panel(surface, rect, T.PANEL, 225, 18)
    x, y, w, h = rect
    title_h = max(line_h(size, True), 36)
    draw_icon(surface, icon, (x + 34, y + 8 + title_h / 2), 44)
    fit_text(surface, title, (x + 66, y + 8 + title_h / 2), size, w - 82, T.TEXT, "midleft", bold=True)
    top = 16 + title_h + 8
    return pygame.Rect(x + 24, y + top, w - 48, h - top - 18)


def dashed_hline(
    surface: pygame.Surface, x0: float, x1: float, y: float, color: tuple[int, int, int], dash_px: int = 14
) -> None:
    """A dashed horizontal line (plan or target)."""
    x = x0
    while x < x1:
        pygame.draw.line(surface, color, (x, y), (min(x + dash_px, x1), y), 3)
        x += 2 * dash_px


def _span(values: Sequence[float], ref: float | None) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)] + ([ref] if ref is not None else [])
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1e-3)
    return lo - pad, hi + pad


def left_margin(values: Sequence[float], labels: tuple[Text, Text] | None, value_fmt: str | None) -> int:
    """Pixels left of the plot kept for the (bottom, top) words or the value labels."""
    if labels:
        return max(_width(str(w), 26) for w in labels) + 10
    if value_fmt:
        finite = [v for v in values if math.isfinite(v)] or [0.0]
        return max(_width(value_fmt.format(v), 24) for v in (min(finite), max(finite))) + 14
    return 0


def value_span(values: Sequence[float], ref: float | None = None) -> tuple[float, float]:
    """(low, high) of the vertical axis :func:`line_chart` uses for `values` (15 % padding)."""
    return _span(values, ref)


def point_xy(area: pygame.Rect, left: float, n: int, i: int, v: float,
             span: tuple[float, float]) -> tuple[float, float]:  # fmt: skip
    """Where value `v` at index `i` of `n` is drawn by :func:`line_chart` (`left`: the plot's
    left edge, ``area.x + left_margin(...)``; `span`: :func:`value_span`)."""
    lo, hi = span
    fx = 0.5 if n == 1 else i / (n - 1)
    return left + 12 + fx * (area.right - left - 24), area.bottom - (v - lo) / (hi - lo) * area.height


def line_chart(
    surface: pygame.Surface,
    area: pygame.Rect,
    values: Sequence[float],
    ok: Sequence[bool] | None = None,
    *,
    color: tuple[int, int, int] = T.SKY,
    ref: float | None = None,
    labels: tuple[Text, Text] | None = None,
    empty: Text = NOTHING_YET,
    value_fmt: str | None = None,
    span_values: Sequence[float] | None = None,
) -> bool:
    """Values in order, left to right, in `area`; returns False (and says `empty`) if none.

    `labels` are (bottom, top) words written at the left edge, e.g. ("less", "more");
    `value_fmt` (e.g. ``"{:.2f}"``) writes the lowest and highest value beside their height;
    `span_values` (default `values`) set the vertical scale, so two series can share one.
    """
    ok = list(ok) if ok is not None else [True] * len(values)
    if not any(math.isfinite(v) for v in values):
        fit_text(surface, empty, area.center, 30, area.width, T.TEXT_DIM, "center")
        return False
    scale_by = list(values if span_values is None else span_values)
    if not any(math.isfinite(v) for v in scale_by):
        scale_by = list(values)
    left = area.x + left_margin(scale_by, labels, value_fmt)
    span = _span(scale_by, ref)

    def xy(i: int, v: float) -> tuple[float, float]:
        return point_xy(area, left, len(values), i, v, span)

    pygame.draw.line(surface, T.TEXT_DIM, (left, area.bottom), (area.right, area.bottom), 2)
    if labels:
        text(surface, labels[1], (area.x, area.y + 4), 26, T.TEXT_DIM)
        text(surface, labels[0], (area.x, area.bottom - 4), 26, T.TEXT_DIM, "bottomleft")
    if value_fmt:
        finite = [v for v in scale_by if math.isfinite(v)]
        for v in {min(finite), max(finite)}:
            y = xy(0, v)[1]
            text(surface, value_fmt.format(v), (left - 8, y), 24, T.TEXT_DIM, "midright")
            pygame.draw.line(surface, T.TEXT_DIM, (left - 4, y), (left + 4, y), 2)
    if ref is not None:
        dashed_hline(surface, left, area.right, xy(0, ref)[1], T.TEXT_DIM)
    pts = [(xy(i, v), good) for i, (v, good) in enumerate(zip(values, ok, strict=True)) if math.isfinite(v)]
    good_pts = [p for p, good in pts if good]
    if len(good_pts) >= 2:
        pygame.draw.lines(surface, color, False, good_pts, 4)
    for p, good in pts:
        if good:
            pygame.draw.circle(surface, color, p, 8)
        else:
            pygame.draw.circle(surface, T.TEXT_DIM, p, 8, 3)
    return True


def bar_chart(
    surface: pygame.Surface,
    area: pygame.Rect,
    values: Sequence[float],
    labels: Sequence[Text],
    *,
    target: float | None = None,
    color: tuple[int, int, int] = T.GREEN,
    label_size: int = 26,
) -> None:
    """Bars with a word under each and an optional dashed target line."""
    n = max(len(values), 1)
    top = max([*values, target or 0.0, 1e-9]) * 1.1
    slot = area.width / n
    base = area.bottom - max(30, line_h(label_size) + 6)
    height = base - area.y
    pygame.draw.line(surface, T.TEXT_DIM, (area.x, base), (area.right, base), 2)
    for i, (v, label) in enumerate(zip(values, labels, strict=True)):
        h = max(0.0, v) / top * height
        x = area.x + i * slot + slot * 0.18
        if h > 0:
            pygame.draw.rect(surface, color, (x, base - h, slot * 0.64, h), border_radius=6)
        fit_text(surface, label, (area.x + (i + 0.5) * slot, base + 4), label_size, slot - 4, T.TEXT_DIM,
                 "midtop")  # fmt: skip
    if target:
        dashed_hline(surface, area.x, area.right, base - target / top * height, T.YELLOW)
