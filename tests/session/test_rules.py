"""Session rules: the fatigue rule offers a rest, the pain rule stops kindly."""

from __future__ import annotations

import math

import pytest

from game.session.rules import fatigue, pain_stop


def _reps(speeds: list[float]) -> list[dict[str, float]]:
    return [{"peak_speed_m_s": s, "reach_fraction": 0.8, "n_movement_units": 1.0} for s in speeds]


def test_fatigue_rule_fires_on_falling_speed_only() -> None:
    assert fatigue(_reps([1.0, 1.0, 1.0, 1.0, 0.95, 0.9])) is None
    assert str(fatigue(_reps([1.0, 1.0, 1.0, 0.7, 0.65, 0.6]))) == "Movements are getting slower"
    assert fatigue(_reps([1.0, 1.0, 0.5])) is None  # too few reps to judge
    nan_reps = _reps([math.nan] * 6)
    assert fatigue(nan_reps) is None  # unmeasurable is not tired


def test_fatigue_rule_on_fragmented_movements() -> None:
    reps = _reps([1.0] * 6)
    for r in reps[3:]:
        r["n_movement_units"] = 3.0
    assert str(fatigue(reps)) == "Movements are getting shakier"


@pytest.mark.parametrize(
    ("before", "now", "stop"),
    [(0, 1, False), (0, 2, True), (3, 4, False), (3, 6, True), (5, 2, False), (None, 9, False)],
)
def test_pain_rise_of_two_points_stops(before: int | None, now: int, stop: bool) -> None:
    assert pain_stop(before, now) is stop
