"""The application: services, the fixed-step loop and the scene stack.

Loop (Fiedler's "fix your timestep", Arcade's ``_dispatch_updates``): read input → run as many
fixed ``1/fps`` updates as the elapsed time allows (at most ``MAX_STEPS_PER_FRAME``, the guard
against the spiral of death) → draw → flip. In headless runs game time advances exactly one
step per frame and ``--seconds`` counts game time, so a run is deterministic.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.levels import LevelSpec, load_all
from game.render.sound import Sounds
from game.render.window import Window
from game.scenes.base import SceneStack
from game.settings import Settings
from game.tracking.pose import PoseSource, SourceStatus

MAX_STEPS_PER_FRAME = 5
"""Most fixed updates run for one rendered frame (lag spikes are dropped, not caught up)."""
log = logging.getLogger(__name__)


@dataclass
class App:
    """Services shared by every scene (passed in, never global)."""

    settings: Settings
    window: Window
    db: Any
    source: PoseSource
    frame_size: tuple[int, int]
    levels: dict[str, LevelSpec] = field(default_factory=load_all)
    sounds: Sounds | None = None
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    patient: Any = None
    t_s: float = 0.0
    """Game time in seconds since start (advances by fixed steps)."""
    notice: str | None = None
    """One friendly line shown on the title screen (e.g. why the demo started)."""
    frames: int = 0
    stack: SceneStack | None = None

    @property
    def dt_s(self) -> float:
        return 1.0 / self.settings.fps

    def now_s(self) -> float:
        """The time pose sources are polled with: game time for simulated and replayed
        sources (deterministic), the sources' own capture clock (``time.perf_counter``) for
        live ones (``uses_wall_clock``), so landmark age is ``now_s - pose.t_s``."""
        if getattr(self.source, "uses_wall_clock", False):
            return time.perf_counter()
        return self.t_s

    def play(self, name: str) -> None:
        if self.sounds is not None:
            self.sounds.play(name)

    def run(self, first_scene: Any) -> int:
        """Run until the stack is empty, the user quits, or ``--seconds`` of game time pass."""
        self.stack = stack = SceneStack(first_scene)
        dt = self.dt_s
        acc, last = 0.0, time.perf_counter()
        limit = self.settings.seconds
        try:
            while not stack.quit:
                now = time.perf_counter()
                frame_s = dt if self.settings.headless else min(now - last, 0.25)
                last = now
                for action in self.window.events():
                    stack.apply(stack.top.handle(action))  # type: ignore[arg-type]
                    if stack.quit:
                        break
                acc += frame_s
                steps = 0
                while acc >= dt - 1e-9 and steps < MAX_STEPS_PER_FRAME and not stack.quit:
                    if self.settings.autoplay:
                        for action in stack.top.autoplay(dt):
                            stack.apply(stack.top.handle(action))
                            if stack.quit:
                                break
                    if stack.quit:
                        break
                    stack.apply(stack.top.update(dt))
                    self.t_s += dt
                    acc -= dt
                    steps += 1
                acc = min(acc, dt)
                if stack.quit:
                    break
                stack.top.draw(self.window.surface)
                self.window.flip()
                self.frames += 1
                if limit is not None and self.t_s >= limit - 1e-9:
                    break
                if self.settings.headless and self.source.status() is SourceStatus.ENDED:
                    break  # a video or replay ran out: the headless run is over
                if not self.settings.headless:
                    _sleep_until(last + dt)
        finally:
            self._finish()
        return 0

    def _finish(self) -> None:
        if self.settings.screenshot is not None:
            self.window.screenshot(Path(self.settings.screenshot))
        if self.stack is not None:
            self.stack.close()
        self.source.close()


def _sleep_until(deadline: float) -> None:
    """Give the rest of the frame to other threads (the tracker) instead of spinning."""
    remaining = deadline - time.perf_counter()
    if remaining > 0:
        time.sleep(remaining)
