"""Every screen of the game, found from the code, and the robot's map of how to reach them.

:func:`screen_classes` lists every :class:`~game.scenes.base.Scene` subclass in game/scenes, so
a new screen is in the walkthroughs without anyone adding it. :func:`explore` discovers, with
the keys, how the screens connect (breadth first from the first screens the launcher shows);
:func:`walk` then reaches every screen and leaves it again with one way of input only.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import game.scenes
from game.app import App
from game.scenes.base import Scene
from game.scenes.digit_pad import DigitPadScene
from game.scenes.kit import MenuScene
from tests.robot.driver import BACK_KEYS, Robot
from tests.robot.world import NEW_PIN, PIN

ABSTRACT = (Scene, MenuScene, DigitPadScene)
"""Bases that are never shown themselves."""
WAIT = "<wait>"
"""Do nothing and let a screen that runs by itself (play, calibration) carry on."""
WAIT_END = "<wait-end>"
"""Let a screen that runs by itself (play) go on, through its breaks, until it ends."""
ESC = "<esc>"
"""The Esc key."""
WAIT_MAX_S = 60.0
WAITS_S = {"RestScene": 10.0}
"""Menu-like screens that also carry on by themselves (a rest counts down), and for how long."""
RECIPES: dict[str, list[tuple[str, ...]]] = {
    "PinScene": [(*PIN, "ok")],
    "ChangePinScene": [(*PIN, "ok", *NEW_PIN, "ok", *NEW_PIN, "ok")],
    "KeyboardScene": [("B", "O", "ok")],
}
"""What a user knows and types on screens that need it (their PIN, a name)."""


def screen_classes() -> list[type[Scene]]:
    """Every concrete Scene subclass defined in the game/scenes package."""
    for mod in pkgutil.iter_modules(game.scenes.__path__):
        importlib.import_module(f"game.scenes.{mod.name}")
    out: list[type[Scene]] = []
    todo = list(Scene.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("game.scenes.") and cls not in ABSTRACT and cls not in out:
            out.append(cls)
    return sorted(out, key=lambda c: c.__name__)


Move = tuple[str, ...]
"""Targets pressed in order (their keys), or (WAIT,) or (ESC,)."""


@dataclass(frozen=True)
class Root:
    """A first screen the launcher shows, and how to start the app there."""

    name: str
    first: Callable[[App], Scene]
    settings: dict[str, object] = field(default_factory=dict)


@dataclass
class Map:
    """What the keys walk learnt: a path to each screen and the moves that leave each one."""

    paths: dict[str, tuple[Root, list[Move]]] = field(default_factory=dict)
    leaves: dict[str, list[Move]] = field(default_factory=dict)
    edges: dict[tuple[str, Move], list[str]] = field(default_factory=dict)
    back_to: dict[str, str] = field(default_factory=dict)
    """The screen on top after each screen's first way out was taken (its opener, mostly)."""
    problems: list[str] = field(default_factory=list)


def moves_of(scene: Scene, how: str) -> list[Move]:
    """What a user with `how` input can do on `scene`: leave (Esc, a Back-like button) first,
    then press each target, type what they know, and wait on screens that run by themselves."""
    if scene.transient:
        return []
    targets = [t for t in scene.targets() if how != "keys" or t.keys]
    backs = [(t.key,) for t in targets if t.key in BACK_KEYS]
    out: list[Move] = ([(ESC,)] if how == "keys" else []) + backs
    out += [(t.key,) for t in targets if t.key not in BACK_KEYS]
    out += RECIPES.get(type(scene).__name__, [])
    if not scene.hand_pointer or type(scene).__name__ in WAITS_S:
        out.append((WAIT,))
    if not scene.hand_pointer:
        out.append((WAIT_END,))
    return out


def _needs_input(scene: Scene) -> bool:
    """A screen that waits for the user (not the play screen, a rest, or the session start)."""
    return scene.hand_pointer and type(scene).__name__ not in WAITS_S and not scene.transient


def wait_limit_s(scene: Scene) -> float:
    return WAITS_S.get(type(scene).__name__, WAIT_MAX_S)


