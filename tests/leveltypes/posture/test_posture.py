"""Posture level type: closed forms and the live cue."""

from __future__ import annotations

import math

import numpy as np

from game.levels import load_all
from game.leveltypes.base import ExerciseContext, SafetyLimits, Tracked
from game.leveltypes.events import Feedback
from game.leveltypes.posture.exercise import posture_state, shoulder_tilt_deg
from game.mirror import display_pose
from game.tracking import pose as P
from game.tracking.simulated import MILD, SimulatedPatient

DT = 1.0 / 60.0


def test_posture_closed_forms() -> None:
    world = np.zeros((33, 4))
    world[P.L_SHOULDER, :2], world[P.R_SHOULDER, :2] = (0.2, -0.5), (-0.2, -0.1)  # 45° tilt
    assert math.isclose(shoulder_tilt_deg(world), 45.0, abs_tol=1e-6)
    assert posture_state(12.0, 1.0, 10.0, 6.0) == "lean"
    assert posture_state(5.0, 7.0, 10.0, 6.0) == "shoulder"
    assert posture_state(5.0, 1.0, 10.0, 6.0) is None


def test_posture_cue_when_leaning() -> None:
    spec = load_all()["posture-flowers"]
    sim = SimulatedPatient(MILD, seed=1)
    frame = sim.poll(0.0)
    world = frame.world.copy()
    world[[P.L_SHOULDER, P.R_SHOULDER], 0] += 0.2  # 0.2 m sideways over 0.5 m: ~22° lean
    leaning = P.PoseFrame(0.0, frame.image, world)
    ctx = ExerciseContext("posture-flowers", "left", sim.frame_size, SafetyLimits(), np.random.default_rng(0))
    ex = spec.kind.exercise(spec.params, ctx)
    disp = display_pose(leaning.image, "left", sim.frame_size)
    events = []
    for k in range(60):
        events += ex.update(DT, Tracked(k * DT, leaning, disp))
    cues = [e for e in events if isinstance(e, Feedback) and e.kind == "cue"]
    assert [str(c.text) for c in cues] == ["Sit tall"] and ex.view().hud.compensating
