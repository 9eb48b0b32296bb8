"""Unit tests of the level-type logic: closed forms, safety limits, the chair check."""

from __future__ import annotations

import math

import numpy as np

from game.exercises import make_exercise
from game.exercises.base import ExerciseContext, Feedback, RepOutcome, SafetyLimits, Tracked
from game.exercises.bilateral import coordination
from game.exercises.posture import posture_state, shoulder_tilt_deg
from game.exercises.stance import foot_lifted, hold_plan
from game.exercises.trace import trace_errors
from game.exercises.weight_shift import excursion_pct, gate_plan
from game.levels import load_all
from game.mirror import display_pose
from game.tracking import pose as P
from game.tracking.simulated import MILD, SimulatedPatient

DT = 1.0 / 60.0
STRICT = SafetyLimits(max_reach_fraction=0.5, max_shoulder_flexion_deg=70.0, max_shoulder_abduction_deg=60.0)


def run(
    level_id: str,
    seconds: float,
    limits: SafetyLimits | None = None,
    select_at_s: float | None = 1.0,
    overrides: dict | None = None,
):
    """Drive one exercise with the simulated patient at a fixed step; return it, events, views."""
    spec = load_all()[level_id]
    sim = SimulatedPatient(MILD, seed=2)
    limits = limits or SafetyLimits()
    ctx = ExerciseContext(
        level_id, "left", sim.frame_size, limits, np.random.default_rng(0), overrides=overrides or {}
    )
    ex = make_exercise(spec, ctx)
    events, views, frame, t = [], [], None, 0.0
    for _ in range(int(seconds / DT)):
        f = sim.poll(t)
        frame = f if f is not None else frame
        disp = display_pose(frame.image, "left", sim.frame_size) if frame is not None else None
        events += ex.update(DT, Tracked(t, frame, disp))
        if select_at_s is not None and t >= select_at_s and getattr(ex, "awaiting_confirm", False):
            ex.handle_select()
        sim.set_goal(ex.goal())
        views.append(ex.view())
        t += DT
        if ex.done:
            break
    return ex, events, views


def reps_of(events):
    return [e for e in events if isinstance(e, RepOutcome)]


def test_trace_errors_closed_form() -> None:
    target = np.zeros((50, 2))
    hand = target + [6.0, 8.0]  # 10 px away
    err_m, frac = trace_errors(hand, target, arm_px=100.0, arm_m=0.5, tolerance_px=12.0)
    assert math.isclose(err_m, 0.05) and frac == 1.0
    assert trace_errors(hand, target, 100.0, 0.5, 9.0)[1] == 0.0


def test_bilateral_coordination_of_delayed_half_sine() -> None:
    fs = 30.0
    t = np.arange(0, 6, 1 / fs)
    ref = np.sin(2 * np.pi * 0.5 * t)
    aff = 0.5 * np.sin(2 * np.pi * 0.5 * (t - 0.1))  # half the range, 100 ms late
    m = coordination(aff, ref, fs)
    assert m["xcorr_r"] > 0.999 and math.isclose(m["lag_s"], 0.1, abs_tol=1e-9)
    assert math.isclose(m["amplitude_ratio"], 0.5, rel_tol=0.01)
    assert math.isclose(m["symmetry_index_pct"], 100 * 0.5 / 0.75, rel_tol=0.01)  # §5 SI


def test_weight_shift_gates_never_backward_and_excursion() -> None:
    for d in ("lateral", "forward", "both"):
        assert all(g[1] >= 0 for g in gate_plan(d, 9))
    lean = np.array([[0.0, 0.0], [20.0, 5.0], [35.0, -3.0], [10.0, 0.0]])
    assert excursion_pct(lean, (1.0, 0.0)) == 35.0
    assert excursion_pct(lean, (-1.0, 0.0)) == 0.0


def test_weight_shift_never_beyond_los_even_with_override() -> None:
    ex, _, _ = run("marble-roll", 3.0, overrides={"excursion_pct": 150.0})
    assert max(abs(v) for v in ex.target_pct()) <= 100.0


