"""The running shrug exercise: each rep, lift both shoulders ``lift_m`` and hold, then lower.

The shoulders' height is measured live from the world landmarks as the mid-shoulder point's
rise above the mid-hip point (world y points down), from its level at rest before the rep.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.leveltypes.base import ExerciseContext, Rest, Tracked, effective
from game.leveltypes.common import ExerciseBase
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView
from game.tracking import pose as P

READY_S = 1.0
"""Rest before the first rep: the shoulders' resting height is measured then."""
DOWN_S = 1.5
"""Time to lower the shoulders before the next rep."""


@dataclass(frozen=True)
class ShrugParams:
    """Parameters of a shrug level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 30, help="shrugs")
    lift_m: float = param(0.03, 0.01, 0.08, "m", "shoulder rise asked for")
    hold_s: float = param(0.5, 0.1, 5.0, "s", "hold the shoulders up")
    time_limit_s: float = param(8.0, 2.0, 30.0, "s", "per shrug")


@dataclass(frozen=True)
class Shrug:
    """Goal: raise both shoulders by ``lift_m``."""

    lift_m: float


@dataclass(frozen=True)
class ShrugView(LevelView):
    """What a shrug level shows: how far the shoulders are up, against how far asked."""

    phase: str = "ready"
    rise_m: float = 0.0
    lift_m: float = 0.03
    progress: float = 0.0


@dataclass(frozen=True)
class ShrugRep:
    """A shrug's own event data: the rise it asked for."""

    lift_m: float


def shoulder_rise_m(world: np.ndarray) -> float:
    """Height of the mid-shoulder point above the mid-hip point, metres (world y is down)."""
    w = np.asarray(world, dtype=np.float64)
    hips = 0.5 * (w[P.L_HIP, 1] + w[P.R_HIP, 1])
    return float(hips - 0.5 * (w[P.L_SHOULDER, 1] + w[P.R_SHOULDER, 1]))


class ShrugExercise(ExerciseBase):
    """A running shrug level."""

    def __init__(self, params: ShrugParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self._phase, self._phase_t_s = "ready", 0.0
        self._rest: list[float] = []
        self._zero = 0.0
        self._rise_m = 0.0
        self._hold_s = 0.0
        self._cue_t_s = 0.0

    def goal(self) -> Shrug | Rest:
        return Shrug(self.p.lift_m) if self._phase == "up" else Rest()

    def view(self) -> ShrugView:
        up = self._phase == "up"
        time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0) if up else None
        progress = min(self._hold_s / self.p.hold_s, 1.0) if up else 0.0
        return ShrugView(
            self._hud(time_left_s=time_left_s), self._phase, self._rise_m, self.p.lift_m, progress
        )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._phase_t_s += dt_s
        height = shoulder_rise_m(tracked.raw.world)
        if self._phase == "ready":
            self._rest.append(height)
            if self._phase_t_s < READY_S:
                return []
            self._zero = float(np.median(self._rest))
            return self._begin(tracked)
        self._rise_m = height - self._zero
        if self._phase == "up":
            return self._step_up(dt_s, tracked)
        if self._phase == "down" and self._phase_t_s >= DOWN_S:
            return self._begin(tracked)
        return []

    def _begin(self, tracked: Tracked) -> list[Event]:
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
            return []
        self._phase, self._phase_t_s, self._hold_s = "up", 0.0, 0.0
        self._cue_t_s = tracked.t_s
        return [Feedback("cue", "Shoulders up!")]

    def _step_up(self, dt_s: float, tracked: Tracked) -> list[Event]:
        up = self._rise_m >= self.p.lift_m
        self._hold_s = self._hold_s + dt_s if up else max(self._hold_s - 0.5 * dt_s, 0.0)
        hit = self._hold_s >= self.p.hold_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return []
        self._phase, self._phase_t_s = "down", 0.0
        events = self._outcome(self._cue_t_s, tracked.t_s, hit, detail=ShrugRep(self.p.lift_m))
        return events + [Feedback("cue", "And down")]
