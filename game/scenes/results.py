"""Results: stars for each level played, reps done, and a warm word. Never a failure screen.

Controls: Enter/Space or dwell on "Home" to return to the title; "Again" plays once more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from game.i18n import N_, Msg, Nn_
from game.render import theme as T
from game.render.icons import draw_icon, draw_star
from game.render.widgets import Menu, column, fit_text, panel
from game.scenes.base import Pop, Replace, Scene, Transition
from game.scenes.kit import MenuScene, draw_backdrop, patient_text
from game.session.run import SessionRun

CHEERS = (N_("Keep practising - every rep counts!"), N_("Good work today!"), N_("Great effort!"),
          N_("Brilliant session!"))  # fmt: skip
"""Headlines, always encouraging, chosen by the share of tries that succeeded in the whole
session (:func:`cheer_for`): never "Brilliant" beside "0 of 3 reached"."""
PAIN_STOP = N_("Let's stop here for today - rest well.")


def cheer_for(hits: int, tries: int) -> Msg:
    """The headline for `hits` successful tries out of `tries` in the session."""
    if tries <= 0 or hits <= 0:
        return CHEERS[0]
    share = hits / tries
    return CHEERS[3] if share >= 0.75 else CHEERS[2] if share >= 0.5 else CHEERS[1]


def tries_line(hits: int, tries: int, planned: int | None = None) -> Msg:
    """One level's tries in plain words; a level stopped before the plan's `planned` reps counts
    against the plan and says so ("2 of 6 reached, stopped early"), so "2 of 2 reached" never
    reads as a whole level done."""
    if tries <= 0:
        return N_("No tries this time")
    if planned and tries < planned:
        return N_("{hits} of {reps} reached, stopped early", hits=hits, reps=planned)
    return N_("{hits} of {reps} reached", hits=hits, reps=tries)


def hits_of(summary: dict[str, float]) -> tuple[int, int]:
    """(successful tries, tries) of one level's summary."""
    tries = int(summary.get("reps", 0))
    rate = summary.get("success_rate", 0.0)
    return (int(round(rate * tries)) if tries and rate == rate else 0), tries


class ResultsScene(MenuScene):
    autoplay_after_s = 3.0
    for_patient = True

    def __init__(self, app: Any, run: SessionRun, again: Callable[[], Scene]) -> None:
        """``again`` starts another session ("Again"): the play screen passes its own start."""
        super().__init__(app)
        self.run = run
        self.again = again
        items = [("home", N_("Home"), "back")]
        if run.status != "ended_pain":  # after a pain stop the game does not offer more play
            items.append(("again", N_("Again"), "play"))
        self.menu = Menu(column(items, x=880, y=470, w=340, h=100))

    def enter(self) -> None:
        self.app.say(self.headline())

    def headline(self) -> Msg:
        if self.run.status == "ended_pain":
            return PAIN_STOP
        counts = [hits_of(summary) for _, _, summary in self.run.results]
        cheer = cheer_for(sum(h for h, _ in counts), sum(t for _, t in counts))
        if self.run.status == "aborted" and cheer in CHEERS[2:]:
            return CHEERS[1]  # stopped before the plan's end: warm, but not "Brilliant"
        return cheer

    def choose(self, key: str) -> Transition | None:
        if key == "again":
            return Replace(self.again())
        return Pop()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            self._draw(surface)

    def _draw(self, surface: pygame.Surface) -> None:
        results = self.run.results[-4:]
        if self.run.status == "ended_pain":
            draw_icon(surface, "heart", (120, 100), 70)
            fit_text(surface, self.headline(), (170, 100), 56, 1080, T.TEXT, "midleft", bold=True)
        else:
            fit_text(surface, self.headline(), (640, 100), 64, 1240, T.TEXT, "center", bold=True)
        planned = self.run.planned[-4:]
        for i, (spec, stars, summary) in enumerate(results):
            y = 170 + i * 120
            panel(surface, (60, y, 780, 104))
            draw_icon(surface, spec.icon, (110, y + 52), 70)
            fit_text(surface, Msg(spec.title), (160, y + 34), 42, 400, T.TEXT, "midleft", bold=True)
            line = tries_line(*hits_of(summary), planned[i] if i < len(planned) else None)
            fit_text(surface, line, (160, y + 74), 34, 400, T.TEXT_DIM, "midleft")
            for k in range(3):
                draw_star(surface, (600 + k * 76, y + 52), 66, k < stars)
        draw_icon(surface, "target", (930, 200), 70)
        reps = self.run.total_reps
        fit_text(surface, Nn_("{n} rep", "{n} reps", reps), (980, 200), 56, 280, T.TEXT, "midleft", bold=True)
        self.menu.draw(surface)
