"""Every shipped level plays to the end headless through the real App loop with an
unimpaired simulated patient, its rep metrics are sensible, and it earns 3 stars: every
default goal is reachable in the level it grades (issue 10 item 9: the stance goal of 10 s
could never be met with holds of 3-8 s). A guided standard test has no goal (its result is
compared with the published norm): its first result earns 1 star."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from game.levels import load_all
from game.leveltypes.registry import level_types
from game.tracking.sim_face import FaceModel
from game.tracking.simulated import MILD
from tests.playing import play

LEVELS = load_all()
PLAY_S = 40.0
"""Game seconds per level: the longest shipped level takes about 30 s for this patient."""
PLAY_LONGER_S = {"test-chair-stand": 55.0, "test-one-leg": 72.0, "test-functional-reach": 60.0}
"""The guided tests run their protocols: 30 s of stands, three 12 s stances, five reaches."""
UNIMPAIRED = replace(
    MILD, reach_range=1.0, affected_range=1.0, smoothness=1.0, reaction_s=0.3, compensation_m=0.0,
    tremor_m=0.0, proprio_error_deg=0.0, face=FaceModel(palsy=0.0, jaw_shift_mm=0.0),
)  # fmt: skip
"""A patient without impairment (sway and landmark noise kept; no facial palsy, a straight jaw):
what every goal must allow."""
OPTIONAL = {
    "variable_error_deg",
    "single_leg_stance_s",
    "los_excursion_pct",
    "affected_min_knee_flexion_deg",
    "affected_ankle_range_deg",
}
"""Graded metrics a level records only sometimes: variable error needs the whole level;
single-leg time only on single-leg levels; weight shift's excursion is a %LOS standing and a
trunk-lean excursion seated; a leg mirror level moves the knee or the ankle."""


def reps_of(level: str) -> int:
    """Reps a level asks for (a guided test is one rep)."""
    return int(getattr(LEVELS[level].params, "reps", 1))


def play_level(level: str, db_path: Path) -> tuple[list, list]:
    seconds = PLAY_LONGER_S.get(level, max(PLAY_S, 5.0 * reps_of(level)))  # 10 bubbles take about 45 s
    out = play(UNIMPAIRED, db_path, seconds=seconds, level=level, seed=3)
    assert out.sessions[0].status == "completed", level
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
    n = reps_of(level_id)
    assert len(reps) == n
    assert sum(r.success for r in reps) >= n - 1
    # a guided test has no goal (it is compared with its norm): 1 star for a first result
    stars = 3 if spec.kind.goals_for(spec.params) else 1
    assert results and results[0].stars == stars, (results[0].metrics, spec.kind.goals_for(spec.params))
    expected = set(spec.kind.graded) - {"success_rate"}
    for r in reps:
        present = {k for k in expected if k in r.metrics and np.isfinite(r.metrics[k])}
        # every type's graded metrics are recorded (OPTIONAL: only on some levels)
        assert expected - OPTIONAL <= present, expected - present
        assert not r.metrics.get("fall_detected")  # sitting down and squatting are not falls
        if spec.kind.balance:
            assert r.metrics["chair_confirmed"] == 1.0
    if spec.type == "position_match":
        assert np.isfinite(reps[-1].metrics["variable_error_deg"])
    if spec.type == "leg_mirror":
        assert {"affected_min_knee_flexion_deg", "affected_ankle_range_deg"} & set(reps[0].metrics)
    if spec.type == "stance" and spec.params.single_leg:
        assert all(r.metrics["single_leg_stance_s"] > 1.0 for r in reps)
