"""Marching (stepping in place): lift the knees in turn to a beat, a walking proxy for a living room.

Each rep is a bout of ``steps`` steps. A beat at ``cadence_spm`` (steps per minute, slowed or
sped by the therapist's speed setting) names the knee to lift, left and right in turn; a step
counts when a knee rises at least half the asked height above where it was standing
(``lift_cm``, world landmarks, relative to the mid-hip) and comes down again (hysteresis, so
a wobble never counts twice). The bout ends when the steps are done or its time runs out.
The knee lift asked never needs more knee bend than the therapist allows (a knee lifted with
the shank vertical bends as much as the thigh rises: lift = thigh x (1 - cos angle)).

Per side the peak lift of each step, the cadence and the symmetry of the two sides are computed
afterwards from the frames (metrics.py). Safety: chair or rail first, the fall watch all along.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.standing import LegView, StandingExercise, StandStill
from game.scoring.lower_limb import knee_height_m
from game.tracking.pose import VISIBLE, Side

THIGH_M = 0.45
"""Adult thigh length used to keep a lift within the knee limit (hip to knee, metres)."""
BASELINE_S = 1.0
"""Standing still this long before the first bout gives each knee's resting height."""
UP, DOWN = 0.5, 0.25
"""A knee counts as lifted above UP x the asked lift, and as down again below DOWN x."""


@dataclass(frozen=True)
class MarchParams:
    """Parameters of a marching level (units in the names; ranges checked at load time)."""

    reps: int = param(2, 1, 10, help="bouts")
    steps: int = param(10, 4, 60, help="steps per bout")
    cadence_spm: float = param(60.0, 30.0, 120.0, "steps/min", "beat of the steps")
    lift_cm: float = param(10.0, 3.0, 30.0, "cm", "knee lift asked")
    rest_s: float = param(3.0, 0.0, 30.0, "s", "standing between bouts")


@dataclass(frozen=True)
class LiftKnee:
    """Goal: lift this knee ``lift_m`` (standing on the other leg)."""

    side: Side
    lift_m: float


@dataclass(frozen=True)
class MarchRep:
    """A bout's own event data: what was asked and the knees' resting heights."""

    steps: int
    cadence_spm: float
    lift_m: float
    rest_height_m: tuple[float, float]
    """(left, right) knee height above the mid-hip standing still, metres (world, y up)."""


@dataclass(frozen=True)
class MarchView(LegView):
    """What a marching level shows: the side of the beat, each knee's lift against the goal."""

    beat_side: str = "left"
    lift_cm: tuple[float, float] = (0.0, 0.0)
    goal_cm: float = 10.0
    steps: int = 0
    steps_total: int = 10
    marching: bool = False


def max_lift_m(limit_deg: float) -> float:
    """Largest knee lift the therapist's knee limit allows with the shank vertical."""
    return THIGH_M * (1.0 - math.cos(math.radians(min(limit_deg, 90.0))))


class MarchExercise(StandingExercise):
    """A running marching level."""

    START_STANDING = True

    def __init__(self, params: MarchParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.lift_m = min(params.lift_cm / 100.0, max_lift_m(ctx.limits.max_knee_flexion_deg))
        self.cadence_spm = float(effective(params, ctx, "cadence_spm"))
        self.beat_s = 60.0 / self.cadence_spm
        self._rest: list[np.ndarray] = []
        self._base = np.array([np.nan, np.nan])
        self._lift = np.zeros(2)
        self._up = [False, False]
        self._steps = 0
        self._cue_t_s = 0.0
        self._bout_t_s = 0.0

    def _beat_side(self) -> Side:
        return "left" if int(self._bout_t_s / self.beat_s) % 2 == 0 else "right"

    def goal(self) -> object:
        shared = self._shared_goal()
        if shared is not None:
            return shared
        if self._phase == "march" and (self._bout_t_s % self.beat_s) < 0.55 * self.beat_s:
            return LiftKnee(self._beat_side(), self.lift_m)
        return StandStill()

    def view(self) -> MarchView:
        marching = self._phase == "march"
        limit = self.p.steps * self.beat_s * 1.5 + 3.0
        return MarchView(
            self._hud(time_left_s=max(limit - self._bout_t_s, 0.0) if marching else None),
            **self._leg_view(),  # type: ignore[arg-type]
            beat_side=self._beat_side(),
            lift_cm=(100.0 * float(self._lift[0]), 100.0 * float(self._lift[1])),
            goal_cm=100.0 * self.lift_m,
            steps=self._steps,
            steps_total=self.p.steps,
            marching=marching,
        )

    def _begin(self) -> list[Event]:
        self._set_phase("baseline")
        return [Feedback("cue", "Stand tall and still")]

    def _knees(self, tracked: Tracked) -> np.ndarray:
        assert tracked.raw is not None
        w = tracked.raw.world[:, :3].astype(np.float64)
        w[tracked.raw.world[:, 3] < VISIBLE] = np.nan
        return np.array([knee_height_m(w, "left"), knee_height_m(w, "right")])

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        knees = self._knees(tracked)
        if self._phase == "baseline":
            self._rest.append(knees)
            if self._phase_t_s < BASELINE_S:
                return []
            self._base = np.nanmedian(np.array(self._rest), axis=0)
            return self._start_bout(tracked)
        self._lift = np.nan_to_num(knees - self._base)
        if self._phase == "rest":
            if self._rep >= self.reps:
                return self._finish()
            return self._start_bout(tracked) if self._phase_t_s >= self.p.rest_s else []
        return self._step_bout(dt_s, tracked)

    def _start_bout(self, tracked: Tracked) -> list[Event]:
        self._set_phase("march")
        self._cue_t_s, self._bout_t_s, self._steps, self._up = tracked.t_s, 0.0, 0, [False, False]
        return [Feedback("cue", "March on the spot")]

    def _step_bout(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._bout_t_s += dt_s
        for i in (0, 1):
            if not self._up[i] and self._lift[i] >= UP * self.lift_m:
                self._up[i] = True
                self._steps += 1
            elif self._up[i] and self._lift[i] <= DOWN * self.lift_m:
                self._up[i] = False
        done = self._steps >= self.p.steps
        if not done and self._bout_t_s < self.p.steps * self.beat_s * 1.5 + 3.0:
            return []
        base = (float(self._base[0]), float(self._base[1]))
        detail = MarchRep(self.p.steps, self.cadence_spm, self.lift_m, base)
        events = self._outcome(
            self._cue_t_s, tracked.t_s, done, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
        self._set_phase("rest")
        return events
