"""Scenes and the scene stack (Nystrom's state stack; Arcade's View).

A scene follows the three-call contract: ``handle(action)``, ``update(dt_s)``, ``draw(surface)``.
Scenes never change the stack themselves: ``handle`` and ``update`` *return* a transition
(:class:`Push`, :class:`Pop`, :class:`Replace`, :class:`Quit`) and only the stack applies it.

In the autoplaying demo each menu scene says which action it would like pressed
(:meth:`Scene.autoplay`), so the demo navigates the menus by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from game.actions import Act, Action

if TYPE_CHECKING:
    from game.app import App


@dataclass(frozen=True)
class Push:
    scene: Scene


@dataclass(frozen=True)
class Pop:
    result: Any = None


@dataclass(frozen=True)
class Replace:
    scene: Scene


@dataclass(frozen=True)
class Quit:
    pass


Transition = Push | Pop | Replace | Quit


class Scene:
    """Base scene: override what you need."""

    autoplay_after_s: float | None = 1.2
    """In the demo, press SELECT after this long on this scene (None: never)."""
    hand_pointer: bool = True
    """The raised tracked hand points and dwell-selects here (game/pointer.py). Scenes that
    read the pose source themselves (play, calibration) turn it off."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._auto_t_s = 0.0

    def enter(self) -> None:
        """Called when the scene becomes the top of the stack."""

    def exit(self) -> None:
        """Called when the scene leaves the stack."""

    def resume(self, result: Any) -> Transition | None:
        """Called when a scene pushed above this one pops, with its result."""
        return None

    def handle(self, action: Action) -> Transition | None:
        return None

    def update(self, dt_s: float) -> Transition | None:
        return None

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def autoplay(self, dt_s: float) -> list[Action]:
        """Actions the demo autopilot presses this step."""
        if self.autoplay_after_s is None:
            return []
        self._auto_t_s += dt_s
        if self._auto_t_s >= self.autoplay_after_s:
            self._auto_t_s = 0.0
            return [Action(Act.SELECT)]
        return []


class SceneStack:
    """Holds the scenes; the only thing that changes which scene is on top."""

    def __init__(self, first: Scene) -> None:
        self.scenes: list[Scene] = [first]
        first.enter()
        self.quit = False

    @property
    def top(self) -> Scene:
        return self.scenes[-1]

    def apply(self, tr: Transition | None) -> None:
        """Apply a transition (and any transition the resumed scene answers with)."""
        while tr is not None:
            nxt: Transition | None = None
            if isinstance(tr, Quit):
                self.quit = True
            elif isinstance(tr, Push):
                self.scenes.append(tr.scene)
                tr.scene.enter()
            elif isinstance(tr, Replace):
                self.scenes.pop().exit()
                self.scenes.append(tr.scene)
                tr.scene.enter()
            elif isinstance(tr, Pop):
                self.scenes.pop().exit()
                if not self.scenes:
                    self.quit = True
                else:
                    nxt = self.top.resume(tr.result)
            tr = nxt

    def close(self) -> None:
        while self.scenes:
            self.scenes.pop().exit()
