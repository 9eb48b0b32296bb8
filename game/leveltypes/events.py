"""What a running level reports: finished reps and feedback words.

A finished rep is a :class:`RepOutcome`: when it was cued and ended, its target, the game's
verdict, and the level type's own event data (``detail``: a path, a zone, a hidden target
angle…). Its numbers are computed afterwards from the recorded frames by the level type's
metrics module (game/leveltypes/<type>/metrics.py), never by the exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.i18n import Text


@dataclass(frozen=True)
class RepOutcome:
    """One finished repetition, as the level saw it: its events, never its scores.

    Times are on the pose sources' clock (``Tracked.t_s``); the session stores them as seconds
    since the session started (game.session.clock).
    """

    level_id: str
    set_index: int
    rep_index: int
    t_cue_s: float
    t_end_s: float
    success: bool
    compensated: bool
    target_xy_norm: tuple[float, float] = (float("nan"), float("nan"))
    detail: Any = None
    """The level type's own event data (a frozen dataclass of its metrics module's choosing)."""
    chair_confirm_s: float | None = None
    """When the chair-or-rail question was confirmed (balance levels; pose clock), else None."""


@dataclass(frozen=True)
class Feedback:
    """A moment of feedback: ``kind`` picks the sound and colour, ``text`` is short (marked
    with ``N_``: translated when drawn or spoken)."""

    kind: str  # "hit", "miss", "compensation", "cue", "info"
    text: Text


Event = RepOutcome | Feedback
