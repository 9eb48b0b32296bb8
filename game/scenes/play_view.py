"""What the play screen draws over the mirror: the header, the instruction, feedback words
placed beside the avatar (never over it), the Pause button and the pause question.

All text is drawn at the patient's text size (the caller sets it); long words shrink to fit
their panel instead of running off it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from game.i18n import N_, Text, _
from game.leveltypes.views import Hud
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Button, Menu, fit_text, panel, text

HEADER_H = 76
WORDS_W, WORDS_H = 420, 84
"""Size of the feedback panel ("Lovely!") beside the avatar."""
FEEDBACK_COLOURS = {"hit": T.YELLOW, "miss": T.SKY, "compensation": T.ORANGE}


def header_top(demo: bool) -> int:
    """Top of the header (below the demo banner in the demo)."""
    return 52 if demo else 8


INSTRUCTION_TOP_PX = 636
"""Top of the instruction panel at the bottom of the play screen."""


def stage_for(standing: bool, demo: bool) -> tuple[int, int, int, int]:
    """Where the camera picture (or avatar) is fitted on screen, (x, y, w, h) pixels: the whole
    screen, or for a standing level the band between the header and the instruction, so the
    standing body's head and raised hands are not under the title bar nor the feet under the
    instruction (the picture is letterboxed, smaller)."""
    if not standing:
        return (0, 0, 1280, 720)
    top = header_top(demo) + HEADER_H + 4
    return (0, top, 1280, INSTRUCTION_TOP_PX - 4 - top)


def pause_button(top: int) -> Menu:
    """The on-screen Pause button at the right end of the header (click or mouse dwell)."""
    menu = Menu([Button("pause", N_("Pause"), "pause", (1040, top + 6, 224, HEADER_H - 12))])
    menu.focus = -1  # the keys pause with P or Esc; no focus ring on the game screen
    return menu


def pause_dialog() -> Menu:
    """The pause question's two buttons: Go on (focused first: the safe choice) and Stop."""
    return Menu([Button("resume", N_("Go on"), "play", (350, 400, 280, 100)),
                 Button("stop", N_("Stop"), "stop", (650, 400, 280, 100))], horizontal=True)  # fmt: skip


def draw_header(surface: pygame.Surface, title: Text, icon: str, hud: Hud, top: int) -> None:
    """Level icon and title, reps done of total, seconds left (the Pause button is drawn by
    its menu on the right)."""
    panel(surface, (8, top, 1264, HEADER_H))
    draw_icon(surface, icon, (50, top + 38), 56)
    fit_text(surface, title, (90, top + 38), 46, 440, T.TEXT, "midleft", bold=True)
    draw_icon(surface, "target", (570, top + 38), 44)
    done, total = max(hud.reps_done, 0), hud.reps_total
    fit_text(
        surface,
        _("{done} of {total}").format(done=done, total=total),
        (600, top + 38),
        46,
        200,
        T.TEXT,
        "midleft",
        bold=True,
    )
    if hud.time_left_s is not None:
        draw_icon(surface, "clock", (830, top + 38), 44)
        left = _("{n} s left").format(n=math.ceil(hud.time_left_s))
        fit_text(surface, left, (860, top + 38), 40, 170, T.TEXT, "midleft")


def draw_instruction(surface: pygame.Surface, instruction: Text) -> None:
    panel(surface, (140, INSTRUCTION_TOP_PX, 1000, 70))
    draw_icon(surface, "hand", (190, 671), 48)
    fit_text(surface, instruction, (226, 671), 38, 900, T.TEXT, "midleft")


