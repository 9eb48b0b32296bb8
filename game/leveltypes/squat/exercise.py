"""Squat level type: bend both knees to a depth the therapist allows, then stand up again.

Each rep: standing, the cue "Bend your knees" with a gauge of the knee bend (0 = straight) and
the goal line; once the mean knee flexion of the legs seen reaches the goal (5° tolerance) and
is held ``hold_s``, "Stand up"; the rep ends with the knees nearly straight again. The goal is
``depth_deg`` (or the therapist's / the staircase's squat depth) but **never more than the
therapist's max knee bend** (SafetyLimits.max_knee_flexion_deg), and going more than 10° past
the limit brings "Not so deep". The rep's numbers (depth reached, knee valgus from the front,
trunk lean, heel rise) are computed afterwards from its frames (metrics.py).

Safety: chair or rail within reach first, then the fall watch (game/leveltypes/common.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.standing import LegView, StandingExercise, StandStill, knee_flexion

TOLERANCE_DEG = 5.0
"""The goal counts as reached within this many degrees (MediaPipe knee angles are good to
about 5-15°, docs/sources.md §4.3)."""
STRAIGHT_DEG = 20.0
"""Knees straighter than this: standing up again."""
TOO_DEEP_DEG = 10.0
"""Going this far past the therapist's limit brings a gentle "Not so deep"."""


@dataclass(frozen=True)
class SquatParams:
    """Parameters of a squat level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 20, help="squats")
    depth_deg: float = param(45.0, 10.0, 120.0, "deg", "knee bend asked (0 = straight); capped by the limit")
    hold_s: float = param(0.5, 0.0, 5.0, "s", "hold at the bottom")
    time_limit_s: float = param(8.0, 2.0, 30.0, "s", "per squat")
    rest_s: float = param(1.5, 0.0, 10.0, "s", "standing between squats")


@dataclass(frozen=True)
class SquatDown:
    """Goal: bend both knees to ``knee_deg``."""

    knee_deg: float


@dataclass(frozen=True)
class SquatRep:
    """A squat's own event data: the depth asked (after the limit) and the limit."""

    depth_deg: float
    limit_deg: float


@dataclass(frozen=True)
class SquatView(LegView):
    """What a squat level shows: the knee bend against the goal and the limit."""

    knee_deg: float = 0.0
    target_deg: float = 45.0
    limit_deg: float = 90.0
    down: bool = False
    hold: float = 0.0


class SquatExercise(StandingExercise):
    """A running squat level."""

    START_STANDING = True

    def __init__(self, params: SquatParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.limit_deg = float(ctx.limits.max_knee_flexion_deg)
        self.target_deg = min(float(effective(params, ctx, "depth_deg")), self.limit_deg)
        self.knee_deg = float("nan")
        self._held_s = 0.0
        self._cue_t_s = 0.0
        self._warned = False

    def goal(self) -> object:
        shared = self._shared_goal()
        if shared is not None:
            return shared
        if self._phase == "down" and self._held_s < self.p.hold_s:
            return SquatDown(self.target_deg)
        return StandStill()

    def view(self) -> SquatView:
        moving = self._phase in ("down", "up")
        return SquatView(
            self._hud(time_left_s=max(self.p.time_limit_s - self._phase_t_s, 0.0) if moving else None),
            **self._leg_view(),  # type: ignore[arg-type]
            knee_deg=self.knee_deg,
            target_deg=self.target_deg,
            limit_deg=self.limit_deg,
            down=self._phase == "down",
            hold=min(self._held_s / self.p.hold_s, 1.0) if self.p.hold_s > 0 else 1.0,
        )

    def _begin(self) -> list[Event]:
        self._set_phase("ready")
        return [Feedback("cue", "Feet flat, stand tall")]

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self.knee_deg = knee_flexion(tracked.raw)
        events: list[Event] = []
        if self.knee_deg > self.limit_deg + TOO_DEEP_DEG and not self._warned:
            self._warned = True
            events.append(Feedback("compensation", "Not so deep"))
        if self._phase == "ready":
            if self._rep >= self.reps:
                return self._finish()
            if self._phase_t_s >= self.p.rest_s and self.knee_deg <= STRAIGHT_DEG:
                self._set_phase("down")
                self._cue_t_s, self._held_s, self._warned = tracked.t_s, 0.0, False
                events.append(Feedback("cue", "Bend your knees"))
            return events
        if self._phase_t_s > self.p.time_limit_s:
            return events + self._end_rep(tracked, False)
        if self._phase == "down":
            reached = self.knee_deg >= self.target_deg - TOLERANCE_DEG
            self._held_s = self._held_s + dt_s if reached else self._held_s
            if self._held_s >= self.p.hold_s:
                self._phase = "up"
                events.append(Feedback("cue", "Stand up"))
        elif self._phase == "up" and self.knee_deg <= STRAIGHT_DEG:
            events += self._end_rep(tracked, True)
        return events

    def _end_rep(self, tracked: Tracked, success: bool) -> list[Event]:
        detail = SquatRep(self.target_deg, self.limit_deg)
        events = self._outcome(
            self._cue_t_s, tracked.t_s, success, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
        self._set_phase("ready")
        return events
