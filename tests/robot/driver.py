"""The user robot's hands: the real App, headless, driven by synthetic input.

A :class:`Robot` runs the real :class:`game.app.App` one frame at a time (fixed dt, SDL dummy
drivers) and acts as a user would:

- keys: real pygame KEYDOWN events (arrows, Enter, Esc, typed characters) posted to the
  queue the window reads;
- the mouse: MOUSEMOTION and MOUSEBUTTONDOWN events, and a pointer left resting on a button;
- the tracked hand: the simulated patient raises its good hand so that the app's own
  pointer (game/pointer.py, fed by the pose source) lands on a button, and holds it there;
  on a screen that reads the pose itself (play) only the buttons it lets the hand hold
  (``Scene.hand_holds``), for as long as it asks (game/scenes/hand_hold.py). While the robot
  raises the hand, the patient stops doing what such a screen asks, as a person would.

Where things are on screen comes from the screens themselves (``Scene.targets()``), the way
a user sees the buttons.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pygame

from game.app import App
from game.levels import LevelSpec, load_all
from game.pointer import PointerFeed, hand_pointer, pointing_box
from game.render import theme as T
from game.render.window import Window
from game.scenes.base import Scene, Target
from game.scenes.hand_hold import HAND_HOLD_S
from game.scenes.menus import TitleScene
from game.scoring.kinematics import hand_point
from game.settings import Settings
from game.storage import open_database
from game.tracking.motor import Motor
from game.tracking.pose import Goal, Picture, PoseFrame, Side, SourceStatus, forward_parts
from game.tracking.simulated import FRAME_SIZE, MILD, PatientModel, SimulatedPatient

MODALITIES = ("keys", "click", "rest", "hand")
"""How the robot presses a target: arrows + Enter; a mouse click; the mouse left resting on
it; the tracked hand held over it."""
KEYS = {
    "up": pygame.K_UP, "down": pygame.K_DOWN, "left": pygame.K_LEFT, "right": pygame.K_RIGHT,
    "return": pygame.K_RETURN, "escape": pygame.K_ESCAPE, "backspace": pygame.K_BACKSPACE,
    "space": pygame.K_SPACE, "p": pygame.K_p, "tab": pygame.K_TAB,
}  # fmt: skip
PRESS_KEY = {"select": "return", "left": "left", "right": "right"}
DWELL_WAIT_S = T.DWELL_SELECT_S + 0.25
"""How long the robot rests a pointer to choose something."""
HOLD_WAIT_S = HAND_HOLD_S + 0.25
"""How long the robot holds the hand on a button of a screen that reads the pose itself."""
_LEVELS: dict[str, LevelSpec] = {}


def levels() -> dict[str, LevelSpec]:
    """The shipped levels, loaded once for every robot."""
    if not _LEVELS:
        _LEVELS.update(load_all())
    return _LEVELS


class RobotSource:
    """The simulated patient, plus a switch for walking out of the camera's view, and the
    robot's own hand (:meth:`hold`) that outranks what the screens ask of the patient."""

    def __init__(self, sim: SimulatedPatient) -> None:
        self.sim = sim
        self.name = sim.name
        self.frame_size = sim.frame_size
        self.absent = False
        self.last: PoseFrame | None = None
        """The newest pose the simulated patient made (seen or not)."""
        self.asked: Motor | Goal | None = None
        """What the screen on top last asked the patient to do."""
        self.held: Goal | None = None
        """The robot's raised hand (None: the patient does what the screens ask)."""

    def poll(self, now_s: float) -> PoseFrame | None:
        frame = self.sim.poll(now_s)
        if frame is None:
            return None
        self.last = frame
        return PoseFrame.missing(frame.t_s) if self.absent else frame

    def picture(self) -> Picture | None:
        return None

    def status(self) -> SourceStatus:
        return SourceStatus.OK

    def close(self) -> None:
        self.sim.close()

    def set_goal(self, goal: Motor | Goal | None) -> None:
        self.asked = goal
        if self.held is None:
            self.sim.set_goal(goal)

    def hold(self, goal: Goal | None) -> None:
        """Raise the hand as `goal` says whatever the screens ask; None: let it follow them."""
        self.held = goal
        self.sim.set_goal(goal if goal is not None else self.asked)

    def request_parts(self, parts: frozenset[str]) -> None:
        forward_parts(self.sim, parts)  # as the camera's tracker: the hands only when asked


