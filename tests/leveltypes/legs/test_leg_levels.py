"""The leg level types and the guided tests driven step by step with the simulated patient:
safety limits, view guidance and the tracked-confidence check, front and side views, norms
from the patient's settings, and a moderately impaired patient scoring worse than a mild one.
(tests/leveltypes/test_shipped_levels.py plays every shipped level through the real App.)"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from game.levels import load_all
from game.leveltypes.base import ExerciseContext, SafetyLimits, Tracked
from game.leveltypes.march.exercise import max_lift_m
from game.leveltypes.squat.exercise import SquatDown
from game.leveltypes.standing import GUIDANCE, MIN_CONFIDENCE
from game.mirror import display_pose
from game.tracking import pose as P
from game.tracking.motor import Motor, Posture
from game.tracking.pose import PoseFrame
from game.tracking.simulated import MILD, MODERATE, SimulatedPatient
from tests.leveltypes.driving import DT, drive


def test_a_squat_never_asks_past_the_therapists_knee_limit() -> None:
    out = drive("squat", 45.0, limits=SafetyLimits(max_knee_flexion_deg=35.0))  # the level asks 60
    squats = [v for v in out.views if v.phase in ("down", "up")]
    assert squats and all(v.target_deg == 35.0 and v.limit_deg == 35.0 for v in squats)
    assert len(out.reps) == 6 and all(r.success for r in out.reps)
    assert all(m["depth_target_deg"] == 35.0 for m in out.metrics)
    assert all(m["peak_knee_flexion_deg"] < 35.0 + 15.0 for m in out.metrics)  # aims goal + 8


def test_the_squat_goal_and_the_knee_lift_follow_the_limit() -> None:
    spec = load_all()["squat"]
    ctx = ExerciseContext(
        "squat", "left", (1280, 720), SafetyLimits(max_knee_flexion_deg=40.0), np.random.default_rng(0)
    )
    ex = spec.kind.exercise(spec.params, ctx)
    ex._phase, ex._held_s, ex.guidance = "down", 0.0, None
    goal = ex.goal()
    assert isinstance(goal, SquatDown) and goal.knee_deg == 40.0
    out = drive("march-high", 25.0, limits=SafetyLimits(max_knee_flexion_deg=30.0))
    assert max(v.goal_cm for v in out.views) <= 100.0 * max_lift_m(30.0) + 1e-9 < 18.0


def test_guidance_asks_to_step_back_until_the_feet_are_seen() -> None:
    """The simulated patient starts at the seated arm-level distance with its feet below the
    picture: the level says so, waits, and starts once it has stepped back."""
    out = drive("sit-to-stand", 40.0)
    said = [v.guidance for v in out.views]
    first = said.index(GUIDANCE["feet"])
    assert all(v.phase in ("confirm", "view") for v in out.views[: first + 1])
    assert said[-1] is None and len(out.reps) == 5 and all(r.success for r in out.reps)


@pytest.mark.parametrize("yaw", [45.0, 90.0])
def test_sit_to_stand_plays_from_an_oblique_and_a_side_view(yaw: float) -> None:
    out = drive("sit-to-stand", 40.0, model=replace(MILD, view_yaw_deg=yaw))
    assert out.exercise.done and len(out.reps) == 5 and all(r.success for r in out.reps)
    assert all(m["side_view"] == float(yaw == 90.0) for m in out.metrics)
    assert all(1.8 < m["stand_time_s"] < 3.5 for m in out.metrics)


def _standing_frame(vis: float) -> PoseFrame:
    sim = SimulatedPatient(replace(MILD, noise_m=0.0), seed=0)
    sim.set_goal(Motor(posture=Posture(stand=True, back_m=1.0)))
    frame = None
    for k in range(200):
        frame = sim.poll(k / 30.0) or frame
    assert frame is not None
    image = frame.image.copy()
    image[P.L_HIP :, 3] = vis
    return PoseFrame(frame.t_s, image, frame.world)


@pytest.mark.parametrize(("vis", "starts"), [(0.55, False), (0.95, True)])
def test_a_level_starts_only_when_the_legs_are_tracked_with_confidence(vis: float, starts: bool) -> None:
    """Legs seen (visibility over 0.5) but with little confidence (under MIN_CONFIDENCE) keep
    the level in its camera check; well-tracked legs let it go on after VIEW_HOLD_S."""
    spec = load_all()["mini-squat"]
    ctx = ExerciseContext("mini-squat", "left", (1280, 720), SafetyLimits(), np.random.default_rng(0))
    ex = spec.kind.exercise(spec.params, ctx)
    ex.handle_select()  # chair confirmed
    frame = _standing_frame(vis)
    assert (vis >= MIN_CONFIDENCE) == starts
    for k in range(int(3.0 / DT)):
        t = frame.t_s + k * DT
        f = PoseFrame(t, frame.image, frame.world)
        ex.update(DT, Tracked(t, f, display_pose(f.image, "left", (1280, 720))))
    assert (ex._phase != "view") == starts


def _mean(out, name: str) -> float:
    return float(np.mean([m[name] for m in out.metrics if name in m]))


def test_a_moderately_impaired_patient_scores_worse_than_a_mild_one() -> None:
    mild, moderate = drive("sit-to-stand-easy", 40.0), drive("sit-to-stand-easy", 60.0, model=MODERATE)
    assert _mean(moderate, "stand_time_s") > 1.3 * _mean(mild, "stand_time_s")
    assert _mean(mild, "arms_used") == 0.0 and _mean(moderate, "arms_used") == 1.0
    assert _mean(moderate, "lateral_shift_cm") > _mean(mild, "lateral_shift_cm") + 1.0
    mild, moderate = drive("mini-squat", 45.0), drive("mini-squat", 60.0, model=MODERATE)
    assert _mean(moderate, "peak_knee_flexion_deg") < _mean(mild, "peak_knee_flexion_deg") - 5.0
    mild, moderate = drive("march-slow", 45.0), drive("march-slow", 60.0, model=MODERATE)
    assert _mean(moderate, "knee_lift_asymmetry_pct") > _mean(mild, "knee_lift_asymmetry_pct") + 20.0
    mild, moderate = drive("leg-mirror", 40.0), drive("leg-mirror", 60.0, model=MODERATE)
    assert _mean(moderate, "affected_ankle_range_deg") < _mean(mild, "affected_ankle_range_deg") - 4.0
    mild, moderate = drive("test-one-leg", 75.0), drive("test-one-leg", 75.0, model=MODERATE)
    assert _mean(moderate, "one_leg_stance_best_s") < 0.5 * _mean(mild, "one_leg_stance_best_s")
    moderate = drive("test-chair-stand", 60.0, model=MODERATE)
    assert moderate.metrics[0]["n_chair_stands"] == 0.0 and moderate.metrics[0]["arms_used"] == 1.0


@pytest.mark.parametrize(
    ("age", "sex", "low", "high"), [(62, "female", 12.0, 17.0), (72, "male", 12.0, 17.0)]
)
def test_the_chair_stand_is_compared_with_the_norm_of_the_patients_age_and_sex(
    age: int, sex: str, low: float, high: float
) -> None:
    out = drive("test-chair-stand", 50.0, overrides={"age_years": age, "sex": sex})
    m = out.metrics[0]
    n = m["n_chair_stands"]
    assert 8 <= n <= 16 and m["arms_used"] == 0.0
    assert (m["n_chair_stands_norm_low"], m["n_chair_stands_norm_high"]) == (low, high)
    assert m["norm_category"] == (-1.0 if n < low else 1.0 if n > high else 0.0)
    card = next(v.result for v in out.views if v.result is not None)
    assert card[0] == f"{n:.0f} stands in 30 seconds" and f"{low:.0f} to {high:.0f} stands" in card[1]
    assert "STEADI" in card[2] and "§6.9" in card[2]


def test_the_other_tests_report_against_their_norms() -> None:
    five = drive("test-five-sts", 40.0, overrides={"age_years": 75, "sex": "female"}).metrics[0]
    assert five["five_sts_norm_s"] == 12.6 and five["norm_category"] == (
        -1.0 if five["five_sts_time_s"] > 12.6 else 0.0
    )
    reach = drive("test-functional-reach", 60.0, overrides={"age_years": 75, "sex": "male"}).metrics[0]
    assert reach["functional_reach_norm_cm"] == 33.5 and reach["n_trials"] == 3.0
    assert 15.0 < reach["functional_reach_cm"] < 35.0  # a forward lean of 30 deg with a 0.5 m trunk
    alone = drive("test-functional-reach", 60.0).metrics[0]  # no age: no norm fields
    assert "norm_category" not in alone and "functional_reach_norm_cm" not in alone
