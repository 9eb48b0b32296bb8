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

import numpy as np

from game.actions import RESTING, Act, Action, route
from game.levels import LevelSpec, load_all
from game.pointer import PointerFeed
from game.render.cursor import draw_pointer
from game.render.sound import Sounds
from game.render.viewport import Viewport
from game.render.window import Window
from game.scenes.base import Scene, SceneStack
from game.settings import Settings
from game.storage.protocol import Store
from game.storage.records import Patient
from game.tracking.pose import PoseSource, SourceStatus

MAX_STEPS_PER_FRAME = 5
"""Most fixed updates run for one rendered frame (lag spikes are dropped, not caught up)."""
log = logging.getLogger(__name__)


@dataclass
class App:
    """Services shared by every scene (passed in, never global); scenes see them as
    :class:`game.scenes.services.AppServices`."""

    settings: Settings
    window: Window
    db: Store
    source: PoseSource
    frame_size: tuple[int, int]
    levels: dict[str, LevelSpec] = field(default_factory=load_all)
    sounds: Sounds | None = None
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    patient: Patient | None = None
    """Who is playing: set at launch, then changed only by the scene stack
    (:class:`game.scenes.base.ChoosePatient`)."""
    t_s: float = 0.0
    """Game time in seconds since start (advances by fixed steps)."""
    notice: str | None = None
    """One friendly line shown on the title screen (e.g. why the demo started)."""
    frames: int = 0
    _repeats: int = 0
    """Frames shown since the last new pose (for _show_new_pose_early)."""
    stack: SceneStack | None = None
    _acc_s: float = 0.0
    _last_s: float = 0.0
    _frame_at_s: float = 0.0
    _pointer_at: tuple[int, int] | None = None
    """Where the mouse or the hand pointer last was (screen pixels), None before any."""
    _told: object = None
    """The screen that was last told where the pointer is."""
    pointer: PointerFeed = field(init=False)
    """The raised tracked hand as a pointer on menu screens (dwell select, hands-free)."""

    def __post_init__(self) -> None:
        self.pointer = PointerFeed(Viewport(self.frame_size, (0, 0, *self.window.surface.get_size())))

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

    def choose_patient(self, patient: Patient) -> None:
        """The scene stack's hook for :class:`game.scenes.base.ChoosePatient`."""
        self.patient = patient

    def run(self, first_scene: Scene) -> int:
        """Run until the stack is empty, the user quits, or ``--seconds`` of game time pass."""
        self.start(first_scene)
        try:
            while self.frame():
                pass
        finally:
            self._finish()
        return 0

    def start(self, first_scene: Scene) -> SceneStack:
        """Make the scene stack with `first_scene` and start the frame clock (:meth:`frame`
        then runs one frame at a time; :meth:`run` does both and cleans up)."""
        self.stack = SceneStack(first_scene, choose_patient=self.choose_patient)
        self._told = first_scene
        self._acc_s, self._last_s = 0.0, time.perf_counter()
        self._frame_at_s = self._last_s  # when the current frame was due (the 60 Hz schedule's anchor)
        return self.stack

    def frame(self) -> bool:
        """One frame of the loop: input, fixed updates, draw, flip (and, in a window, wait for
        the next frame). Returns False when the run is over."""
        stack = self.stack
        assert stack is not None, "start() first"
        if stack.quit:
            return False
        dt = self.dt_s
        now = time.perf_counter()
        frame_s = dt if self.settings.headless else min(now - self._last_s, 0.25)
        self._last_s = now
        for action in self.window.events():
            self._deliver(action)
            if stack.quit:
                return False
        pointed = self.pointer.step(self.source, self.now_s(), stack.top)
        if pointed is not None:
            self._deliver(pointed)
        self._acc_s += frame_s
        steps = 0
        while self._acc_s >= dt - 1e-9 and steps < MAX_STEPS_PER_FRAME and not stack.quit:
            if self.settings.autoplay:
                for action in stack.top.autoplay(dt):
                    stack.apply(stack.top.handle(action))
                    if stack.quit:
                        break
            if stack.quit:
                break
            stack.apply(stack.top.update(dt))
            self._tell_pointer()
            self.t_s += dt
            self._acc_s -= dt
            steps += 1
        self._acc_s = min(self._acc_s, dt)
        if stack.quit:
            return False
        stack.top.draw(self.window.surface)
        if self.pointer.pos is not None and stack.top.hand_pointer:
            draw_pointer(self.window.surface, self.pointer.pos)
        self.window.flip()
        self.frames += 1
        limit = self.settings.seconds
        if limit is not None and self.t_s >= limit - 1e-9:
            return False
        if self.settings.headless and self.source.status() is SourceStatus.ENDED:
            return False  # a video or replay ran out: the headless run is over
        if not self.settings.headless:
            flipped_s = time.perf_counter()
            self._frame_at_s = next_frame_s(self._frame_at_s, dt, flipped_s)
            if self._show_new_pose_early(flipped_s, self._frame_at_s, dt):
                self._frame_at_s = time.perf_counter()  # re-anchor the 60 Hz grid on the pose
        return True

    def _deliver(self, action: Action) -> None:
        """Route one input action to the screen on top, remembering where the pointer is."""
        assert self.stack is not None
        if action.act in (Act.POINT, Act.CLICK) and action.pos is not None:
            self._pointer_at = action.pos
        self.stack.apply(route(self.stack.top, action))
        self._tell_pointer()

    def _tell_pointer(self) -> None:
        """A screen that has just come on top learns where the pointer already rests, so a
        button under a resting pointer or hand is not chosen by it (game.render.dwell.Dwell)."""
        stack = self.stack
        assert stack is not None
        if stack.quit or not stack.scenes or stack.top is self._told:
            return
        self._told = stack.top
        if self._pointer_at is not None:
            stack.apply(route(stack.top, Action(Act.POINT, self._pointer_at, key=RESTING)))

    def _show_new_pose_early(self, flipped_s: float, due_s: float, dt: float) -> bool:
        """Wait for the next frame, but wake as soon as a new pose arrives (no sooner than
        half a frame after the last flip), so landmarks are shown right after inference
        instead of waiting for the schedule. A pose already shown twice may wait up to half a
        frame more for its successor rather than be shown a third time (30 Hz poses, 60 Hz
        frames). Returns True when the grid should re-anchor on now. Sources without
        ``wait_new`` (simulation, replay) just sleep."""
        wait = getattr(self.source, "wait_new", None)
        if wait is None:
            _sleep_until(due_s)
            return False
        _sleep_until(min(flipped_s + 0.5 * dt, due_s))
        grace_s = 0.5 * dt if self._repeats >= 1 else 0.0
        woke = bool(wait(due_s + grace_s - time.perf_counter()))
        self._repeats = 0 if woke else self._repeats + 1
        return woke or grace_s > 0

    def _finish(self) -> None:
        if self.settings.screenshot is not None:
            self.window.screenshot(Path(self.settings.screenshot))
        if self.stack is not None:
            self.stack.close()
        self.source.close()


def next_frame_s(frame_at_s: float, dt_s: float, now_s: float) -> float:
    """When the next frame is due: one period after the last one was due (an absolute
    schedule, so sleep overshoot does not pile up into a lower frame rate), or now when the
    loop fell more than a frame behind (a hitch is dropped, not caught up)."""
    due_s = frame_at_s + dt_s
    return due_s if due_s > now_s - dt_s else now_s


def _sleep_until(deadline: float) -> None:
    """Give the rest of the frame to other threads (the tracker) instead of spinning."""
    remaining = deadline - time.perf_counter()
    if remaining > 0:
        time.sleep(remaining)
