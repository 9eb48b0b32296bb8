"""Safety of standing levels: watching for a fall while the patient stands.

:class:`FallWatch` keeps the last few seconds of raw poses and applies the fall rule of
game/scoring/falls.py (hips dropping fast toward the floor, then the body lying or the hips on
the floor; docs/sources.md §6.11) to every new one. Balance levels (game/leveltypes/common.py)
run it on every frame; when it fires they stop, sound an alert, ask "Are you all right?" and
store the event as a record of the level whose ``detail`` is a :class:`FallRep` (the session
stores it with ``fall_detected`` = 1 and shows it to the therapist).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from game.i18n import M_
from game.scoring.falls import DOWN_HOLD_S, DROP_WINDOW_S, fall_frames, fall_signals
from game.tracking.pose import VISIBLE, PoseFrame

WATCH_S = DROP_WINDOW_S + DOWN_HOLD_S + 1.5
"""Seconds of poses kept: the drop window, the hold, and a standing stretch before them."""
ALL_RIGHT_TEXT = M_("Are you all right?")
ALARM_REPEAT_S = 5.0
"""The alert sounds again this often until someone answers."""


@dataclass(frozen=True)
class FallRep:
    """A fall's own event data: how far the hips dropped and how far the trunk tilted."""

    drop_shanks: float
    """Largest fall of the hip height in the window, in shank lengths."""
    tilt_deg: float
    """Trunk tilt from vertical when the fall was recognised."""


class FallWatch:
    """Applies the fall rule to the newest poses (see the module doc)."""

    def __init__(self, frame_size: tuple[int, int]) -> None:
        self._size = np.asarray(frame_size, dtype=np.float64)
        self._t: deque[float] = deque()
        self._img: deque[np.ndarray] = deque()
        self._world: deque[np.ndarray] = deque()
        self.onset_t_s = math.nan
        """When the hips were last at their highest before the fall (pose clock)."""
        self.detail: FallRep | None = None

    def update(self, frame: PoseFrame) -> bool:
        """Add one pose (repeats are ignored); True when it ends a fall."""
        if self._t and frame.t_s <= self._t[-1]:
            return False
        seen = frame.image[:, 3] >= VISIBLE
        px = frame.image[:, :2].astype(np.float64) * self._size
        px[~seen] = np.nan
        world = frame.world[:, :3].astype(np.float64)
        world[~(frame.world[:, 3] >= VISIBLE)] = np.nan
        self._t.append(frame.t_s)
        self._img.append(px)
        self._world.append(world)
        while self._t[0] < frame.t_s - WATCH_S:
            self._t.popleft()
            self._img.popleft()
            self._world.popleft()
        if len(self._t) < 5:
            return False
        t = np.array(self._t)
        h, tilt = fall_signals(np.array(self._img), np.array(self._world))
        if not fall_frames(t, h, tilt)[-1]:
            return False
        top = int(np.nanargmax(np.where(np.isfinite(h), h, -np.inf)))
        self.onset_t_s = float(t[top])
        self.detail = FallRep(float(np.nanmax(h) - h[-1]), float(tilt[-1]))
        return True