def do(robot: Robot, move: Move, how: str) -> bool:
    """Make one move; False when this user could not (a target out of their reach)."""
    scene = robot.top
    if move == (WAIT,):
        robot.wait_until(lambda: robot.top is not scene, wait_limit_s(scene))
        robot.frames(3)
        return True
    if move == (WAIT_END,):
        robot.wait_until(lambda: scene not in robot.stack or _needs_input(robot.top), WAIT_MAX_S)
        robot.frames(3)
        return True
    if move == (ESC,):
        robot.key("escape")
        robot.frames(3)
        return True
    for key in move:
        if robot.ended:
            return False
        target = next((t for t in robot.top.targets() if t.key == key), None)
        if target is None or not robot.press(target, how):
            return False
    robot.frames(3)
    return True


class Explorer:
    """Breadth-first discovery of the screens with one input (the keys by default)."""

    def __init__(self, template: Path, workdir: Path, roots: list[Root], how: str = "keys") -> None:
        self.template, self.workdir, self.roots, self.how = template, workdir, roots, how
        self.map = Map()
        self._n = 0

    def robot(self, root: Root, path: list[Move], how: str | None = None) -> Robot | None:
        """A fresh app at the end of `path` (None if the path no longer gets there)."""
        self._n += 1
        how = how or self.how
        robot = Robot(self.template, self.workdir / f"run{self._n % 4}", first=root.first,
                      settings=root.settings, hand_points=how == "hand")  # fmt: skip
        for move in path:
            if robot.ended or not do(robot, move, how):
                robot.close()
                return None
        return robot

    def run(self) -> Map:
        queue: list[tuple[Root, list[Move]]] = [(root, []) for root in self.roots]
        for root in self.roots:
            self.map.paths.setdefault(root.name, (root, []))
        while queue:
            root, path = queue.pop(0)
            self._explore(root, path, queue)
        return self.map

    def _explore(self, root: Root, path: list[Move], queue: list[tuple[Root, list[Move]]]) -> None:
        robot = self.robot(root, path)
        if robot is None:
            self.map.problems.append(f"the path {path} from {root.name} no longer works")
            return
        here = type(robot.top).__name__
        plain = robot.top.hand_pointer and here not in WAITS_S  # a menu: moves leave it as it was
        fresh = True
        try:
            for move in moves_of(robot.top, self.how):
                if robot.ended or type(robot.top).__name__ != here or not (fresh or plain):
                    robot.close()
                    robot = self.robot(root, path)
                    if robot is None:
                        return
                fresh = move[0] not in (ESC, *BACK_KEYS)  # a Back may leave a question open
                scene, before = robot.top, set(robot.seen)
                made = [move]
                try:
                    if not do(robot, move, self.how):
                        continue
                    if move[0] in (ESC, *BACK_KEYS) and robot.top is scene and not robot.ended:
                        do(robot, move, self.how)  # it asked first ("Back again to..."): confirm
                        made.append(move)
                except Exception as err:  # a crash is a finding: note it, start again
                    self.map.problems.append(f"{here} {move}: {type(err).__name__}: {err}")
                    robot.ended = True
                    continue
                new = [name for name in robot.seen if name not in before]
                self.map.edges[(here, move)] = new
                for name in new:
                    if name not in self.map.paths:
                        self.map.paths[name] = (root, [*path, *made])
                        queue.append((root, [*path, *made]))
                if robot.ended or scene not in robot.stack:
                    self.map.leaves.setdefault(here, []).append(move)
                    self.map.back_to.setdefault(here, "" if robot.ended else type(robot.top).__name__)
        finally:
            robot.close()


@dataclass
class Walk:
    """One walkthrough's outcome: per screen, reached and left, or why not."""

    how: str
    reached: dict[str, bool] = field(default_factory=dict)
    left: dict[str, bool] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)

    def failures(self, names: list[str]) -> list[str]:
        out = []
        for name in names:
            if not self.reached.get(name):
                out.append(f"{name}: not reached by {self.how} ({self.why.get(name, 'no path')})")
            elif not self.left.get(name):
                out.append(f"{name}: cannot be left by {self.how} ({self.why.get(name, '')})")
        return out


