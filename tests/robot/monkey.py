"""The monkey: random keys, clicks, resting pointers and hand poses on every screen, with the
promises the game makes to its users checked after every frame.

The promises (issue 11):

1. nothing a user does raises an exception;
2. a stored setting changes only when a screen showed the new value, the user changed it
   there, and saved it (:class:`SettingsWatch`);
3. a dwell never fires twice, or after a click, without the pointer leaving and coming back,
   and never while the pointer is over nothing (:class:`DwellWatch`);
4. Esc or Back never loses unsaved work without asking first (:class:`WorkWatch`).

:class:`Monkey` is a Hypothesis rule-based state machine over a :class:`~tests.robot.driver.Robot`;
:func:`monkey_test` makes the pytest test class for a given size.
"""

from __future__ import annotations

import math
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from game.app import App
from game.render.dwell import Dwell
from game.scenes.base import Scene
from game.scenes.menus import TitleScene
from game.scenes.play import start_play
from game.therapist.settings_schema import diff
from tests.robot.driver import Robot, levels
from tests.robot.screens import do as press
from tests.robot.world import PIN

KEY_NAMES = ("up", "down", "left", "right", "return", "return", "escape", "backspace", "space", "p",
             "1", "2", "4", "6", "8", "0", "a", "b")  # fmt: skip
"""Keys the monkey presses (digits and letters type on the PIN pad and keyboards); Enter comes
up twice as often, and Esc has a rule of its own."""


def one_level_per_type() -> list[str]:
    """The first level of each level type (the monkey plays every type)."""
    seen: dict[str, str] = {}
    for lid, spec in levels().items():
        seen.setdefault(spec.kind.name, lid)
    return sorted(seen.values())


def starts() -> list[tuple[str, str | None]]:
    """Where an example starts: the title (nobody chosen, or Ann), the therapist's PIN pad or
    (PIN entered) patient list, or playing one level of each type."""
    titles = [("title", None), ("title", "p1"), ("pin", None), ("therapist", None)]
    return [*titles, *[("level", lid) for lid in one_level_per_type()]]


LEAVE_KEYS = ("back", "__back", "leave")
"""Buttons that go back like Esc (Stop, Home and Go on are answers, not a Back)."""


class Violation(AssertionError):
    """A broken promise."""


# -- promise 2: no setting changes unseen -------------------------------------------------


def shown_settings(scene: Scene) -> tuple[str, dict[str, Any]] | None:
    """(patient id, settings as the screen shows them) for the screens that edit settings."""
    patient = getattr(scene, "patient", None)
    if patient is None:
        return None
    draft = getattr(scene, "draft", None)
    if draft is not None and hasattr(draft, "to_mapping"):
        return patient.id, draft.to_mapping()
    steps, saved = getattr(scene, "steps", None), getattr(scene, "saved", None)
    if steps is not None and saved is not None:
        try:
            return patient.id, saved.with_change("plan", [dict(s) for s in steps]).to_mapping()
        except Exception:
            return None
    return None


@dataclass
class SettingsWatch:
    """Every stored change of a patient's settings (or alias, or side) must be a value the
    user changed on an editing screen (shown differently when the screen opened) and saved."""

    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    opened: dict[int, dict[str, Any]] = field(default_factory=dict)
    shown: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def snapshot(self, robot: Robot) -> dict[str, dict[str, Any]]:
        out = {}
        for p in robot.db.list_patients(include_guests=True):
            out[p.id] = {**dict(p.settings), "__alias": p.alias, "__side": p.affected_side}
        return out

    def start(self, robot: Robot) -> None:
        self.stored = self.snapshot(robot)

    def frame(self, robot: Robot) -> None:
        for scene in robot.stack:
            seen = shown_settings(scene)
            if seen is not None:
                self.opened.setdefault(id(scene), seen[1])
                self.shown[id(scene)] = seen

    def check(self, robot: Robot) -> None:
        now = self.snapshot(robot)
        for pid, after in now.items():
            before = self.stored.get(pid)
            if before is None or before == after:
                continue
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    self._check_key(pid, key, before.get(key), after.get(key))
        self.stored = now

    def _check_key(self, pid: str, key: str, old: Any, new: Any) -> None:
        name = {"__alias": "alias", "__side": "affected_side"}.get(key, key)
        for sid, (spid, values) in self.shown.items():
            if spid == pid and values.get(name) == new and self.opened[sid].get(name) != new:
                return  # the user changed it on this screen, saw it, and saved it
        raise Violation(f"patient {pid}: {name} changed {old!r} -> {new!r}, no screen showed it changed")


