"""Pain check-in (0–10 faces scale) and rest breaks.

Pain check-in: six drawn faces for 0, 2, 4, 6, 8 and 10 (the Wong–Baker FACES layout, with
the number and a short word under each, so neither colour nor reading is needed). Controls:
Left/Right (or Up/Down) move, Enter/Space choose, a click chooses, and resting the pointer on a
face for 1.5 s chooses it. It is asked before and after every session and at rest breaks.

Rest: a calm breathing circle and a countdown; Enter/Space (or dwell on "Go on") ends it early.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import pygame

from game.actions import Act, Action
from game.i18n import N_, Msg, Text, _
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Button, Menu, fit_size, fit_text, panel, text
from game.scenes.base import Pop, Quit, Scene, Target, Transition
from game.scenes.kit import MenuScene, draw_backdrop, menu_focus, menu_targets, patient_text

FACES = ((0, N_("No hurt")), (2, N_("A little")), (4, N_("A bit more")), (6, N_("Even more")),
         (8, N_("A lot")), (10, N_("Worst")))  # fmt: skip
"""Pain levels offered and their plain words (0–10 numeric rating scale)."""
REST_REASON = N_("Time for a rest")
"""What a rest break says when no other reason is given."""
FACE_COLOURS = (T.GREEN, T.SKY, T.YELLOW, T.ORANGE, T.VERMILLION, T.PURPLE)


def draw_face(
    surface: pygame.Surface, centre: tuple[float, float], r: float, level: int, colour: tuple[int, int, int]
) -> None:
    """A face whose mouth curves from a smile (0) to a deep frown (10)."""
    x, y = centre
    pygame.draw.circle(surface, colour, centre, r)
    pygame.draw.circle(surface, T.BLACK, centre, r, 3)
    for dx in (-0.35, 0.35):
        pygame.draw.circle(surface, T.BLACK, (x + dx * r, y - 0.25 * r), r * 0.09)
    curve = 1.0 - level / 5.0  # +1 smile … −1 frown
    pts = []
    for i in range(13):
        u = -0.45 + 0.9 * i / 12
        pts.append((x + u * r, y + 0.35 * r + curve * (0.2025 - u * u) * r * 0.9))
    pygame.draw.lines(surface, T.BLACK, False, pts, max(3, int(r * 0.08)))
    if level >= 8:  # tears: the shape, not only the colour, says "hurts a lot"
        pygame.draw.circle(surface, T.BLUE, (x + 0.45 * r, y + 0.05 * r), r * 0.1)


QUESTIONS: dict[str, tuple[Msg, Msg]] = {
    "arm": (N_("How does your arm feel?"), N_("How does your arm feel now?")),
    "hand": (N_("How does your hand feel?"), N_("How does your hand feel now?")),
    "leg": (N_("How do your legs feel?"), N_("How do your legs feel now?")),
    "face": (N_("How does your face feel?"), N_("How does your face feel now?")),
    "body": (N_("How do you feel?"), N_("How do you feel now?")),
}
"""The check-in's question by the session's region (game.leveltypes.registry.REGIONS): before
or during the session, and after it."""


def session_region(regions: Iterable[str]) -> str:
    """The region the check-in asks about for a session whose levels exercise ``regions``: the
    one region they share, else the whole body ("body" for none or several)."""
    found = set(regions)
    return found.pop() if len(found) == 1 else "body"


class PainCheckScene(MenuScene):
    """How much does it hurt? Pops with the chosen 0–10 value. ``region``: what the session
    exercises (:func:`session_region`), which the question names."""

    for_patient = True
    autoplay_after_s = 1.5

    def __init__(
        self,
        app: Any,
        when: str,
        on_answer: Callable[[int], Transition | None] | None = None,
        region: str = "body",
    ) -> None:
        super().__init__(app)
        self.when, self.region = when, region
        self.on_answer = on_answer
        w, gap = 180, 20
        x0 = (1280 - 6 * w - 5 * gap) // 2
        buttons = [
            Button(str(v), "", "", (x0 + i * (w + gap), 250, w, 300)) for i, (v, _) in enumerate(FACES)
        ]
        self.menu = Menu(buttons, horizontal=True)

    def enter(self) -> None:
        self.app.say(self.question())

    def question(self) -> Msg:
        """The check-in's question (after the session it asks about now)."""
        before, after = QUESTIONS.get(self.region, QUESTIONS["body"])
        return after if self.when == "after" else before

    def autoplay(self, dt_s: float) -> list[Action]:
        # The simulated patient has no pain: it answers 0 ("No hurt") every time.
        return super().autoplay(dt_s)

    def handle(self, action: Action) -> Transition | None:
        if action.act in (Act.UP, Act.DOWN):
            action = Action(Act.LEFT if action.act is Act.UP else Act.RIGHT)
        return super().handle(action)

    def back(self) -> Transition | None:
        return None  # the check-in is one tap; it cannot be skipped by accident

    def choose(self, key: str) -> Transition | None:
        value = int(key)
        if self.on_answer is not None:
            tr = self.on_answer(value)
            if tr is not None:
                return tr
        return Pop(value)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            self._draw(surface)

    def _draw(self, surface: pygame.Surface) -> None:
        draw_icon(surface, "heart", (240, 140), 80)
        fit_text(surface, self.question(), (290, 140), 62, 960, T.TEXT, "midleft", bold=True)
        for i, (b, (value, word)) in enumerate(zip(self.menu.buttons, FACES, strict=True)):
            r = pygame.Rect(b.rect)
            focused = i == self.menu.focus
            panel(surface, b.rect, T.PANEL, 235, 22)
            pygame.draw.rect(
                surface, T.FOCUS if focused else T.TEXT_DIM, r, 8 if focused else 2, border_radius=22
            )
            draw_face(surface, (r.centerx, r.y + 95), 68, value, FACE_COLOURS[i])
            text(surface, str(value), (r.centerx, r.y + 200), 64, T.TEXT, "center", bold=True)
            fit_text(surface, word, (r.centerx, r.y + 262), 32, r.w - 12, T.TEXT, "center")
        fit_text(surface, _("Arrows and Enter, a click, or hold your hand on a face"), (640, 620), 34, 1240,
                 T.TEXT_DIM, "center")  # fmt: skip