POINTER_BACK = {"pause": ("pause", "stop")}
"""Screens without a Back-like button that a pointer user leaves in two presses (the play
screen: Pause, then Stop)."""


def pointer_move(robot: Robot, move: Move, how: str = "click") -> Move | None:
    """The same move for a pointer user: Esc becomes the screen's Back-like button (or its
    Pause then Stop); for the tracked hand on a screen that reads the hand itself, the button
    it lets the hand hold (the play screen's Pause), else (calibration) doing what the screen
    asks until it ends."""
    if move != (ESC,):
        return move
    top = robot.top
    keys = [t.key for t in top.targets() if how != "hand" or top.hand_pointer or t.key in top.hand_holds]
    back = next((k for k in keys if k in BACK_KEYS), None)
    if back is not None:
        return (back,)
    seq = next((seq for first, seq in POINTER_BACK.items() if first in keys), None)
    if seq is None and how == "hand" and not top.hand_pointer:
        return (WAIT_END,)
    return seq


@dataclass
class _Run:
    """A robot part way along a root's path: the stack after each move made (index 0: before
    any), so a later screen whose path shares the moves can go on from there."""

    robot: Robot
    root: Root
    done: list[Move]
    stacks: list[list[Scene]]

    def at(self) -> int | None:
        """How many of `done` the robot stands after now (its stack is the one recorded then),
        or None (somewhere else: start again)."""
        if self.robot.ended:
            return None
        now = self.robot.stack
        for k in range(len(self.stacks) - 1, -1, -1):
            was = self.stacks[k]
            if len(was) == len(now) and all(a is b for a, b in zip(was, now, strict=True)):
                return k
        return None


def walk(explorer: Explorer, how: str) -> Walk:
    """Reach every screen the map knows with `how` input only, and leave it again.

    Screens are visited depth first along the map's paths, as a user tours a menu tree: a
    screen is reached, the screens opened from it are visited (each left again, mostly back to
    it), then it is left. The same app goes on from the screen it stands on whenever that is on
    the next screen's path, instead of starting again from the first screen: the resting
    pointer and the hand wait 1.5 s per button. A screen not reached that way, or not on top
    when its turn to be left comes, is tried from a fresh start, so nothing an earlier screen
    changed (a new PIN) fails a later one."""
    out = Walk(how)
    order = sorted(explorer.map.paths.items(), key=lambda kv: (explorer.roots.index(kv[1][0]), kv[1][1]))
    run: _Run | None = None
    pending: list[tuple[str, Scene, Root, list[Move]]] = []
    """Screens reached whose leaving waits until the screens opened from them are visited."""
    try:
        for i, (name, (root, path)) in enumerate(order):
            run = _leave_pending(explorer, run, pending, out, how, root, path)
            run = _reach(explorer, run, root, path, how, name)
            here = [s for s in run.robot.stack if type(s).__name__ == name] if not run.robot.ended else []
            out.reached[name] = bool(here)
            if not here:
                out.why[name] = f"following {path} ended on {type(run.robot.top).__name__}"
                continue
            scene = here[-1]
            if scene.transient:  # it hands over by itself once the screens it opened are done
                out.left[name] = True
                continue
            after = order[i + 1] if i + 1 < len(order) else None
            if (
                after is not None
                and _under(after[1][0], after[1][1], root, path)
                and explorer.map.back_to.get(after[0]) == name  # leaving it comes back here
                and run.robot.top is scene
            ):
                pending.append((name, scene, root, path))
                continue
            _leave_noted(run.robot, scene, explorer, out, name, how)
        run = _leave_pending(explorer, run, pending, out, how, None, [])
    finally:
        if run is not None:
            run.robot.close()
    return out


def _under(root: Root, path: list[Move], parent_root: Root, parent: list[Move]) -> bool:
    """Whether the screen at `path` is opened from (below) the one at `parent`."""
    return root is parent_root and len(path) > len(parent) and path[: len(parent)] == parent