def test_balance_levels_wait_for_the_chair_check() -> None:
    for level in ("stand-steady", "boat-steer"):
        ex, events, views = run(level, 12.0, select_at_s=None)
        assert not reps_of(events) and ex.awaiting_confirm
        assert views[-1]["confirm"]["icon"] == "chair" and "Chair or rail" in views[-1]["confirm"]["text"]
        assert ex.goal().kind == "rest"
        ex, events, _ = run(level, 14.0, select_at_s=2.0)
        assert any(isinstance(e, Feedback) and e.kind == "info" for e in events)
        outs = reps_of(events)
        assert outs and all(o.extra["chair_confirmed"] == 1.0 for o in outs)
        assert all(o.extra["chair_confirm_s"] >= 2.0 for o in outs)


def test_stance_hold_plan_and_foot_detection() -> None:
    assert hold_plan((3.0, 5.0), 4) == [3.0, 5.0, 5.0, 5.0]
    world = np.zeros((33, 4))
    world[P.L_ANKLE, 1], world[P.R_ANKLE, 1] = 0.88, 0.80  # right foot 8 cm up
    assert foot_lifted(world, "left") and not foot_lifted(world, "right")


def test_posture_closed_forms() -> None:
    world = np.zeros((33, 4))
    world[P.L_SHOULDER, :2], world[P.R_SHOULDER, :2] = (0.2, -0.5), (-0.2, -0.1)  # 45° tilt
    assert math.isclose(shoulder_tilt_deg(world), 45.0, abs_tol=1e-6)
    assert posture_state(12.0, 1.0, 10.0, 6.0) == "lean"
    assert posture_state(5.0, 7.0, 10.0, 6.0) == "shoulder"
    assert posture_state(5.0, 1.0, 10.0, 6.0) is None


def test_position_match_errors_are_signed_and_absolute() -> None:
    _, events, _ = run("match-leaf", 40.0)
    outs = reps_of(events)
    assert len(outs) == 3
    for o in outs:
        e = o.extra
        assert math.isclose(e["absolute_error_deg"], abs(e["signed_error_deg"]))
        assert math.isclose(e["signed_error_deg"], e["reproduced_deg"] - e["target_deg"])
    assert np.isfinite(outs[-1].extra["variable_error_deg"])


def _check_point(body, xy_norm, frame_size, limits) -> None:
    px = np.asarray(xy_norm) * np.asarray(frame_size)
    d = px - np.asarray(body.shoulder_px)
    assert np.hypot(*d) <= limits.max_reach_fraction * body.arm_px + 1e-6
    elev = math.degrees(math.atan2(abs(d[0]), d[1]))  # 0 = down, 90 = side
    assert elev <= min(limits.max_shoulder_abduction_deg, limits.max_shoulder_flexion_deg) + 1e-6


def test_targets_stay_inside_strict_limits() -> None:
    for level in ("trace-star-arc", "trace-figure8", "posture-sun", "match-moon"):
        ex, _, views = run(level, 25.0, limits=STRICT)
        pts = [t["xy"] for v in views for t in v["targets"]]
        pts += [p for v in views for p in v.get("path", [])]
        assert pts, level
        for p in pts:
            _check_point(ex._body, p, (1280, 720), STRICT)


def test_bilateral_shelf_inside_strict_limits() -> None:
    ex, _, views = run("bilateral-tray-high", 6.0, limits=STRICT)
    assert ex._shelf
    sim_w, sim_h = 1280, 720
    aff = ex._shelf["aff"] / np.array([sim_w, sim_h])
    _check_point(ex._body, aff, (sim_w, sim_h), STRICT)


def test_posture_cue_when_leaning() -> None:
    spec = load_all()["posture-flowers"]
    sim = SimulatedPatient(MILD, seed=1)
    frame = sim.poll(0.0)
    world = frame.world.copy()
    world[[P.L_SHOULDER, P.R_SHOULDER], 0] += 0.2  # 0.2 m sideways over 0.5 m: ~22° lean
    leaning = P.PoseFrame(0.0, frame.image, world)
    ctx = ExerciseContext("posture-flowers", "left", sim.frame_size, SafetyLimits(), np.random.default_rng(0))
    ex = make_exercise(spec, ctx)
    disp = display_pose(leaning.image, "left", sim.frame_size)
    events = []
    for k in range(60):
        events += ex.update(DT, Tracked(k * DT, leaning, disp))
    cues = [e for e in events if isinstance(e, Feedback) and e.kind == "cue"]
    assert [c.text for c in cues] == ["Sit tall"] and ex.view()["compensating"]
