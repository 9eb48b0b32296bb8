"""Weight-shift level type: gates, excursion, limits of stability."""

from __future__ import annotations

import numpy as np

from game.leveltypes.weight_shift.exercise import gate_plan
from game.leveltypes.weight_shift.metrics import excursion_pct
from tests.leveltypes.driving import drive


def test_weight_shift_gates_never_backward_and_excursion() -> None:
    for d in ("lateral", "forward", "both"):
        assert all(g[1] >= 0 for g in gate_plan(d, 9))
    lean = np.array([[0.0, 0.0], [20.0, 5.0], [35.0, -3.0], [10.0, 0.0]])
    assert excursion_pct(lean, (1.0, 0.0)) == 35.0
    assert excursion_pct(lean, (-1.0, 0.0)) == 0.0


def test_weight_shift_never_beyond_los_even_with_override() -> None:
    out = drive("marble-roll", 3.0, overrides={"excursion_pct": 150.0})
    assert max(abs(v) for v in out.exercise.target_pct()) <= 100.0  # type: ignore[attr-defined]


def test_gates_are_scored_from_the_trunk_lean() -> None:
    out = drive("boat-steer", 30.0, select_at_s=0.5)
    assert out.reps
    for rep, m in zip(out.reps, out.metrics, strict=True):
        # the boat reached into the gate: the excursion toward it passes the gate's near edge
        assert m["los_excursion_pct"] >= m["target_pct"] - rep.detail.zone_pct
        assert 0.0 < m["time_in_zone_frac"] <= 1.0 and m["los_deg"] == rep.detail.los_deg
