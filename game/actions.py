"""Abstract actions: what the player meant, independent of the device that said it.

A table maps raw keys to actions (SolarWolf's input table), so every screen works with one
hand: arrows and Enter/Space, the mouse, or dwell with the tracked hand (pointer actions).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, TypeVar, runtime_checkable


class Act(Enum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    SELECT = "select"
    BACK = "back"
    PAUSE = "pause"
    QUIT = "quit"
    POINT = "point"  # pointer moved (mouse or tracked hand); pos in screen pixels
    CLICK = "click"  # mouse press at pos
    TEXT = "text"  # a printable character typed on a keyboard; in ``text``


@dataclass(frozen=True)
class Action:
    """One action. ``pos`` is set for POINT and CLICK (screen pixels); ``text`` for TEXT (one
    printable character, or ``"\b"`` for Backspace on a screen that takes text); ``key`` is the
    key name that produced a keyboard action (``"w"``, ``"up"``), empty otherwise."""

    act: Act
    pos: tuple[int, int] | None = None
    text: str = ""
    key: str = ""


KEYMAP: dict[str, Act] = {
    "up": Act.UP, "w": Act.UP,
    "down": Act.DOWN, "s": Act.DOWN,
    "left": Act.LEFT, "a": Act.LEFT,
    "right": Act.RIGHT, "d": Act.RIGHT,
    "return": Act.SELECT, "enter": Act.SELECT, "space": Act.SELECT, "keypad enter": Act.SELECT,
    "escape": Act.BACK, "backspace": Act.BACK,
    "p": Act.PAUSE, "pause": Act.PAUSE,
}  # fmt: skip
"""Key names (pygame.key.name) → actions. Every action is on one key of each hand's side."""
RESTING = "resting"
"""The ``key`` of a POINT that tells a screen where the pointer already rests (it did not
move there: nothing under it is chosen by dwelling until it leaves and comes back)."""
POINTER_UNKNOWN = Action(Act.POINT)
"""A POINT without a position: where the pointer is is unknown (the screen was covered by
another; widgets forget a dwell in progress)."""
BACKSPACE = "\b"
"""The ``text`` a screen that takes text receives for Backspace (delete, not go back)."""


def action_for_key(key_name: str) -> Action | None:
    """The action bound to a key name, or None."""
    name = key_name.lower()
    act = KEYMAP.get(name)
    return Action(act, key=name) if act is not None else None


def actions_for_keydown(key_name: str, typed: str) -> list[Action]:
    """Everything one key press may mean: its navigation action (if bound) and a TEXT action
    when it types one printable character (`typed` is SDL's ``unicode`` of the key).

    A letter such as ``w`` gives both UP and TEXT("w"); :func:`route` lets a screen that takes
    text use the TEXT and drop the navigation twin, and every other screen the reverse.
    """
    out = [a for a in (action_for_key(key_name),) if a is not None]
    if len(typed) == 1 and typed.isprintable():
        out.append(Action(Act.TEXT, text=typed, key=key_name.lower()))
    return out


def is_typed_twin(action: Action) -> bool:
    """Whether a navigation action came from a key that also types a character (WASD, P,
    Space). Arrows, Enter, Esc and Backspace never type, so they always navigate."""
    return action.act is not Act.TEXT and (len(action.key) == 1 or action.key == "space")


_Out = TypeVar("_Out", covariant=True)


class Handler(Protocol[_Out]):
    """Something that takes actions: a scene (returning its transition or None)."""

    def handle(self, action: Action) -> _Out: ...


@runtime_checkable
class TakesText(Protocol):
    """A screen that takes typed text (the PIN pad, the keyboard, the settings editor)."""

    def type_char(self, ch: str) -> Any: ...


def route(scene: Handler[_Out], action: Action) -> _Out | None:
    """Deliver one action to a scene; returns what the scene returned (a transition or None).

    A scene with ``type_char(ch)`` (:class:`TakesText`) takes text: TEXT goes there, Backspace becomes
    ``type_char("\\b")`` (delete, so a slip does not leave the screen and lose the text), and
    the navigation twins of typing keys are dropped (letters type, never move the focus).
    Every other scene gets the navigation actions and never sees TEXT.
    """
    if not isinstance(scene, TakesText):
        return None if action.act is Act.TEXT else scene.handle(action)
    if action.act is Act.TEXT:
        return scene.type_char(action.text)
    if action.key == "backspace":
        return scene.type_char(BACKSPACE)
    if is_typed_twin(action):
        return None
    return scene.handle(action)
