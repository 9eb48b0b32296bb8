"""Typed frozen views: what a running level shows, read by its drawer and the play screen's HUD.

Every level type's view is a :class:`LevelView` subclass: the HUD part (:class:`Hud`) that
the play screen draws for every level, plus the fields its own drawer reads. Points are
raw-image normalised (x, y); sizes are fractions of the frame width unless named otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n import Text
from game.leveltypes.events import Feedback

Point = tuple[float, float]


@dataclass(frozen=True)
class Hud:
    """What the play screen draws for every level type."""

    hand: Point | None
    """The displayed affected-side hand (the cursor), or None."""
    reps_done: int
    reps_total: int
    hits: int
    paused: bool
    """No one in view: the level clock stands still."""
    feedback: tuple[Feedback, ...]
    """Feedback words still on screen, oldest first."""
    time_left_s: float | None = None
    compensating: bool = False
    """Show the "Sit tall" cue."""


@dataclass(frozen=True)
class LevelView:
    """The base of every level type's view."""

    hud: Hud


@dataclass(frozen=True)
class TargetView:
    """A round target with a dwell progress ring."""

    xy: Point
    radius: float
    """× frame width."""
    progress: float = 0.0
    """0..1 of the hold."""
    moving: bool = False


@dataclass(frozen=True)
class ConfirmView:
    """The chair-or-rail question of balance levels, with its big "yes" button."""

    text: Text
    icon: str
    button_xy: Point
    radius: float
    progress: float