def words_spot(avatar: pygame.Rect | None, top: int, index: int = 0) -> pygame.Rect:
    """Where feedback words go: beside the avatar's head, on the side with more room, below
    the header; with no room beside it, above the instruction. Never over the avatar."""
    y = top + HEADER_H + 16 + index * (WORDS_H + 10)
    if avatar is None:
        return pygame.Rect(640 - WORDS_W // 2, y, WORDS_W, WORDS_H)
    left_room, right_room = avatar.left - 20, 1260 - avatar.right
    if max(left_room, right_room) >= 240:
        w = min(WORDS_W, max(left_room, right_room) - 10)
        x = avatar.left - 10 - w if left_room >= right_room else avatar.right + 10
        return pygame.Rect(x, y, w, WORDS_H)
    return pygame.Rect(640 - WORDS_W // 2, 540 - index * (WORDS_H + 10), WORDS_W, WORDS_H)


def draw_words(
    surface: pygame.Surface, words: Text, colour: tuple[int, int, int], where: pygame.Rect
) -> None:
    panel(surface, (where.x, where.y, where.w, where.h), T.PANEL, 200, 18)
    fit_text(surface, words, where.center, 56, where.w - 24, colour, "center", bold=True)


def draw_sit_tall(surface: pygame.Surface, where: pygame.Rect) -> None:
    """The trunk-compensation cue, in the same free spot as the feedback words."""
    panel(surface, (where.x, where.y, where.w, where.h), T.PANEL, 230, 18)
    draw_icon(surface, "person", (where.x + 40, where.centery), 52)
    fit_text(
        surface,
        _("Sit tall"),
        (where.x + 76, where.centery),
        46,
        where.w - 90,
        T.ORANGE,
        "midleft",
        bold=True,
    )


def draw_pause(surface: pygame.Surface, message: Text, detail: Text, dialog: Menu | None) -> None:
    """The pause screen: the picture dimmed, and an opaque box with the words and (when the
    player paused) the Go on / Stop buttons."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    box = (300, 180, 680, 350 if dialog is not None else 200)
    panel(surface, box, T.PANEL, 250, 24)
    draw_icon(surface, "pause", (370, 250), 70)
    fit_text(surface, message, (420, 250), 60, 540, T.YELLOW, "midleft", bold=True)
    if detail:
        fit_text(surface, detail, (640, 330), 34, 640, T.TEXT, "center")
    if dialog is not None:
        dialog.draw(surface)


def feedback_colour(kind: str) -> tuple[int, int, int]:
    return FEEDBACK_COLOURS.get(kind, T.TEXT)


def draw_hud_words(surface: pygame.Surface, hud: Hud, avatar: pygame.Rect | None, top: int) -> None:
    """The latest feedback words and the "Sit tall" cue, beside the avatar."""
    slot = 0
    for fb in hud.feedback[-2:]:
        draw_words(surface, fb.text, feedback_colour(fb.kind), words_spot(avatar, top, slot))
        slot += 1
    if hud.compensating:
        draw_sit_tall(surface, words_spot(avatar, top, slot))


def status_line(surface: pygame.Surface, message: str) -> None:
    """A one-line notice under the header (the camera lost, step into view)."""
    text(surface, message, (640, 150), 40, T.YELLOW, "center", bold=True)


BURST_S = 0.8
"""How long the sparks of a hit last."""


@dataclass
class Particle:
    x: float
    y: float
    vx: float
    vy: float
    ttl: float
    color: tuple[int, int, int]


class Burst:
    """The sparks where a target was reached (drawing only: nothing else depends on them)."""

    def __init__(self) -> None:
        self.particles: list[Particle] = []

    def start(self, at: np.ndarray, rng: np.random.Generator) -> None:
        for k in range(26):
            a = 2 * math.pi * k / 26
            speed = rng.uniform(120, 320)
            color = (T.YELLOW, T.ORANGE, T.SKY)[k % 3]
            self.particles.append(
                Particle(float(at[0]), float(at[1]), speed * math.cos(a), speed * math.sin(a), BURST_S, color)
            )

    def update(self, dt_s: float) -> None:
        for p in self.particles:
            p.x += p.vx * dt_s
            p.y += p.vy * dt_s
            p.vy += 300 * dt_s
            p.ttl -= dt_s
        self.particles = [p for p in self.particles if p.ttl > 0]

    def draw(self, surface: pygame.Surface) -> None:
        for p in self.particles:
            pygame.draw.circle(surface, p.color, (p.x, p.y), 7 * max(p.ttl / BURST_S, 0.2))