@dataclass
class Robot:
    """One run of the real App with a user at the controls."""

    db_template: Path
    workdir: Path
    first: Callable[[App], Scene] = TitleScene
    settings: dict[str, object] = field(default_factory=dict)
    model: PatientModel = MILD
    seed: int = 0
    hand_points: bool = True
    """False: the tracked hand never points (a walk with the keys or the mouse alone; the
    simulated patient still plays the levels)."""
    app: App = field(init=False)
    ended: bool = False
    seen: list[str] = field(default_factory=list)
    """Every scene class name that was ever on the stack, in order of first sight."""
    on_frame: list[Callable[[Robot], None]] = field(default_factory=list)
    """Checks run after every frame (the monkey's invariants)."""
    on_move: list[Callable[[], None]] = field(default_factory=list)
    """Called whenever the robot moves a pointer somewhere else (a new pointer visit)."""
    _pointer: str = "mouse"
    _mouse: tuple[int, int] = (-1, -1)
    _hand_goal: np.ndarray | None = None
    _hand_up: bool = False
    _last_top: Scene | None = None

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        db_path = self.workdir / "robot.db"
        for stale in self.workdir.glob("robot.db*"):
            stale.unlink()
        shutil.copyfile(self.db_template, db_path)
        settings = Settings(**{"headless": True, "mute": True, "db": db_path, "seed": self.seed,
                               **self.settings})  # type: ignore[arg-type]  # fmt: skip
        self.source = RobotSource(SimulatedPatient(self.model, seed=self.seed))
        self.db = open_database(db_path)
        self.window = Window(headless=True)
        pygame.event.clear()
        self.app = App(settings=settings, window=self.window, db=self.db, source=self.source,
                       frame_size=self.source.frame_size, levels=levels())  # fmt: skip
        if not self.hand_points:
            self.app.pointer = _NoHand(self.app.pointer.vp)
        if settings.patient is not None:  # as the launcher does for --patient
            self.app.patient = self.db.get_patient(settings.patient)
        self.app.start(self.first(self.app))
        self._observe()

    # -- the loop ------------------------------------------------------------------------

    @property
    def top(self) -> Scene:
        """The screen on top (after the last screen closed: a blank screen with no targets)."""
        assert self.app.stack is not None
        return self.app.stack.top if self.app.stack.scenes else _GONE

    @property
    def stack(self) -> list[Scene]:
        assert self.app.stack is not None
        return list(self.app.stack.scenes)

    def frames(self, n: int = 1) -> None:
        """Run `n` frames of the real loop (each one fixed step of game time)."""
        for _ in range(n):
            if self.ended:
                return
            if not self.app.frame():
                self.ended = True
            self._observe()
            for check in self.on_frame:
                check(self)

    def wait_s(self, seconds: float) -> None:
        self.frames(max(1, int(round(seconds * self.app.settings.fps))))

    def wait_until(self, done: Callable[[], bool], max_s: float) -> bool:
        """Run frames until `done()` (True) or `max_s` of game time pass (False)."""
        for _ in range(int(max_s * self.app.settings.fps)):
            if self.ended or done():
                return True
            self.frames(1)
        return self.ended or done()

    def _observe(self) -> None:
        if self.app.stack is None:
            return
        for scene in self.app.stack.scenes:
            name = type(scene).__name__
            if name not in self.seen:
                self.seen.append(name)
        top = self.top
        if top is not self._last_top and self._hand_up and not top.hand_pointer:
            self._hand_up = False  # a screen that reads the pose: do what it asks
            self.source.hold(None)
        self._last_top = top
        if not self._hand_up and top.hand_pointer and not self.ended:
            self.source.set_goal(Goal("rest"))  # nobody points unless the robot raises the hand

    def close(self) -> None:
        try:
            self.app._finish()
        finally:
            self.window.close()
            self.db.close()

    # -- keys ----------------------------------------------------------------------------

    def key(self, name: str, typed: str = "", frames: int = 1) -> None:
        """Press one key (pygame key name) and run a few frames."""
        code = KEYS.get(name) or pygame.key.key_code(name)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, unicode=typed, mod=0, scancode=0))
        self.frames(frames)

    def type_text(self, s: str) -> None:
        for ch in s:
            self.key(ch.lower() if ch.isalpha() else ch, ch)

    def focus_on(self, focus: str) -> bool:
        """Move the keyboard focus onto `focus` with the arrows: Down until the focus comes
        round again, then Right, Up, Left the same way."""
        scene = self.top
        for arrow in ("down", "right", "up", "left"):
            seen: set[str | None] = set()
            while self.top is scene and not self.ended:
                now = scene.focused()
                if now == focus:
                    return True
                if now in seen:
                    break
                seen.add(now)
                self.key(arrow, frames=1)
        return self.top is scene and scene.focused() == focus

    # -- the mouse -----------------------------------------------------------------------

    def move(self, pos: tuple[int, int], frames: int = 1) -> None:
        rel = (pos[0] - self._mouse[0], pos[1] - self._mouse[1])
        if pos != self._mouse or self._pointer != "mouse":
            self._moved("mouse")
        self._mouse = pos
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=rel, buttons=(0, 0, 0)))
        self.frames(frames)

    def click(self, pos: tuple[int, int], frames: int = 2) -> None:
        if pos != self._mouse:
            self.move(pos)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        self.frames(frames)

    def pointers(self) -> list[tuple[int, int]]:
        """Where the pointers are: the mouse (once moved) and the app's hand pointer (if shown)."""
        hand = self.hand_at() if self.top.hand_pointer or self.top.hand_holds else None
        return [p for p in (self._mouse, hand) if p is not None and p[0] >= 0]

    def _moved(self, pointer: str) -> None:
        self._pointer = pointer
        for hook in self.on_move:
            hook()

    def rest(self, pos: tuple[int, int], seconds: float = DWELL_WAIT_S) -> None:
        """Move the mouse onto `pos` and leave it there."""
        self.move(pos)
        self.wait_s(seconds)

    def mouse_away(self) -> None:
        """Move the mouse to a corner where no screen has a button."""
        self.move((2, 2))

    # -- the tracked hand ----------------------------------------------------------------

    def hand_to(
        self, pos: tuple[int, int], inside: tuple[int, int, int, int] | None = None, tries: int = 8
    ) -> bool:
        """Raise the good hand so the app's hand pointer lands inside `inside` (default: within
        12 px of `pos`); True when it got there. Closed loop on the pointer the app shows."""
        scene = self.top
        frame = self._latest_pose()
        if frame is None:
            return False
        goal = (
            self._hand_goal
            if self._hand_up and self._hand_goal is not None
            else _raw_for(frame, pos, self.good_side)
        )
        self._hand_up = True
        self._moved("hand")
        for _ in range(tries):
            self._hand_goal = goal
            self.source.hold(Goal("both_hands", (0.5, 0.9), (float(goal[0]), float(goal[1]))))
            if not self._settle(scene):
                return False
            at = self.hand_at()
            frame = self._latest_pose() or frame
            if at is not None and _inside(at, pos, inside):
                return True
            # where the hand is, in the raw picture (the pointer stops at the screen's edges)
            here = hand_point(frame.image[:, :2].astype(np.float64), self.good_side)
            goal = goal + 0.8 * (_raw_for(frame, pos, self.good_side) - here)
        return False

    def _settle(self, scene: Scene) -> bool:
        """Let the arm get where it was sent: 0.5 s, then on while the pointer still moves
        (at most 1 s more). False when the screen changed meanwhile."""
        self.wait_until(lambda: self.top is not scene, 0.5)
        for _ in range(10):
            was = self.hand_at()
            if self.top is not scene or self.ended:
                break
            self.wait_until(lambda: self.top is not scene, 0.1)
            now = self.hand_at()
            if was is None or now is None or abs(now[0] - was[0]) + abs(now[1] - was[1]) <= 6:
                break
        return self.top is scene and not self.ended

    def hand_down(self) -> None:
        self._hand_up = False
        self._moved("hand")
        self.source.hold(None)
        if self.top.hand_pointer:
            self.source.set_goal(Goal("rest"))
        self.wait_s(1.0)

    def hand_at(self) -> tuple[int, int] | None:
        """Where the raised hand points: the app's pointer on a menu; on a screen that reads
        the pose itself, where the same mapping puts the newest pose (game.pointer.hand_pointer)."""
        if self.top.hand_pointer:
            return self.app.pointer.pos
        return None if self.source.absent else hand_pointer(self.source.last, self.app.pointer.vp)

    @property
    def good_side(self) -> Side:
        """The hand the simulated patient points with (the unaffected one)."""
        return "right" if self.model.affected_side == "left" else "left"

    def _latest_pose(self) -> PoseFrame | None:
        if self.source.last is None:
            self.frames(2)
        return self.source.last

    # -- pressing a target ---------------------------------------------------------------

    def press(self, target: Target, how: str) -> bool:
        """Press `target` the way `how` (one of :data:`MODALITIES`) says; False when this
        user cannot (the keys cannot focus it, the hand cannot reach it)."""
        scene = self.top
        centre = (target.rect[0] + target.rect[2] // 2, target.rect[1] + target.rect[3] // 2)
        if how == "keys":
            if not target.keys or not self.focus_on(target.focus_key):
                return False
            self.key(PRESS_KEY[target.press])
            return True
        if how == "click":
            self.click(centre)
            return True
        if how == "rest":
            self.mouse_away()  # come to the button from elsewhere, as a person does
            self.move(centre)
            self.wait_until(lambda: self.top is not scene, DWELL_WAIT_S)
            self.mouse_away()
            return True
        holds = not scene.hand_pointer
        if holds and target.key not in scene.hand_holds:
            return False  # the screen reads the hand for itself: this button is not for it
        at = self.hand_at()
        if at is not None and _inside(at, centre, target.rect):  # already over it: come from elsewhere
            away = free_spot(scene, centre)
            if away is not None:
                self.hand_to(away, (away[0] - 30, away[1] - 30, 60, 60))
            if self.top is not scene:
                return True
        if not self.hand_to(centre, _shrunk(target.rect)):
            return self.top is not scene  # something else (a dwell on the way) took us away
        mode = scene.hand_pointer  # a screen that reads the pose may hand it over (play paused)
        self.wait_until(lambda: self.top is not scene or self.top.hand_pointer != mode,
                        HOLD_WAIT_S if holds else DWELL_WAIT_S)  # fmt: skip
        return True

    def back(self, how: str) -> bool:
        """Leave the current screen: Esc for keys, else press its Back-like target."""
        if how == "keys":
            self.key("escape")
            return True
        target = find_back(self.top)
        return target is not None and self.press(target, how)


class _NoHand(PointerFeed):
    """A hand pointer that never points (the keys- and mouse-only walks)."""

    def step(self, source: object, now_s: float, scene: object) -> None:  # type: ignore[override]
        self.pos = None
        return None


class _Closed(Scene):
    """Stands for the screen when the app has closed its last one."""

    hand_pointer = False

    def __init__(self) -> None:
        self._auto_t_s = 0.0


_GONE = _Closed()
BACK_KEYS = ("back", "__back", "home", "leave", "stop", "go")
"""Keys of targets that leave a screen (Back, Leave, Home, Stop, Go on)."""


def free_spot(scene: Scene, near: tuple[int, int]) -> tuple[int, int] | None:
    """The nearest point to `near` (at least 60 px away) over no target of `scene`."""
    rects = [t.rect for t in scene.targets()]
    spots = [(x, y) for x in range(40, 1280, 40) for y in range(40, 720, 40)
             if all(not _inside((x, y), (0, 0), (r[0] - 20, r[1] - 20, r[2] + 40, r[3] + 40)) for r in rects)
             and abs(x - near[0]) + abs(y - near[1]) >= 60]  # fmt: skip
    return min(spots, key=lambda p: abs(p[0] - near[0]) + abs(p[1] - near[1])) if spots else None


def find_back(scene: Scene) -> Target | None:
    return next((t for t in scene.targets() if t.key in BACK_KEYS), None)


def _inside(at: tuple[int, int], pos: tuple[int, int], rect: tuple[int, int, int, int] | None) -> bool:
    if rect is None:
        return abs(at[0] - pos[0]) <= 12 and abs(at[1] - pos[1]) <= 12
    x, y, w, h = rect
    return x <= at[0] < x + w and y <= at[1] < y + h


def _shrunk(rect: tuple[int, int, int, int], margin: int = 10) -> tuple[int, int, int, int]:
    x, y, w, h = rect
    m = min(margin, w // 4, h // 4)
    return (x + m, y + m, w - 2 * m, h - 2 * m)


def _raw_for(frame: PoseFrame, screen: tuple[int, int], side: Side) -> np.ndarray:
    """Raw-image point (normalised) where the `side` hand must be for the pointer to show at
    `screen`: the inverse of game.pointer.hand_pointer for this pose (1280 x 720 screen)."""
    box = pointing_box(frame, FRAME_SIZE, side)
    assert box is not None, "nobody in view to point with"
    x0, y0, x1, y1, _ = box
    u = 1.0 - screen[0] / 1279.0
    v = screen[1] / 719.0
    return np.array([(x0 + u * (x1 - x0)) / FRAME_SIZE[0], (y0 + v * (y1 - y0)) / FRAME_SIZE[1]])
