"""Dwell-to-select: rest a pointer on a target for ``theme.DWELL_SELECT_S`` (about 1.5 s) to
choose it. One implementation for every widget that dwells (menus, key grids, rows, play).

The rules, so that nothing is chosen that the user did not point at on purpose:

- one visit of the pointer chooses at most once: after a dwell (or a click) the target
  waits until the pointer leaves it and comes back;
- a target the pointer was already resting on when its screen came on top (the app says so
  with a POINT whose key is :data:`game.actions.RESTING`) waits until the pointer moves
  more than :attr:`Dwell.WOBBLE_PX` or leaves and comes back;
- a tracked hand wobbling over a target's edge (out and back within ``WOBBLE_PX``) never
  left it (a resting pointer that wobbled out and back still arms once it has moved more than
  ``WOBBLE_PX`` from where it rested);
- two pointers (the mouse and the tracked hand, told apart by the POINT's ``key``): a
  pointer that stayed on its target while the other one moved the dwell elsewhere does not
  re-arm that target by coming back into view of the dwell.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from game.actions import RESTING, Act, Action
from game.render import theme as T

_UNSEEN = object()


class Dwell:
    """The dwell state of one widget: the target under the pointer and how long it rested."""

    WOBBLE_PX = 30.0
    """A pointer that comes back to the target it left without going further than this from
    where it left never left it; a resting pointer must move further than this to arm."""

    def __init__(self, select_s: float | None = None) -> None:
        self.select_s = select_s
        """How long a pointer rests to choose (None: ``theme.DWELL_SELECT_S``, the menus')."""
        self.hover: Any = None
        self.t_s = 0.0
        self.armed = False
        self._left: tuple[Any, float, bool, tuple[int, int] | None] = (None, 0.0, False, None)
        self._left_at: tuple[int, int] | None = None
        self._away_px = 0.0
        self._rest_at: tuple[int, int] | None = None
        """Where the pointer rested when its screen opened (None after a move or a click)."""
        self._by_pointer: dict[str, Any] = {}
        """The target each pointer ("mouse", "hand") was last over."""

    def point(self, hit: Any, pos: tuple[int, int] | None = None, pointer: str = "mouse") -> None:
        """A pointer moved to `pos` and is now over ``hit`` (None: over nothing); a new
        target restarts the clock."""
        before = self._by_pointer.get(pointer, _UNSEEN)
        self._by_pointer[pointer] = hit
        if pos is not None and self._left_at is not None:
            self._away_px = max(self._away_px, math.dist(pos, self._left_at))
        if hit == self.hover:
            self._arm_if_moved_on(pos)
            return
        was, t_s, armed, rest_at = self._left
        if hit is not None and hit == was and self._away_px <= self.WOBBLE_PX:
            self.hover, self.t_s, self.armed, self._rest_at = hit, t_s, armed, rest_at
            self._arm_if_moved_on(pos)
            return
        if self.hover is not None:
            self._left = (self.hover, self.t_s, self.armed, self._rest_at)
            self._left_at, self._away_px = pos, 0.0
            if pos is None:
                self._away_px = math.inf
        # a pointer that never left its target (the other pointer moved the dwell) is not arriving
        self.hover, self.t_s, self.armed = hit, 0.0, hit is not None and before != hit
        self._rest_at = None

    def _arm_if_moved_on(self, pos: tuple[int, int] | None) -> None:
        """A pointer resting where its screen opened arms its target once it moves further than
        ``WOBBLE_PX`` from there (a deliberate move, not a tremor)."""
        if self._rest_at is not None and pos is not None and math.dist(pos, self._rest_at) > self.WOBBLE_PX:
            self._rest_at, self.armed, self.t_s = None, self.hover is not None, 0.0

    def resting(self, hit: Any, at: tuple[int, int] | None = None, pointer: str = "mouse") -> None:
        """The pointer is resting over ``hit`` without having moved there: no dwell on it
        until it leaves and comes back (after a click), or (a screen that opened under a
        pointer resting `at`) until it moves on deliberately."""
        self.hover, self.t_s, self.armed = hit, 0.0, False
        self._left, self._rest_at = (None, 0.0, False, None), at
        self._by_pointer[pointer] = hit

    def reset(self) -> None:
        """Where the pointers are is unknown (the screen was covered by another)."""
        self.hover, self.t_s, self.armed = None, 0.0, False
        self._left, self._rest_at, self._by_pointer = (None, 0.0, False, None), None, {}

    def tick(self, dt_s: float) -> Any:
        """Advance; return the target when its dwell completes (once per visit), else None."""
        if self.hover is None or not self.armed:
            return None
        self.t_s += dt_s
        if self.t_s >= self.needed_s:
            self.t_s, self.armed = 0.0, False
            return self.hover
        return None

    @property
    def fraction(self) -> float:
        """Progress of the current dwell, 0–1 (for the progress ring)."""
        return self.t_s / self.needed_s if self.hover is not None and self.armed else 0.0

    @property
    def needed_s(self) -> float:
        """Seconds of rest that choose."""
        return self.select_s if self.select_s is not None else T.DWELL_SELECT_S

    def handle_pointer(self, action: Action, hit_test: Callable[[tuple[int, int]], Any]) -> Any:
        """The common pointer handling of a widget: a POINT moves the dwell, a CLICK returns
        the target clicked (or None), a pointer whose position is unknown resets. `hit_test`
        maps a screen position to a target (None: nothing there)."""
        if action.pos is None:
            if action.act is Act.POINT:
                self.reset()
            return None
        hit = hit_test(action.pos)
        if action.act is Act.CLICK:
            self.resting(hit)
            return hit
        if action.key == RESTING:
            self.resting(hit, action.pos, pointer=action.text or "mouse")
        else:
            self.point(hit, action.pos, pointer="hand" if action.key == HAND else "mouse")
        return None


HAND = "hand"
"""The ``key`` of a POINT made by the tracked hand (game/pointer.py); the mouse's have none."""
