"""The mouth-opening level never asks past the therapist's limit, and measures the opening and the
chin's deviation and deflection of a simulated jaw built to open straight, to deviate and come
back, or to deflect (game/tracking/sim_face.py)."""

from __future__ import annotations

import numpy as np
import pytest

from game.levels import load_all
from game.leveltypes.base import ExerciseContext, SafetyLimits, Tracked
from game.leveltypes.events import Feedback, RepOutcome
from game.leveltypes.mouth_opening.exercise import MouthOpen, MouthOpeningView
from game.session.scoring import score_rep
from game.tracking.motor import Motor
from game.tracking.recorder import Recorder
from game.tracking.sim_face import FaceModel
from game.tracking.simulated import PatientModel, SimulatedPatient
from tests.leveltypes.driving import DT, drive

FACE = frozenset({"body", "face"})


def test_the_level_never_asks_past_the_limit_and_the_jaw_stops_there() -> None:
    limit = 12.3  # below the level's own 25 mm target
    capped = drive("jaw-wider", 45.0, limits=SafetyLimits(max_mouth_opening_mm=limit))
    asked = [g.target_mm for g in capped.goals if isinstance(g, MouthOpen)]
    shown = [v for v in capped.views if isinstance(v, MouthOpeningView)]
    assert asked and max(asked) <= limit
    assert max(max(v.target_mm, v.hold_target_mm) for v in shown) <= limit
    assert len(capped.reps) == 5 and all(r.success for r in capped.reps)
    for m in capped.metrics:
        assert m["opening_target_mm"] == m["opening_limit_mm"] == limit
        assert m["peak_mouth_opening_mm"] == pytest.approx(limit, abs=1.0)
        assert m["opening_past_limit_mm"] < 0.5
    free = drive("jaw-wider", 45.0)  # the therapist's default limit (30 mm) lets the level ask 25
    assert max(g.target_mm for g in free.goals if isinstance(g, MouthOpen)) == 25.0
    assert np.median([m["peak_mouth_opening_mm"] for m in free.metrics]) == pytest.approx(25.0, abs=1.0)


def test_opening_past_the_limit_is_cued_at_once_and_recorded() -> None:
    spec = load_all()["jaw-gentle"]
    sim = SimulatedPatient(seed=1)
    sim.request_parts(FACE)
    ctx = ExerciseContext("jaw-gentle", "left", sim.frame_size, SafetyLimits(max_mouth_opening_mm=12.0),
                          np.random.default_rng(0))  # fmt: skip
    exercise = spec.kind.exercise(spec.params, ctx)
    recorder, events, t, frame = Recorder(), [], 0.0, None
    while not any(isinstance(e, RepOutcome) for e in events) and t < 30.0:
        f = sim.poll(t)
        if f is not None:
            frame = f
            recorder.append(f)
        events += exercise.update(DT, Tracked(t, frame, None if frame is None else frame.image))
        goal = exercise.goal()  # the patient opens wide whenever asked to open at all
        sim.set_goal(Motor(face={"jaw_open_mm": 20.0}) if isinstance(goal, MouthOpen) else None)
        t += DT
    assert Feedback("compensation", "Not so wide") in events
    rep = next(e for e in events if isinstance(e, RepOutcome))
    m = score_rep(
        spec.kind, rep, recorder.recording(), affected_side="left", frame_size=sim.frame_size, arm_m=0.56
    )
    assert m["opening_past_limit_mm"] == pytest.approx(20.0 - 12.0, abs=1.0)


@pytest.mark.parametrize(
    ("pattern", "shift_mm"), [("straight", 0.0), ("deviation", -4.0), ("deflection", 4.0)]
)
def test_deviation_and_deflection_of_the_chin(pattern: str, shift_mm: float) -> None:
    jaw = "deviation" if pattern == "deviation" else "deflection"
    model = PatientModel(face=FaceModel(max_opening_mm=25.0, jaw_shift_mm=shift_mm, jaw_pattern=jaw))  # type: ignore[arg-type]
    metrics = drive("jaw-wider", 45.0, model=model).metrics
    assert len(metrics) == 5
    dev = np.median([m["jaw_deviation_mm"] for m in metrics])
    defl = np.median([m["jaw_deflection_mm"] for m in metrics])
    expected_defl = shift_mm if pattern == "deflection" else 0.0
    assert dev == pytest.approx(shift_mm, abs=0.6) and defl == pytest.approx(expected_defl, abs=0.6)
    assert all(m["abs_jaw_deviation_mm"] == pytest.approx(abs(m["jaw_deviation_mm"])) for m in metrics)
