"""Scenes and the scene stack (Nystrom's state stack; Arcade's View).

A scene follows the three-call contract: ``handle(action)``, ``update(dt_s)``, ``draw(surface)``.
Scenes never change the stack themselves: ``handle`` and ``update`` *return* a transition
(:class:`Push`, :class:`Pop`, :class:`Replace`, :class:`Quit`) and only the stack applies it.
The same holds for the current patient: a scene returns :class:`ChoosePatient` and the stack
hands the patient to the app (scenes see the app only as read-only
:class:`~game.scenes.services.AppServices`).

In the autoplaying demo each menu scene says which action it would like pressed
(:meth:`Scene.autoplay`), so the demo navigates the menus by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from game.actions import POINTER_UNKNOWN, Act, Action
from game.scenes.services import AppServices
from game.storage.records import Patient


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


def _stay() -> None:
    return None


@dataclass(frozen=True)
class ChoosePatient:
    """Make `patient` the current patient, then apply the transition ``then()`` returns.

    ``then`` is called after the change, so a scene it builds (e.g. the session start)
    already sees the new patient."""

    patient: Patient
    then: Callable[[], Transition | None] = _stay


Transition = Push | Pop | Replace | Quit | ChoosePatient


@dataclass(frozen=True)
class Target:
    """One thing on a screen that a pointer can choose: a button, a key, the end of a row.

    ``rect`` is where it is drawn (screen pixels). The keyboard reaches it by moving the focus
    onto ``focus`` (default: ``key``) and pressing ``press`` ("select", "left" or "right");
    ``keys=False`` marks a pointer-only target whose job the keys do another way (e.g. page
    buttons: the arrows scroll by themselves). Scenes list their targets in
    :meth:`Scene.targets`, so a test can use a screen as a user sees it.
    """

    key: str
    rect: tuple[int, int, int, int]
    focus: str = ""
    press: str = "select"
    keys: bool = True

    @property
    def focus_key(self) -> str:
        return self.focus or self.key


class Scene:
    """Base scene: override what you need."""

    autoplay_after_s: float | None = 1.2
    """In the demo, press SELECT after this long on this scene (None: never)."""
    for_patient: bool = False
    """The patient reads this screen: its words follow the patient's text size
    (game.scenes.kit.patient_text)."""
    transient: bool = False
    """Never waits for the user: it hands over to the next scene by itself (the session start)."""
    hand_pointer: bool = True
    """The raised tracked hand points and dwell-selects here (game/pointer.py). Scenes that
    read the pose source themselves (play, calibration) turn it off."""
    hand_holds: frozenset[str] = frozenset()
    """On a screen that reads the pose itself (``hand_pointer`` False): the keys of the targets
    the raised hand can still choose by holding them (the play screen's Pause,
    game/scenes/hand_hold.py)."""
    therapist_screen: bool = False
    """Drawn in the clinic's language (the therapist's screens) rather than the patient's; it is
    never spoken."""

    def __init__(self, app: AppServices) -> None:
        self.app = app
        self._auto_t_s = 0.0

    def reader(self) -> Patient | None:
        """Whose language a patient screen is in: the current patient (the family screen names
        its own patient)."""
        return self.app.patient

    def enter(self) -> None:
        """Called when the scene becomes the top of the stack."""

    def exit(self) -> None:
        """Called when the scene leaves the stack."""

    def resume(self, result: Any) -> Transition | None:
        """Called when a scene pushed above this one pops, with its result."""
        return None

    def covered(self) -> None:
        """Called when another scene is pushed above this one: a dwell in progress here is
        forgotten (widgets get :data:`game.actions.POINTER_UNKNOWN`), so nothing is chosen
        by a pointer that was left here when the screen comes back."""
        self.handle(POINTER_UNKNOWN)

    def handle(self, action: Action) -> Transition | None:
        return None

    def update(self, dt_s: float) -> Transition | None:
        return None

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def targets(self) -> list[Target]:
        """What a pointer can choose on this screen now (see :class:`Target`)."""
        return []

    def focused(self) -> str | None:
        """The key of the target the keyboard focus is on, or None."""
        return None

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
    """Holds the scenes; the only thing that changes which scene is on top, and (through
    `choose_patient`, given by the app) who the current patient is."""

    def __init__(self, first: Scene, choose_patient: Callable[[Patient], None] | None = None) -> None:
        self.scenes: list[Scene] = [first]
        self._choose_patient = choose_patient
        first.enter()
        self.quit = False
        self.result: Any = None
        """What the last scene popped with when it closed the stack (e.g. "try the camera again")."""

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
                self.top.covered()
                self.scenes.append(tr.scene)
                tr.scene.enter()
            elif isinstance(tr, Replace):
                self.scenes.pop().exit()
                self.scenes.append(tr.scene)
                tr.scene.enter()
            elif isinstance(tr, Pop):
                self.scenes.pop().exit()
                if not self.scenes:
                    self.quit, self.result = True, tr.result
                else:
                    nxt = self.top.resume(tr.result)
            elif isinstance(tr, ChoosePatient):
                if self._choose_patient is None:
                    raise RuntimeError("this scene stack was given no way to change the patient")
                self._choose_patient(tr.patient)
                nxt = tr.then()
            tr = nxt

    def close(self) -> None:
        while self.scenes:
            self.scenes.pop().exit()
