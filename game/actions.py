"""Abstract actions: what the player meant, independent of the device that said it.

A table maps raw keys to actions (SolarWolf's input table), so every screen works with one
hand: arrows and Enter/Space, the mouse, or dwell with the tracked hand (pointer actions).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Act(Enum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    SELECT = "select"
    BACK = "back"
    PAUSE = "pause"
    QUIT = "quit"
    POINT = "point"       # pointer moved (mouse or tracked hand); pos in screen pixels
    CLICK = "click"       # mouse press at pos


@dataclass(frozen=True)
class Action:
    """One action; ``pos`` is set for POINT and CLICK (screen pixels)."""

    act: Act
    pos: tuple[int, int] | None = None


KEYMAP: dict[str, Act] = {
    "up": Act.UP, "w": Act.UP,
    "down": Act.DOWN, "s": Act.DOWN,
    "left": Act.LEFT, "a": Act.LEFT,
    "right": Act.RIGHT, "d": Act.RIGHT,
    "return": Act.SELECT, "enter": Act.SELECT, "space": Act.SELECT, "keypad enter": Act.SELECT,
    "escape": Act.BACK, "backspace": Act.BACK,
    "p": Act.PAUSE, "pause": Act.PAUSE,
}
"""Key names (pygame.key.name) → actions. Every action is on one key of each hand's side."""


def action_for_key(key_name: str) -> Action | None:
    """The action bound to a key name, or None."""
    act = KEYMAP.get(key_name.lower())
    return Action(act) if act is not None else None
