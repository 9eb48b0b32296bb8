"""Every shipped hand level, played to its end in one session through the real App loop by the
simulated patient (with fingers), and scored from the hands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from game.levels import load_all
from game.leveltypes.hand_common import HANDS_PARTS
from game.storage import Store, open_database
from tests.export.conftest import play_plan

HAND_LEVELS = sorted(spec.id for spec in load_all().values() if spec.kind.parts == HANDS_PARTS)
REPS = {"finger_tapping": 2}
"""Reps per level in the plan: one, and two for tapping (a round per hand, both in turn)."""


def plan() -> list[dict[str, object]]:
    specs = load_all()
    return [
        {"level": level, "sets": 1, "reps": REPS.get(specs[level].type, 1), "rest_s": 0.0}
        for level in HAND_LEVELS
    ]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("hands") / "hands.db"
    play_plan(path, plan())
    with open_database(path) as db:
        yield db


def test_ten_hand_levels_of_five_types_ship() -> None:
    types = {load_all()[level].type for level in HAND_LEVELS}
    assert len(HAND_LEVELS) >= 10 and types == {
        "grasp", "finger_tapping", "thumb_opposition", "finger_individuation", "pinch_place",
    }  # fmt: skip


def test_the_session_plays_every_hand_level_to_its_end(played: Store) -> None:
    session = played.sessions("demo")[-1]
    assert session.status == "completed"
    results = {r.level_id: r for r in played.level_results(session.id)}
    assert sorted(results) == HAND_LEVELS
    reps = played.reps(session.id)
    for item in plan():
        done = [r for r in reps if r.level_id == item["level"]]
        assert len(done) == item["reps"], item


@pytest.mark.parametrize("level", HAND_LEVELS)
def test_each_hand_level_is_scored_on_what_it_grades(played: Store, level: str) -> None:
    """Every rep carries finite values of the level type's graded measures, and the level
    result grades them (stars from 0 to 3)."""
    session = played.sessions("demo")[-1]
    graded = set(load_all()[level].kind.graded)
    for rep in (r for r in played.reps(session.id) if r.level_id == level):
        values = [rep.metrics[name] for name in graded if name in rep.metrics]
        assert values and np.all(np.isfinite(values)), (level, sorted(rep.metrics))
    result = next(r for r in played.level_results(session.id) if r.level_id == level)
    assert graded & set(result.metrics) and 0 <= result.stars <= 3
