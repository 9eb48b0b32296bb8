"""The level types: one subpackage of game/leveltypes/ each, found by discovery.

A level type is everything a ``type = "..."`` in a level file means, declared once as
``LEVEL_TYPE = LevelType(...)`` in ``game/leveltypes/<name>/__init__.py``: its parameters, its
running exercise, its drawer, its rep metrics and grading table, its default goals, its
adaptive parameter and setting conversions, its icons, what the simulated patient does in
it, and which tracked parts it needs. :func:`level_types` imports every subpackage and
collects them; game/levels.py receives the result as an argument (it never imports a level
type), so adding a level type is one new folder plus a level file.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from game.leveltypes.base import Exercise, ExerciseContext
from game.leveltypes.measure import RepData
from game.render.icons import register as register_icon
from game.render.level_views import Drawer, IconFn
from game.tracking.motor import Motor

PACKAGE = "game.leveltypes"
"""Where the shipped level types live (one subpackage each)."""
PARTS = frozenset({"body", "hands", "face"})
REGIONS = ("arm", "hand", "leg", "face", "body")
"""What the pain check-in can ask about: a level type's region, or "body" for the whole."""
"""Tracked parts a level type may need."""


@dataclass(frozen=True)
class SettingLink:
    """How one patient setting (therapist or adaptive, game/therapist/settings_schema.py)
    becomes one level parameter: ``convert(value, level_params, frame_size)``."""

    param: str
    convert: Callable[[float, Any, tuple[int, int]], Any]


@dataclass(frozen=True)
class LevelType:
    """Everything one level type is (see the module doc); ``name`` is its folder's name."""

    name: str
    params: type
    """Frozen dataclass of its parameters, fields made with game.leveltypes.params.param."""
    exercise: Callable[[Any, ExerciseContext], Exercise]
    """Builds the running exercise: ``exercise(params, ctx)``."""
    draw: Drawer
    metrics: Callable[[RepData], dict[str, float]]
    """One rep's metrics, computed from its recorded frames and events."""
    graded: Mapping[str, tuple[int, float]]
    """What a level is graded on: metric → (HIGHER or LOWER is better, weight), for
    game.scoring.grades.grade_level."""
    goals: Mapping[str, float]
    """Goals a level is graded against when the therapist set none (units of ``graded``)."""
    simulate: Callable[[Any], Motor]
    """Turns the exercise's goal into a motor command for the simulated patient."""
    adaptive: tuple[str, ...] = ()
    """The patient setting adaptive difficulty moves for this type (at most one: one
    staircase per level keeps the 70-80 % target interpretable, docs/sources.md §8)."""
    settings: Mapping[str, SettingLink] = field(default_factory=dict)
    """This type's own setting → parameter conversions (beside the shared ones of
    game/session/overrides.py)."""
    icons: Mapping[str, IconFn] = field(default_factory=dict)
    """Icons the type brings (level files may name them)."""
    balance: bool = False
    """Balance levels ask first that a chair or rail be within reach, and watch for falls."""
    standing: bool = False
    """The patient stands (hidden for a patient marked "seated only"); standing implies balance."""
    mirrors: tuple[str, ...] = ("arm",)
    """Limbs the display reflects onto the affected side ("arm", "leg"; game.mirror)."""
    compares_rom: bool = False
    """Its level summary compares the affected arm's range with calibration and age norms."""
    parts: frozenset[str] = frozenset({"body"})
    """Tracked parts the type needs ("body", "hands", "face"); the pose source runs only
    the models these need."""
    pain_region: str = ""
    """What the pain check-in asks about for this type (one of :data:`REGIONS`); empty: from
    the type's parts, standing and mirrors (:attr:`region`)."""
    level_goals: Callable[[Any], Mapping[str, float]] | None = None
    """Goals that depend on the level's own parameters (``level_goals(params)``), merged over
    ``goals``: a goal must be reachable in the level it grades (a hold goal no longer than the
    level's holds)."""

    @property
    def region(self) -> str:
        """The part of the body this type exercises, as the pain check-in names it: the face
        or a hand for types that track them, the legs for standing types and the leg mirror,
        else the arm, unless :attr:`pain_region` says otherwise."""
        if self.pain_region:
            return self.pain_region
        if "face" in self.parts:
            return "face"
        if "hands" in self.parts:
            return "hand"
        return "leg" if self.standing or "leg" in self.mirrors else "arm"

    def goals_for(self, params: Any) -> Mapping[str, float]:
        """The default goals of one level of this type (``goals`` and ``level_goals``)."""
        return {**self.goals, **(self.level_goals(params) if self.level_goals is not None else {})}

    def __post_init__(self) -> None:
        if not self.parts <= PARTS:
            raise ValueError(f"level type {self.name}: parts must be within {sorted(PARTS)}")
        if len(self.adaptive) > 1:
            raise ValueError(f"level type {self.name}: adapt at most one setting")
        if self.pain_region and self.pain_region not in REGIONS:
            raise ValueError(f"level type {self.name}: pain_region must be one of {REGIONS}")
        if self.standing and not self.balance:
            raise ValueError(f"level type {self.name}: a standing type asks for a chair first (balance=True)")


def discover(package: str) -> dict[str, LevelType]:
    """The level types of one package: each subpackage's ``LEVEL_TYPE``, keyed by name.

    Raises TypeError naming the subpackage when it has no LevelType or its name differs
    from the folder's.
    """
    root = importlib.import_module(package)
    out: dict[str, LevelType] = {}
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        kind = getattr(module, "LEVEL_TYPE", None)
        if not isinstance(kind, LevelType) or kind.name != info.name:
            raise TypeError(f"{module.__name__}: needs LEVEL_TYPE = LevelType(name={info.name!r}, ...)")
        out[kind.name] = kind
    return out


@functools.cache
def level_types(*extra: str) -> Mapping[str, LevelType]:
    """Every shipped level type, plus those of the ``extra`` packages (tests add their own);
    their icons are registered for drawing on every screen."""
    types = discover(PACKAGE)
    for package in extra:
        more = discover(package)
        clash = sorted(set(more) & set(types))
        if clash:
            raise ValueError(f"{package}: level type names already taken: {', '.join(clash)}")
        types.update(more)
    for kind in types.values():
        for name, fn in kind.icons.items():
            register_icon(name, fn)
    return MappingProxyType(types)
