"""Every shipped level (except reach, covered by test_e2e) plays to the end headless through
the real App loop with the simulated patient, and its rep metrics are sensible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.levels import load_all
from game.leveltypes.registry import level_types
from game.tracking.simulated import MILD
from tests.playing import play

LEVELS = {k: v for k, v in load_all().items() if v.type != "reach"}
PLAY_S = 40.0
"""Game seconds per level: the longest shipped level takes about 30 s for a mild patient."""


def play_level(level: str, db_path: Path) -> tuple[list, list]:
    out = play(MILD, db_path, seconds=PLAY_S, level=level, seed=3)
    return out.reps, out.level_results


def test_at_least_twelve_levels_cover_every_type() -> None:
    levels = load_all()
    assert len(levels) >= 12
    assert {s.type for s in levels.values()} == set(level_types())
    orders = [s.order for s in levels.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


@pytest.mark.parametrize("level_id", sorted(LEVELS))
def test_level_plays_to_completion(level_id: str, tmp_path: Path) -> None:
    spec = LEVELS[level_id]
    reps, results = play_level(level_id, tmp_path / "x.db")
    assert len(reps) == spec.params.reps
    assert sum(r.success for r in reps) >= spec.params.reps - 1  # mild patient succeeds
    assert results and 1 <= results[0].stars <= 3
    expected = set(spec.kind.graded) - {"success_rate"}
    for r in reps:
        present = {k for k in expected if k in r.metrics and np.isfinite(r.metrics[k])}
        # every type's graded metrics are recorded (variable error needs the whole level;
        # single-leg time only on single-leg levels)
        optional = {"variable_error_deg", "single_leg_stance_s"}
        assert expected - optional <= present, expected - present
        if spec.kind.balance:
            assert r.metrics["chair_confirmed"] == 1.0
    if spec.type == "position_match":
        assert np.isfinite(reps[-1].metrics["variable_error_deg"])
    if spec.type == "stance" and spec.params.single_leg:
        assert all(r.metrics["single_leg_stance_s"] > 1.0 for r in reps)
