"""grade_level: stars against the patient's own goals and history, never unreliable data."""

import math

import numpy as np
import pytest

from game.leveltypes.registry import level_types
from game.scoring import grade_level, level_scores, summarise_reps
from game.scoring.grades import HIGHER, goal_attainment

REACH = level_types()["reach"].graded
STANCE = level_types()["stance"].graded
GOALS = {"reach_pct_arm": 80.0, "success_rate": 0.8, "trunk_displacement_mm": 50.0}


def test_every_level_type_grades():
    for kind in level_types().values():
        name = next(iter(kind.graded))
        assert grade_level(kind.graded, {name: 1.0}, {name: 1.0}, []) == 3
        assert grade_level(kind.graded, {}, {name: 1.0}, []) == 0


def test_goal_attainment_sign_safe():
    assert goal_attainment(72.0, 80.0, 1) == pytest.approx(0.9)
    assert goal_attainment(-1.8, -1.6, 1) == pytest.approx(0.875)  # SPARC: closer to 0 better
    assert goal_attainment(75.0, 50.0, -1) == pytest.approx(0.5)  # lower is better
    assert goal_attainment(30.0, 50.0, -1) == 1.0
    with pytest.raises(ValueError, match="goal"):
        goal_attainment(1.0, 0.0, 1)


def test_star_mapping():
    met = {"reach_pct_arm": 85.0, "success_rate": 0.9, "trunk_displacement_mm": 40.0}
    assert grade_level(REACH, met, GOALS, []) == 3
    part = {"reach_pct_arm": 66.0, "success_rate": 0.66, "trunk_displacement_mm": 60.0}
    assert grade_level(REACH, part, GOALS, []) == 2  # about 80 % of the goals
    low = {"reach_pct_arm": 30.0, "success_rate": 0.2, "trunk_displacement_mm": 120.0}
    assert grade_level(REACH, low, GOALS, []) == 1  # took part: never zero for trying
    worse_history = [{"reach_pct_arm": 20.0, "success_rate": 0.1, "trunk_displacement_mm": 150}]
    assert grade_level(REACH, low, GOALS, worse_history) == 2  # better than own history


def test_unreliable_metrics_do_not_count():
    met = {"reach_pct_arm": 85.0, "success_rate": 0.1, "trunk_displacement_mm": 40.0}
    assert grade_level(REACH, met, GOALS, []) < 3
    flagged = grade_level(REACH, met, GOALS, [], reliable={"success_rate": False})
    assert flagged == 3
    assert grade_level(REACH, {**met, "success_rate": float("nan")}, GOALS, []) == 3
    assert grade_level(REACH, {**met, "success_rate": None}, GOALS, []) == 3
    assert grade_level(REACH, {"reach_pct_arm": math.nan}, GOALS, []) == 0


def test_history_ignores_unreliable_entries():
    g, h, used = level_scores(
        STANCE,
        {"single_leg_stance_s": 6.0},
        {},
        [{"single_leg_stance_s": None}, {"single_leg_stance_s": 5.0}],
    )
    assert math.isnan(g) and h == 1.0 and used == 1
    assert grade_level(STANCE, {"single_leg_stance_s": 6.0}, {}, [{"single_leg_stance_s": 5.0}]) == 2


def test_bad_arguments():
    with pytest.raises(ValueError, match="table"):
        grade_level({}, {}, {}, [])
    with pytest.raises(ValueError, match="juggling"):
        grade_level({"juggling": (HIGHER, 0.0)}, {}, {}, [])
    with pytest.raises(ValueError, match="reach_pct_arm"):
        grade_level(REACH, {"reach_pct_arm": 50.0}, {"reach_pct_arm": 0.0}, [])


def test_summarise_reps_uses_reliable_reps_only():
    per_rep = {
        "reach_pct_arm": np.array([80.0, 90.0, 10.0, 85.0]),
        "reach_pct_arm_reliable": np.array([True, True, False, True]),
        "success": np.array([True, False, True, True]),
        "success_reliable": np.array([True, True, True, False]),
        "sparc": np.array([-1.5, np.nan, -1.6, -1.7]),
        "sparc_reliable": np.array([True, False, True, False]),
    }
    metrics, ok = summarise_reps(per_rep)
    assert metrics["reach_pct_arm"] == 85.0 and ok["reach_pct_arm"]
    assert metrics["success_rate"] == pytest.approx(2 / 3) and ok["success_rate"]
    assert metrics["sparc"] == pytest.approx(-1.55) and not ok["sparc"]  # only 2 reliable reps
    stars = grade_level(REACH, metrics, {"reach_pct_arm": 80.0, "sparc": -1.5}, [], reliable=ok)
    assert stars == 3  # sparc (below its goal) is not counted: too few reliable reps
