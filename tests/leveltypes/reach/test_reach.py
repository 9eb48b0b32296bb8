"""Reach level logic with the simulated patient: targets, safety limits, dwell, compensation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.leveltypes.base import Body, ExerciseContext, SafetyLimits, Tracked
from game.leveltypes.events import Feedback, RepOutcome
from game.leveltypes.reach.exercise import ReachExercise, ReachParams, neglect_angle, plan_angles, safe_target
from game.leveltypes.simulate import hand_motor
from game.mirror import display_pose
from game.tracking.simulated import MILD, PatientModel, SimulatedPatient

DT = 1 / 60


def run_level(
    params: ReachParams,
    model: PatientModel = MILD,
    limits: SafetyLimits | None = None,
    seconds: float = 60.0,
    seed: int = 0,
) -> tuple[ReachExercise, list[object], list[tuple]]:
    sim = SimulatedPatient(model, seed=seed)
    ctx = ExerciseContext(
        "t", model.affected_side, sim.frame_size, limits or SafetyLimits(), np.random.default_rng(seed)
    )
    ex = ReachExercise(params, ctx)
    events: list[object] = []
    targets: list[tuple] = []
    pose = None
    for k in range(int(seconds / DT)):
        t = k * DT
        f = sim.poll(t)
        if f is not None:
            pose = f
        disp = display_pose(pose.image, model.affected_side, sim.frame_size) if pose is not None else None
        events += ex.update(DT, Tracked(t, pose, disp))
        for tg in ex.view().targets:
            targets.append(tg.xy)
        sim.set_goal(hand_motor(ex.goal()))
        if ex.done:
            break
    return ex, events, targets


def test_mild_patient_collects_every_target_with_feedback() -> None:
    ex, events, _ = run_level(ReachParams(reps=5, reach_fraction=0.55))
    reps = [e for e in events if isinstance(e, RepOutcome)]
    assert ex.done and len(reps) == 5 and all(r.success for r in reps)
    assert [r.rep_index for r in reps] == list(range(5))
    assert all(r.t_end_s > r.t_cue_s for r in reps)
    assert sum(isinstance(e, Feedback) and e.kind == "hit" for e in events) == 5


def test_out_of_reach_targets_time_out_with_encouragement() -> None:
    weak = PatientModel(reach_range=0.35, compensation_m=0.0)
    ex, events, _ = run_level(ReachParams(reps=2, reach_fraction=1.0, time_limit_s=4.0), weak)
    reps = [e for e in events if isinstance(e, RepOutcome)]
    assert ex.done and len(reps) == 2 and not any(r.success for r in reps)
    misses = [e for e in events if isinstance(e, Feedback) and e.kind == "miss"]
    assert len(misses) == 2 and all("!" in str(m.text) or "." in str(m.text) for m in misses)


def test_targets_never_exceed_the_therapists_limits() -> None:
    limits = SafetyLimits(
        max_reach_fraction=0.5, max_shoulder_flexion_deg=120.0, max_shoulder_abduction_deg=100.0
    )
    body = Body((800.0, 300.0), 300.0, 180.0, (710.0, 300.0))
    for angle in np.linspace(-60, 170, 24):
        x, y, frac = safe_target(body, float(angle), 1.2, limits, out_sign=1.0)
        r = math.hypot(x - 800.0, y - 300.0)
        assert frac <= 0.5 and r <= 0.5 * 300.0 + 1e-9
        elevation = 90.0 + math.degrees(math.atan2(300.0 - y, x - 800.0))
        assert elevation <= 100.0 + 1e-9


def test_level_with_limits_places_targets_inside_them() -> None:
    limits = SafetyLimits(max_reach_fraction=0.45, max_shoulder_abduction_deg=95.0)
    params = ReachParams(reps=4, reach_fraction=0.9, sector_deg=(-10.0, 80.0), pattern="random")
    ex, _, targets = run_level(params, limits=limits, seconds=40.0)
    assert targets
    w, h = 1280, 720
    body = ex._body
    assert body is not None
    for x, y in targets:
        dx, dy = x * w - body.shoulder_px[0], y * h - body.shoulder_px[1]
        assert math.hypot(dx, dy) <= 0.45 * body.arm_px + 1e-6
        assert math.degrees(math.atan2(-dy, dx)) <= 5.0 + 1e-6  # 95° elevation = 5° above horizontal


def test_compensating_patient_is_cued_and_rep_flagged() -> None:
    leaner = PatientModel(reach_range=0.6, compensation_m=0.12)
    params = ReachParams(reps=2, reach_fraction=1.0, time_limit_s=6.0)
    _, events, _ = run_level(
        params, leaner, limits=SafetyLimits(max_reach_fraction=1.2, compensation_mm=40.0)
    )
    reps = [e for e in events if isinstance(e, RepOutcome)]
    assert reps and any(r.compensated for r in reps)
    assert any(isinstance(e, Feedback) and e.kind == "compensation" for e in events)
    _, calm, _ = run_level(ReachParams(reps=2, reach_fraction=0.5), MILD)
    assert not any(r.compensated for r in calm if isinstance(r, RepOutcome))


def test_level_clock_pauses_without_a_person() -> None:
    sim = SimulatedPatient(MILD)
    ctx = ExerciseContext("t", "left", sim.frame_size, SafetyLimits(), np.random.default_rng(0))
    ex = ReachExercise(ReachParams(reps=1, time_limit_s=2.0), ctx)
    for k in range(600):  # 10 s with nobody in view
        assert ex.update(DT, Tracked(k * DT, None, None)) == []
    assert ex.view().hud.paused and not ex.done


@pytest.mark.parametrize("pattern", ["arc", "random", "sequence"])
def test_angle_patterns_stay_in_sector(pattern: str) -> None:
    p = ReachParams(
        reps=9,
        sector_deg=(-10.0, 50.0),
        pattern=pattern,
        sequence_deg=(0.0, 45.0, 10.0) if pattern == "sequence" else (),
    )
    a = plan_angles(p, np.random.default_rng(3))
    assert len(a) == 9 and np.all(a >= -10.0) and np.all(a <= 50.0)
    if pattern == "sequence":
        np.testing.assert_array_equal(a[:3], [0.0, 45.0, 10.0])


def test_neglect_bias_moves_targets_into_the_neglected_space() -> None:
    p = ReachParams(sector_deg=(-10.0, 60.0), neglect_bias=0.5)
    same = ExerciseContext(
        "t", "left", (1280, 720), SafetyLimits(), np.random.default_rng(0), neglect_side="left"
    )
    other = ExerciseContext(
        "t", "left", (1280, 720), SafetyLimits(), np.random.default_rng(0), neglect_side="right"
    )
    none = ExerciseContext("t", "left", (1280, 720), SafetyLimits(), np.random.default_rng(0))
    assert [neglect_angle(30.0, p, same, k) for k in range(4)] == [-10.0, 30.0, -10.0, 30.0]
    assert neglect_angle(30.0, p, other, 0) == 135.0  # across the midline
    assert neglect_angle(30.0, p, none, 0) == 30.0