# -- promise 3: a dwell fires once per visit, never after a click, never over nothing ------


@dataclass
class DwellWatch:
    """Counts dwell fires (every widget dwells through game.render.dwell.Dwell) against the
    robot's pointer visits: a visit ends when the robot moves the pointer elsewhere."""

    robot: Robot | None = None
    visit: int = 0
    fired: set[tuple[int, int, Any]] = field(default_factory=set)
    clicked: set[int] = field(default_factory=set)
    clicks: int = 0
    _hand_at: tuple[int, int] | None = None
    _original: Callable[..., Any] | None = None

    def install(self, robot: Robot) -> None:
        self.robot = robot
        original = Dwell.tick
        self._original = original
        watch = self

        def tick(dwell: Dwell, dt_s: float) -> Any:
            hit = original(dwell, dt_s)
            if hit is not None:
                watch.on_fire(dwell, hit)
            return hit

        Dwell.tick = tick  # type: ignore[method-assign]

    def uninstall(self) -> None:
        if self._original is not None:
            Dwell.tick = self._original  # type: ignore[method-assign]
            self._original = None

    def moved(self) -> None:
        self.visit += 1

    def frame(self, robot: Robot) -> None:
        """The tracked hand is a pointer too: its moves (beyond a tremor, Dwell.WOBBLE_PX)
        start a new visit, as the robot's mouse moves do."""
        now = robot.hand_at() if robot.top.hand_pointer or robot.top.hand_holds else None
        was = self._hand_at
        if (now is None) != (was is None) or (
            now is not None and was is not None and math.dist(now, was) > Dwell.WOBBLE_PX
        ):
            self._hand_at = now
            self.visit += 1

    def click(self) -> None:
        self.clicked.add(self.visit)
        self.clicks += 1

    def on_fire(self, dwell: Dwell, hit: Any) -> None:
        robot = self.robot
        assert robot is not None
        key = (self.visit, id(dwell), hit)
        where = type(robot.top).__name__
        if key in self.fired:
            raise Violation(f"{where}: a dwell fired twice on {hit!r} while the pointer rested")
        if self.visit in self.clicked:
            raise Violation(f"{where}: a dwell fired on {hit!r} after a click, the pointer never left")
        points = robot.pointers()
        if not any(_inside(p, t.rect) for p in points for t in robot.top.targets()):
            raise Violation(f"{where}: a dwell fired on {hit!r} with the pointer over nothing ({points})")
        self.fired.add(key)


def _inside(pos: tuple[int, int], rect: tuple[int, int, int, int]) -> bool:
    x, y, w, h = rect
    return x <= pos[0] < x + w and y <= pos[1] < y + h


# -- promise 4: Esc/Back never loses work unasked -------------------------------------------


def holds_work(scene: Scene) -> bool:
    """The test's own judgement of unsaved work: an edited draft or plan, a typed name, a
    level being played."""
    name = type(scene).__name__
    if name == "SettingsEditorScene":
        return bool(diff(scene.saved, scene.draft))  # type: ignore[attr-defined]
    if name == "PlanEditorScene":
        return [dict(s) for s in scene.saved.plan] != [dict(s) for s in scene.steps]  # type: ignore[attr-defined]
    if name == "AddPatientScene":
        return bool(scene.alias.strip())  # type: ignore[attr-defined]
    if name == "PlayScene":
        return not scene.exercise.done  # type: ignore[attr-defined]
    return False


def work_of(scene: Scene) -> object:
    """A snapshot of a screen's unsaved work (what a Back would throw away)."""
    name = type(scene).__name__
    if name == "SettingsEditorScene":
        return repr(scene.draft.to_mapping())  # type: ignore[attr-defined]
    if name == "PlanEditorScene":
        return repr(scene.steps)  # type: ignore[attr-defined]
    if name == "AddPatientScene":
        return scene.alias  # type: ignore[attr-defined]
    if name == "PlayScene":
        return (scene.run.index, scene.run.total_reps)  # type: ignore[attr-defined]
    return None


