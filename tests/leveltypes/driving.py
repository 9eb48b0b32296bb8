"""Driving one exercise with the simulated patient at a fixed step (test helper).

The exercise sees what the play screen would give it (raw pose, displayed pose); the frames
are recorded in the session's recorder and each finished rep is scored by its level type's
metrics module through the session's one scoring path (game.session.scoring.score_rep).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.levels import load_all
from game.leveltypes.base import Exercise, ExerciseContext, SafetyLimits, Tracked
from game.leveltypes.events import Event, RepOutcome
from game.leveltypes.views import LevelView
from game.mirror import display_pose
from game.session.scoring import score_rep
from game.tracking.recorder import Recorder, Recording
from game.tracking.simulated import MILD, PatientModel, SimulatedPatient

DT = 1.0 / 60.0


@dataclass
class Driven:
    """What one run produced: the exercise, its events and views, and each rep's metrics."""

    exercise: Exercise
    events: list[Event] = field(default_factory=list)
    views: list[LevelView] = field(default_factory=list)
    metrics: list[dict[str, float]] = field(default_factory=list)
    goals: list[object] = field(default_factory=list)
    """What the exercise asked of the patient at every step."""
    recording: Recording | None = None
    """Every raw frame the exercise saw (the session recorder's)."""

    @property
    def reps(self) -> list[RepOutcome]:
        return [e for e in self.events if isinstance(e, RepOutcome)]


def drive(
    level_id: str,
    seconds: float,
    limits: SafetyLimits | None = None,
    select_at_s: float | None = 1.0,
    overrides: dict | None = None,
    model: PatientModel = MILD,
    seed: int = 2,
    gain: float = 0.0,
    parts: frozenset[str] | None = None,
) -> Driven:
    """Drive one shipped level's exercise with the simulated patient (asked for the parts the
    level needs, as the play screen asks, and shown with shared-control ``gain``); score its reps."""
    spec = load_all()[level_id]
    sim = SimulatedPatient(model, seed=seed)
    sim.request_parts(spec.kind.parts if parts is None else parts)  # as the play screen asks the tracker
    ctx = ExerciseContext(
        level_id, model.affected_side, sim.frame_size, limits or SafetyLimits(), np.random.default_rng(0),
        overrides=overrides or {},
    )  # fmt: skip
    out = Driven(spec.kind.exercise(spec.params, ctx))
    recorder, frame, t = Recorder(), None, 0.0
    for _ in range(int(seconds / DT)):
        f = sim.poll(t)
        if f is not None:
            frame = f
            recorder.append(f)
        side, size = model.affected_side, sim.frame_size
        disp = display_pose(frame.image, side, size, gain) if frame is not None else None
        new = out.exercise.update(DT, Tracked(t, frame, disp, gain))
        out.events += new
        for rep in (e for e in new if isinstance(e, RepOutcome)):
            out.metrics.append(
                score_rep(
                    spec.kind,
                    rep,
                    recorder.recording(),
                    affected_side=model.affected_side,
                    frame_size=sim.frame_size,
                    arm_m=model.arm_m,
                    gain=gain,
                    earlier=out.metrics,
                )  # fmt: skip
            )
        if select_at_s is not None and t >= select_at_s and out.exercise.awaiting_confirm:
            out.exercise.handle_select()
        out.goals.append(out.exercise.goal())
        sim.set_goal(spec.kind.simulate(out.goals[-1]))
        out.views.append(out.exercise.view())
        t += DT
        if out.exercise.done:
            break
    out.recording = recorder.recording()
    return out
