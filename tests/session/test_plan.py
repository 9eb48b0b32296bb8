"""Session plans: sets expanded, unknown levels skipped, the shipped default plan."""

from __future__ import annotations

import pytest

from game.levels import DEFAULT_PLAN, LevelError, load_all, load_plan
from game.session.plan import DEFAULT_REST_S, build_plan


def test_plan_expands_sets_and_skips_unknown_levels() -> None:
    levels = load_all()
    first = next(iter(levels))
    plan = build_plan(
        levels, [{"level": first, "sets": 3, "reps": 4, "rest_s": 20.0}, {"level": "gone-level", "sets": 1}]
    )
    assert [(i.spec.id, i.set_index, i.reps, i.rest_s) for i in plan] == [
        (first, 0, 4, 20.0),
        (first, 1, 4, 20.0),
        (first, 2, 4, 20.0),
    ]


def test_empty_plan_plays_the_shipped_default_plan() -> None:
    levels = load_all()
    steps = load_plan(DEFAULT_PLAN, levels)
    plan = build_plan(levels, [])
    assert len(plan) == sum(int(s.get("sets", 1)) for s in steps)
    assert plan[0].spec.id == steps[0]["level"]
    # without the default plan's levels: every given level once, in order
    reach_only = {k: v for k, v in levels.items() if v.type == "reach"}
    fallback = build_plan(reach_only, [])
    assert [i.spec.id for i in fallback] == list(reach_only)
    assert all(i.rest_s == DEFAULT_REST_S for i in fallback)


def test_bad_plan_file_names_the_step_and_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    levels = load_all()
    bad = tmp_path / "plan.toml"
    bad.write_text('[[steps]]\nlevel = "reach-apples"\n[[steps]]\nlevel = "nope"\n', encoding="utf-8")
    with pytest.raises(LevelError, match=r"plan.toml: steps\[1\].level: unknown level 'nope'"):
        load_plan(bad, levels)
    bad.write_text('[[steps]]\nlevel = "reach-apples"\nsets = "two"\n', encoding="utf-8")
    with pytest.raises(LevelError, match=r"steps\[0\].sets"):
        load_plan(bad, levels)
    only = build_plan(levels, [], only=list(levels)[-1])
    assert [i.spec.id for i in only] == [list(levels)[-1]]
