"""A session's plan: the levels and sets to play, in order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.levels import DEFAULT_PLAN, LevelError, LevelSpec, load_plan

DEFAULT_REST_S = 15.0
"""Rest between levels of the default plan when the therapist set none."""


@dataclass(frozen=True)
class PlanItem:
    """One set of one level in a session."""

    spec: LevelSpec
    set_index: int = 0
    reps: int | None = None
    """Reps in this set (None: the level file's own number)."""
    rest_s: float = 0.0
    """Rest after this set."""


def allowed_levels(levels: Mapping[str, LevelSpec], seated_only: bool) -> dict[str, LevelSpec]:
    """The levels a patient may play: all of them, or without the standing ones when the
    therapist marked the patient "seated only" (plan building and level pick both use this)."""
    return {k: v for k, v in levels.items() if not (seated_only and v.kind.standing)}


def build_plan(
    levels: Mapping[str, LevelSpec],
    entries: Sequence[Mapping[str, Any]] | None,
    only: str | None = None,
    *,
    seated_only: bool = False,
) -> list[PlanItem]:
    """Expand a plan (``[{level, sets, reps, rest_s}, ...]``) into one item per set.

    ``only`` plays one level once (``--level``). An empty plan plays the shipped default plan
    (levels/plans/default.toml); if that names none of these levels, every level once in
    progression order. Unknown levels in a stored plan are skipped (a level file may have been
    removed since the therapist made the plan), and so are standing levels for a patient marked
    ``seated_only`` (even one asked for with ``only``: safety first).
    """
    full = levels
    levels = allowed_levels(levels, seated_only)
    if only is not None and only in levels:
        return [PlanItem(levels[only])]
    if only is not None and only not in full:
        raise KeyError(only)
    if only is not None:
        entries = None  # a standing level for a seated-only patient: play the seated plan
    if not entries:
        try:
            entries = load_plan(DEFAULT_PLAN, full)
        except LevelError:  # a reduced level set (tests, a removed level): play what there is
            entries = []
    items: list[PlanItem] = []
    for entry in entries or ():
        spec = levels.get(entry.get("level", ""))
        if spec is None:
            continue
        sets = int(entry.get("sets", 1))
        for k in range(sets):
            items.append(PlanItem(spec, k, entry.get("reps"), float(entry.get("rest_s", DEFAULT_REST_S))))
    if not items:
        items = [PlanItem(spec, 0, None, DEFAULT_REST_S) for spec in levels.values()]
    return items


def plan_reps(items: Sequence[PlanItem]) -> int:
    """Repetitions a session of these plan items asks for: each set's own count, else its level
    file's ``reps`` (levels without a rep count, such as timed balance levels, count 0)."""
    return sum(
        int(item.reps) if item.reps is not None else int(getattr(item.spec.params, "reps", 0) or 0)
        for item in items
    )
