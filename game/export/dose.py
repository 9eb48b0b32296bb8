"""The dose of the plan actually played: repetitions in the plan stored with each session.

The game stores the expanded plan with every session (``{"items": [{level, set, reps,
rest_s}, ...]}``, one item per set; ``reps`` None = the level file's own number), so the
report and the portal compare what was done with what that session asked for, not with a
default or with today's settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def plan_reps(plan: Any, level_reps: Mapping[str, int]) -> int | None:
    """Repetitions asked for by a stored session plan, or None when it cannot be counted.

    `level_reps` maps a level id to its file's own repetitions per set (used for items that
    leave ``reps`` empty). None for a plan without items, or with an item whose count is unknown.
    """
    items = plan.get("items") if isinstance(plan, Mapping) else None
    if not isinstance(items, list) or not items:
        return None
    total = 0
    for item in items:
        if not isinstance(item, Mapping):
            return None
        reps = item.get("reps")
        if reps is None:
            reps = level_reps.get(str(item.get("level")))
        if isinstance(reps, bool) or not isinstance(reps, int) or reps < 0:
            return None
        total += reps
    return total


def steps_reps(steps: Any, level_reps: Mapping[str, int]) -> int | None:
    """Repetitions of a plan given as steps (``[{level, sets, reps?, rest_s}]``, the settings'
    and the shipped plan's form), or None when a step's count is unknown."""
    if not isinstance(steps, list | tuple) or not steps:
        return None
    items = [
        {"level": s.get("level"), "reps": s.get("reps")}
        for s in steps
        if isinstance(s, Mapping)
        for _ in range(int(s.get("sets", 1)))
    ]
    return plan_reps({"items": items}, level_reps)


def pain_summary(sessions: Sequence[Mapping[str, Any]]) -> tuple[list[int | None], list[int | None], int]:
    """(pain before, pain after, sessions ended for pain) over `sessions` in the given order."""
    before = [_pain(s.get("pain_before")) for s in sessions]
    after = [_pain(s.get("pain_after")) for s in sessions]
    ended = sum(1 for s in sessions if s.get("status") == "ended_pain")
    return before, after, ended


def _pain(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
