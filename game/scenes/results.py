"""Results: stars for each level played, reps done, and a warm word. Never a failure screen.

Controls: Enter/Space or dwell on "Home" to return to the title; "Again" plays once more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from game.render import theme as T
from game.render.icons import draw_icon, draw_star
from game.render.widgets import Menu, column, panel, text
from game.scenes.base import Pop, Replace, Scene, Transition
from game.scenes.kit import MenuScene, draw_backdrop
from game.session.run import SessionRun

CHEERS = ("Keep practising - every rep counts!", "Good work today!", "Great effort!", "Brilliant session!")
"""Headline by stars earned (0–3): always encouraging."""


class ResultsScene(MenuScene):
    autoplay_after_s = 3.0

    def __init__(self, app: Any, run: SessionRun, again: Callable[[], Scene]) -> None:
        """``again`` starts another session ("Again"): the play screen passes its own start."""
        super().__init__(app)
        self.run = run
        self.again = again
        self.menu = Menu(
            column([("home", "Home", "back"), ("again", "Again", "play")], x=880, y=470, w=340, h=100),
            horizontal=False,
        )

    def choose(self, key: str) -> Transition | None:
        if key == "again":
            return Replace(self.again())
        return Pop()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        results = self.run.results[-4:]
        best = max((s for _, s, _ in results), default=0)
        if self.run.status == "ended_pain":
            draw_icon(surface, "heart", (250, 100), 70)
            text(
                surface,
                "Let's stop here for today - rest well.",
                (300, 100),
                56,
                T.TEXT,
                "midleft",
                bold=True,
            )
        else:
            text(surface, CHEERS[best], (640, 100), 64, T.TEXT, "center", bold=True)
        for i, (spec, stars, summary) in enumerate(results):
            y = 170 + i * 120
            panel(surface, (60, y, 780, 104))
            draw_icon(surface, spec.icon, (110, y + 52), 70)
            text(surface, spec.title, (160, y + 34), 42, T.TEXT, "midleft", bold=True)
            reps = int(summary.get("reps", 0))
            hits = int(round(summary.get("success_rate", 0.0) * reps)) if reps else 0
            text(surface, f"{hits} of {reps} reached", (160, y + 74), 34, T.TEXT_DIM, "midleft")
            for k in range(3):
                draw_star(surface, (600 + k * 76, y + 52), 66, k < stars)
        draw_icon(surface, "target", (930, 200), 70)
        text(surface, f"{self.run.total_reps} reps", (980, 200), 56, T.TEXT, "midleft", bold=True)
        self.menu.draw(surface)
