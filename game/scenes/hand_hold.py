"""The raised hand holding a button on a screen that reads the pose itself (the play screen's
Pause), so a patient with only the tracked hand can leave it.

Such a screen cannot hand the pose to the app's pointer (game/pointer.py): the level moves the
hand all the time. It maps the raised hand exactly as the menus do (``hand_pointer``: the same
pointing box, so the button is where a menu's top-right button is for the hand), but a hold
there chooses only after :data:`HAND_HOLD_S`, twice a menu's dwell, and only when the hand came
to the button after the screen opened (a hand already there must leave first: game/render/dwell.py).
The button sits where no level asks the hand to go: tests/robot/test_hand_pause.py plays the
levels that raise the hand highest (every shipped level with ``-m soak``) with the simulated
patient and checks that none pauses by itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.pointer import hand_pointer
from game.render import theme as T
from game.render.cursor import draw_pointer
from game.render.dwell import HAND, Dwell
from game.render.viewport import Viewport
from game.render.widgets import progress_ring
from game.tracking.pose import PoseFrame

HAND_HOLD_S = 2 * T.DWELL_SELECT_S
"""How long the raised hand holds the button to choose it (3 s): twice a menu's dwell, and
longer than the default and adaptive range of a level's target hold (game/therapist/
settings_schema.py ``dwell_s``: 1 s, 0.5-2 s), so a hand that passes over it while reaching,
or holds a target, does not choose it."""
OFF = (-1000, -1000)


class HandHold:
    """The tracked hand as a slow pointer on some buttons of a screen that reads the pose.

    Call :meth:`step` once per fixed update with the screen's newest raw pose; it returns the
    key of the button held for :data:`HAND_HOLD_S` (once per visit), else None.
    """

    def __init__(self, frame_size: tuple[int, int], screen_px: tuple[int, int] = (1280, 720)) -> None:
        self.vp = Viewport(frame_size, (0, 0, *screen_px))
        self.dwell = Dwell(HAND_HOLD_S)
        self.pos: tuple[int, int] | None = None
        """Where the raised hand points (screen pixels), None when no hand is raised."""
        self._fresh = True

    def restart(self) -> None:
        """The screen (re)opens: a hand already on a button must leave it or move on first."""
        self.dwell.reset()
        self.pos, self._fresh = None, True

    def step(
        self, frame: PoseFrame | None, dt_s: float, hit: Callable[[tuple[int, int]], str | None]
    ) -> str | None:
        """Follow the hand in `frame` (None: no new pose, the hand stays where it was); `hit`
        maps a screen position to a button key (None: nothing there)."""
        if frame is not None:
            pos = hand_pointer(frame, self.vp)
            if pos != self.pos:
                self.pos = pos
                if pos is None:
                    self.dwell.point(None, None, pointer=HAND)
                elif self._fresh:
                    self.dwell.resting(hit(pos), pos, pointer=HAND)
                else:
                    self.dwell.point(hit(pos), pos, pointer=HAND)
                self._fresh = self._fresh and pos is None
        return self.dwell.tick(dt_s)

    def draw(self, surface: pygame.Surface) -> None:
        """While the hand is on a button: the hand pointer, ringed by the hold filling up (round
        the pointer, so it never covers the button's word more than the pointer does)."""
        if self.pos is None or self.dwell.hover is None:
            return
        draw_pointer(surface, self.pos)
        progress_ring(surface, self.pos, 46, self.dwell.fraction, width=10)
