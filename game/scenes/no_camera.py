"""The first screen when no camera answered: say so, offer the demo or another try, and tell
the therapist how to choose another camera.

Controls: arrows and Enter, a click, or resting the pointer on a button for 1.5 s. "Watch a
demo" shows the simulated patient playing (its sessions go to the separate demo database,
never to a real patient); "Try again" looks for the camera again (plug it in first).
"""

from __future__ import annotations

import pygame

from game.actions import Act, Action
from game.i18n import N_, _
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, fit_text
from game.scenes.base import Pop, Quit, Replace, Transition
from game.scenes.kit import MenuScene, draw_backdrop, patient_text
from game.scenes.menus import TitleScene
from game.scenes.services import AppServices

RETRY_CAMERA = "retry-camera"
"""What this screen pops with when the user asks to look for the camera again (the launcher
opens the camera again and starts over)."""
HEADLESS_DEMO_AFTER_S = 1.0
"""A headless run (no one at the screen) goes on to the demo after this long."""


class NoCameraScene(MenuScene):
    """No camera: Watch a demo, or Try again; the therapist's way to pick another camera."""

    autoplay_after_s = None
    for_patient = True

    def __init__(self, app: AppServices, camera: int = 0) -> None:
        super().__init__(app)
        self.camera = camera
        self.menu = Menu(column([("demo", N_("Watch a demo"), "play"), ("retry", N_("Try again"), "person")],
                                x=340, y=250, w=600, h=100, gap=20))  # fmt: skip

    def back(self) -> Transition | None:
        return Quit()

    def choose(self, key: str) -> Transition | None:
        if key == "retry":
            return Pop(RETRY_CAMERA)
        return Replace(TitleScene(self.app))

    def autoplay(self, dt_s: float) -> list[Action]:
        """Only a headless run chooses by itself (the demo); a person at the screen chooses."""
        if not self.app.settings.headless:
            return []
        self._auto_t_s += dt_s
        return [self.menu_select("demo")] if self._auto_t_s >= HEADLESS_DEMO_AFTER_S else []

    def menu_select(self, key: str) -> Action:
        """Focus `key` and return the Enter that presses it."""
        self.menu.focus = next(i for i, b in enumerate(self.menu.buttons) if b.key == key)
        return Action(Act.SELECT)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        with patient_text(self.app):
            draw_icon(surface, "person", (300, 110), 90)
            fit_text(surface, _("No camera found"), (360, 110), 72, 860, T.TEXT, "midleft", bold=True)
            fit_text(surface, _("MirrorPlay needs a webcam to see you move."), (640, 195), 38, 1200,
                     T.TEXT_DIM, "center")  # fmt: skip
            self.menu.draw(surface)
        lines = (
            _("For the therapist: check that the camera is plugged in and not used by another program,"),
            _("then choose Try again. To use another camera, start MirrorPlay with its number,"),
            _("for example:  uv run main.py --camera {next}   (camera {tried} was tried).").format(
                next=self.camera + 1, tried=self.camera
            ),
        )
        for i, line in enumerate(lines):
            fit_text(surface, line, (640, 530 + i * 44), 30, 1240, T.YELLOW if i == 2 else T.TEXT, "center")
