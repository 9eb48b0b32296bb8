"""Expression levels (smile, eyebrow raise, eye closure, lip pucker) score each side's movement and
its symmetry as the simulated face makes them: a palsy of p leaves the weak side (1 - p) of the
healthy side's movement, so the symmetry reads 100 (1 - p) %; and a rep succeeds when the weak
side reaches the level's goal."""

from __future__ import annotations

import numpy as np
import pytest

from game.leveltypes.facial import Expression, ExpressionView
from game.tracking.sim_face import FaceModel
from game.tracking.simulated import PatientModel
from tests.leveltypes.driving import drive

LEVELS = {
    "smile-sunny": "smile",
    "brow-surprise": "brow",
    "eyes-gentle": "eye_closure",
    "pucker-kiss": "pucker",
}
UNIT = {"eye_closure": "pct"}


@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize(("weak", "palsy"), [("left", 0.4), ("right", 0.2)])
def test_each_side_and_the_symmetry_follow_the_palsy(level: str, weak: str, palsy: float) -> None:
    name, unit = LEVELS[level], UNIT.get(LEVELS[level], "mm")
    model = PatientModel(affected_side=weak, face=FaceModel(palsy=palsy))  # type: ignore[arg-type]
    run = drive(level, 30.0, model=model)
    assert len(run.reps) == 5 and all(r.success for r in run.reps)
    healthy = "right" if weak == "left" else "left"
    weak_mm = np.median([m[f"{name}_{weak}_{unit}"] for m in run.metrics])
    healthy_mm = np.median([m[f"{name}_{healthy}_{unit}"] for m in run.metrics])
    assert weak_mm == pytest.approx((1 - palsy) * healthy_mm, rel=0.15)
    assert np.median([m[f"{name}_symmetry_pct"] for m in run.metrics]) == pytest.approx(
        100 * (1 - palsy), abs=8
    )
    assert all(m["face_weak_left"] == float(weak == "left") and m[f"{name}_symmetry_pct_reliable"] == 1.0
               for m in run.metrics)  # fmt: skip
    views = [v for v in run.views if isinstance(v, ExpressionView)]
    assert all(v.half_face and v.weak_side == weak for v in views)
    assert any(isinstance(g, Expression) for g in run.goals)


def test_a_weak_side_that_cannot_reach_the_goal_misses_kindly() -> None:
    model = PatientModel(face=FaceModel(palsy=0.9))  # the weak (left) corner barely moves
    run = drive("smile-big", 70.0, model=model)
    assert len(run.reps) == 6 and not any(r.success for r in run.reps)
    assert all(m["smile_symmetry_pct"] < 20 for m in run.metrics)
    words = [str(e.text) for e in run.events if getattr(e, "kind", "") == "miss"]
    assert len(words) == 6 and all("!" in w or "." in w for w in words)