def _leave_noted(robot: Robot, scene: Scene, explorer: Explorer, out: Walk, name: str, how: str) -> None:
    leaves = explorer.map.leaves.get(name, [])
    out.left[name] = _leave(robot, scene, leaves, how)
    if not out.left[name]:
        out.why[name] = f"tried {leaves}"


def _leave_pending(
    explorer: Explorer,
    run: _Run | None,
    pending: list[tuple[str, Scene, Root, list[Move]]],
    out: Walk,
    how: str,
    root: Root | None,
    path: list[Move],
) -> _Run | None:
    """Leave the waiting screens the next one (at `path`) is not below, innermost first: on
    top of the app if they are, else reached again from a fresh start."""
    while pending and not (root is not None and _under(root, path, pending[-1][2], pending[-1][3])):
        name, scene, p_root, p_path = pending.pop()
        if run is None or run.robot.ended or run.robot.top is not scene:
            if run is not None:
                run.robot.close()
                run = None
            run = _reach(explorer, None, p_root, p_path, how, name)
            here = [s for s in run.robot.stack if type(s).__name__ == name] if not run.robot.ended else []
            if not here:
                out.left[name] = False
                out.why[name] = f"reached once, but not again by {p_path} to leave it"
                continue
            scene = here[-1]
        _leave_noted(run.robot, scene, explorer, out, name, how)
    return run


def _reach(explorer: Explorer, run: _Run | None, root: Root, path: list[Move], how: str, name: str) -> _Run:
    """A robot on the screen at the end of `path`: the current one going on from where it
    stands if that is on the path, else (or when that does not get there) a fresh one."""
    k = run.at() if run is not None and run.root is root else None
    if run is not None and k is not None and path[:k] == run.done[:k] and _can_resume(path, k):
        run.done, run.stacks = run.done[:k], run.stacks[: k + 1]
        if _follow(run, path[k:], how) and any(type(s).__name__ == name for s in run.robot.stack):
            return run
    if run is not None:
        run.robot.close()
    robot = Robot(explorer.template, explorer.workdir / f"walk-{how}", first=root.first,
                  settings=root.settings, hand_points=how == "hand")  # fmt: skip
    fresh = _Run(robot, root, [], [robot.stack])
    _follow(fresh, path, how)
    return fresh


def _can_resume(path: list[Move], k: int) -> bool:
    """Not between the two Esc of "Esc, then Esc again to confirm" (a pointer's Stop answers
    both at once)."""
    return not (0 < k < len(path) and path[k] == (ESC,) and path[k - 1] == (ESC,))


def _follow(run: _Run, path: list[Move], how: str) -> bool:
    robot = run.robot
    left: Scene | None = None
    for move in path:
        if how != "keys" and move == (ESC,) and left is not None and left not in robot.stack:
            left = None
            run.done.append(move)
            run.stacks.append(robot.stack)
            continue  # the second Esc confirmed a question the pointer's Stop already answered
        left = robot.top if move == (ESC,) else None
        m = move if how == "keys" else pointer_move(robot, move, how)
        if m is None or robot.ended or not do(robot, m, how):
            return False
        run.done.append(move)
        run.stacks.append(robot.stack)
    return True


def _leave(robot: Robot, scene: Scene, leaves: list[Move], how: str) -> bool:
    """Leave `scene` (on top) by the first way out this user has. A screen that asks first
    ("unsaved changes: Back again") is left by the same move made twice; a screen that runs by
    itself (play) is left by waiting for it to end."""
    for move in leaves:
        m = move if how == "keys" else pointer_move(robot, move, how)
        if m is None or (how == "keys" and m[0] not in (ESC, WAIT, WAIT_END) and not _keys_can(robot, m)):
            continue
        for _ in range(2):
            if robot.top is not scene:
                break
            do(robot, m, how)
        if robot.ended or scene not in robot.stack:
            return True
    return False


def _keys_can(robot: Robot, move: Move) -> bool:
    return all(any(t.key == k and t.keys for t in robot.top.targets()) for k in move[:1])
