"""The level-type declaration every guided standard test shares (game/leveltypes/guided.py).

A guided test is a balance level (the chair-or-rail check), a standing one (hidden for a
"seated only" patient), links the patient's age and sex for its norm, and is drawn by the
guided screen unless it brings its own drawer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from game.leveltypes.base import Exercise, ExerciseContext
from game.leveltypes.guided import PATIENT_LINKS
from game.leveltypes.registry import LevelType
from game.render.leg_views import draw_guided
from game.render.level_views import Drawer, IconFn
from game.tracking.motor import Motor


def guided_test_type(
    name: str,
    params: type,
    exercise: Callable[[Any, ExerciseContext], Exercise],
    metrics: ModuleType,
    simulate: Callable[[Any], Motor],
    draw: Drawer = draw_guided,
    icons: Mapping[str, IconFn] | None = None,
) -> LevelType:
    """The LevelType of one guided test; ``metrics`` is its metrics module (``rep_metrics``,
    ``GRADED``, ``GOALS``)."""
    return LevelType(
        name=name,
        params=params,
        exercise=exercise,
        draw=draw,
        metrics=metrics.rep_metrics,
        graded=metrics.GRADED,
        goals=metrics.GOALS,
        simulate=simulate,
        settings=PATIENT_LINKS,
        icons=dict(icons or {}),
        balance=True,
        standing=True,
    )