@dataclass
class WorkWatch:
    """A Back (Esc, Backspace, a Back button) that removes a screen holding work must follow
    a Back that kept the screen there (it asked first), with the same work still unsaved."""

    asked: dict[int, object] = field(default_factory=dict)

    def back(self, robot: Robot, act: Callable[[], None]) -> None:
        scene = robot.top
        dirty, work = holds_work(scene), work_of(scene)
        act()
        if not dirty:
            return
        if scene in robot.stack:
            self.asked[id(scene)] = work
            return
        if self.asked.get(id(scene), _NOTHING) != work:
            raise Violation(f"{type(scene).__name__}: Back threw away unsaved work without asking")


_NOTHING = object()


# -- the state machine ------------------------------------------------------------------------


class Monkey(RuleBasedStateMachine):
    """Random input on the real App; the promises are checked after every step."""

    template: Path
    workdir: Path
    collect: list[str] | None = None
    """When a list, broken promises and crashes are noted there (a crash ends that run) to
    report everything the monkey finds on old code; when None the first one fails the test."""

    def __init__(self) -> None:
        super().__init__()
        self.robot: Robot | None = None
        self.settings_watch = SettingsWatch()
        self.dwell_watch = DwellWatch()
        self.work_watch = WorkWatch()
        self.trail: list[str] = []

    # -- set-up ----------------------------------------------------------------------------

    @initialize(start=st.sampled_from(starts()), seed=st.integers(0, 3))
    def begin(self, start: tuple[str, str | None], seed: int) -> None:
        self._open(start, seed)

    @precondition(lambda self: not self.alive())
    @rule(start=st.sampled_from(starts()))
    def start_again(self, start: tuple[str, str | None]) -> None:
        """The game was quit (or, noting promises, broke one): start it again."""
        self.teardown()
        self.settings_watch, self.dwell_watch, self.work_watch = SettingsWatch(), DwellWatch(), WorkWatch()
        self._open(start, 0)

    def _open(self, start: tuple[str, str | None], seed: int) -> None:
        kind, arg = start
        first: Callable[[App], Scene] = TitleScene
        extra: dict[str, object] = {}
        if kind == "level":
            first, extra = start_play, {"level": arg, "patient": "p1"}
        elif arg is not None:
            extra = {"patient": arg}
        self.robot = Robot(self.template, self.workdir / "monkey", first=first, settings=extra, seed=seed)
        if kind in ("pin", "therapist"):
            press(self.robot, ("therapist",), "click")
        if kind == "therapist":
            press(self.robot, (*PIN, "ok"), "click")
        self.robot.mouse_away()
        self.settings_watch.start(self.robot)
        self.dwell_watch.install(self.robot)
        self.robot.on_frame.append(self.settings_watch.frame)
        self.robot.on_frame.append(self.dwell_watch.frame)
        self.robot.on_move.append(self.dwell_watch.moved)
        self.robot.frames(2)

    def teardown(self) -> None:
        self.dwell_watch.uninstall()
        if self.robot is not None:
            self.robot.close()
            self.robot = None

    def _guard(self, act: Callable[[], None]) -> None:
        """Run `act`; a broken promise or a crash is noted (collect mode) or raised."""
        caller = sys._getframe(1).f_code.co_name
        self.trail = [*self.trail[-3:], f"{caller}@{type(self.robot.top).__name__}" if self.robot else caller]
        try:
            act()
            self.settings_watch.check(self.robot)  # type: ignore[arg-type]
        except Exception as err:
            if self.collect is None:
                raise
            crash = not isinstance(err, Violation)
            where = "".join(traceback.format_tb(err.__traceback__)[-2:]) if crash else ""
            self.collect.append(f"{type(err).__name__}: {err} ({where.strip()}) after {self.trail}")
            assert self.robot is not None
            if not isinstance(err, Violation):
                self.robot.ended = True  # a crash ends the run; a broken promise is noted and play goes on

    def alive(self) -> bool:
        return self.robot is not None and not self.robot.ended

    def _target(self, index: int) -> Any:
        assert self.robot is not None
        targets = self.robot.top.targets()
        return targets[index % len(targets)] if targets else None

    # -- rules -----------------------------------------------------------------------------

    @precondition(alive)
    @rule(name=st.sampled_from(KEY_NAMES))
    def press_key(self, name: str) -> None:
        robot = self.robot
        assert robot is not None
        typed = name if len(name) == 1 else (" " if name == "space" else "")

        def press() -> None:
            robot.key(name, typed, frames=2)

        if name in ("escape", "backspace"):
            self._guard(lambda: self.work_watch.back(robot, press))
        else:
            self._guard(press)

    @precondition(alive)
    @rule()
    def escape(self) -> None:
        """Esc: the key every screen answers (back, or a question first)."""
        self.press_key("escape")

    @precondition(alive)
    @rule(index=st.integers(0, 63), away=st.booleans())
    def click_target(self, index: int, away: bool) -> None:
        """Click a button (and maybe move the pointer off it afterwards)."""
        robot, target = self.robot, self._target(index)
        assert robot is not None
        if target is None:
            return

        def click() -> None:
            robot.move(_centre(target.rect))
            self.dwell_watch.click()
            robot.click(_centre(target.rect))
            if away:
                robot.mouse_away()

        self._pressing(target.key, click)

    @precondition(alive)
    @rule(x=st.integers(0, 1279), y=st.integers(0, 719))
    def click_anywhere(self, x: int, y: int) -> None:
        robot = self.robot
        assert robot is not None

        def click() -> None:
            robot.move((x, y))
            self.dwell_watch.click()
            robot.click((x, y))

        self._guard(click)

    @precondition(alive)
    @rule(index=st.integers(0, 63), tenths=st.integers(3, 25))
    def rest_pointer(self, index: int, tenths: int) -> None:
        """Move the mouse onto a button and leave it there for 0.3-2.5 s."""
        robot, target = self.robot, self._target(index)
        assert robot is not None
        if target is None:
            return
        self._pressing(target.key, lambda: robot.rest(_centre(target.rect), tenths / 10))

    @precondition(alive)
    @rule()
    def pointer_away(self) -> None:
        robot = self.robot
        assert robot is not None
        self._guard(robot.mouse_away)

    @precondition(alive)
    @rule(tenths=st.integers(1, 20))
    def wait(self, tenths: int) -> None:
        robot = self.robot
        assert robot is not None
        self._guard(lambda: robot.wait_s(tenths / 10))

    @precondition(alive)
    @rule(index=st.integers(0, 63), tenths=st.integers(0, 20))
    def raise_hand(self, index: int, tenths: int) -> None:
        """Hold the tracked hand over a button (the pointer the app shows lands on it)."""
        robot, target = self.robot, self._target(index)
        assert robot is not None
        if target is None or not robot.top.hand_pointer:
            return

        def hold() -> None:
            robot.mouse_away()
            robot.hand_to(_centre(target.rect), _shrunk(target.rect), tries=3)
            self.dwell_watch.moved()
            robot.wait_s(tenths / 10)

        self._pressing(target.key, hold)

    @precondition(alive)
    @rule(absent=st.booleans())
    def pose(self, absent: bool) -> None:
        """Lower the hand, or walk out of (or back into) the camera's view."""
        robot = self.robot
        assert robot is not None
        robot.source.absent = absent

        def lower() -> None:
            robot.hand_down()
            self.dwell_watch.moved()

        self._guard(lower)

    def _pressing(self, key: str, act: Callable[[], None]) -> None:
        """Press `key` by `act`; a Back-like key is watched for lost work."""
        robot = self.robot
        assert robot is not None
        if key in LEAVE_KEYS:
            self._guard(lambda: self.work_watch.back(robot, act))
            return
        self._guard(act)

    @invariant()
    def still_running(self) -> None:
        """A run may end (Quit) but never by a crash (a crash raises inside the rules)."""


def _centre(rect: tuple[int, int, int, int]) -> tuple[int, int]:
    return rect[0] + rect[2] // 2, rect[1] + rect[3] // 2


def _shrunk(rect: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = rect
    m = min(10, w // 4, h // 4)
    return (x + m, y + m, w - 2 * m, h - 2 * m)


def monkey_machine(template: Path, workdir: Path, *, examples: int, steps: int,
                   collect: list[str] | None = None) -> type[Monkey]:  # fmt: skip
    """A Monkey class on `template`, sized `examples` x `steps`, derandomised (seeded)."""

    class Sized(Monkey):
        pass

    Sized.template, Sized.workdir, Sized.collect = template, workdir, collect
    Sized.TestCase.settings = settings(
        derandomize=True,
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=list(Phase) if collect is None else [Phase.generate],
    )
    return Sized