class RestScene(Scene):
    """A rest break with a breathing circle and a countdown; Pops when it ends."""

    for_patient = True
    autoplay_after_s = None

    def __init__(self, app: Any, seconds: float, reason: Text = REST_REASON) -> None:
        super().__init__(app)
        self.left_s = seconds
        self.total_s = max(seconds, 1e-6)
        self.reason = reason
        self.menu = Menu([Button("go", N_("Go on"), "play", (480, 580, 320, 100))])

    def enter(self) -> None:
        self.app.say(self.reason)

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if self.menu.handle(action) is not None or action.act is Act.BACK:
            return Pop("skipped")
        return None

    def targets(self) -> list[Target]:
        return menu_targets(self.menu)

    def focused(self) -> str | None:
        return menu_focus(self.menu)

    def update(self, dt_s: float) -> Transition | None:
        if self.menu.update(dt_s) is not None:
            return Pop("skipped")
        self.left_s -= dt_s
        return Pop("done") if self.left_s <= 0 else None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            self._draw(surface)

    def _draw(self, surface: pygame.Surface) -> None:
        fit_text(surface, self.reason, (640, 110), 66, 1220, T.TEXT, "center", bold=True)
        # 4 s in, 6 s out: slow breathing; the circle grows and shrinks with it.
        phase = (self.total_s - self.left_s) % 10.0
        grow = phase / 4.0 if phase < 4.0 else 1.0 - (phase - 4.0) / 6.0
        r = 90 + 60 * math.sin(grow * math.pi / 2)
        pygame.draw.circle(surface, T.SKY, (640, 310), r)
        pygame.draw.circle(surface, T.WHITE, (640, 310), r, 4)
        words = _("Breathe in") if phase < 4.0 else _("Breathe out")
        text(surface, words, (640, 310), fit_size(words, 44, 2 * r - 16, True), T.BLACK, "center", bold=True,
             shadow=False)  # fmt: skip
        draw_icon(surface, "clock", (600, 510), 50)
        left = _("{n} s").format(n=math.ceil(max(self.left_s, 0)))
        text(surface, left, (632, 510), 56, T.TEXT, "midleft", bold=True)
        self.menu.draw(surface)
