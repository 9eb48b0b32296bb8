"""Sit-to-stand level type: stand up fully from the chair and sit down again, ``reps`` times.

Each rep: seated, the cue "Stand up" (arms crossed over the chest, or free to push on the
thighs on easy levels); standing counts once the hips are high (hip height above the ankles
at least ``stand_shanks`` shank lengths: hips and knees extended, docs/sources.md §6.7) and held
``hold_s``; then "Sit down"; the rep ends seated again (``sit_shanks`` or lower). A stand that
takes longer than the time limit is a miss (encouragement, never punishment). Front and side
views both work (the hip height is a ratio that reads the same from both).

The rep's numbers (time per stand, trunk lean at lift-off, use of the arms, sideways shift)
are computed afterwards from its frames (metrics.py). Safety: the chair question first, the
fall watch all along (game/leveltypes/common.py), guidance when the legs leave the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.standing import LegView, SitStill, StandingExercise


@dataclass(frozen=True)
class SitToStandParams:
    """Parameters of a sit-to-stand level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 20, help="stands")
    arms: str = param(
        "crossed", help="arms crossed over the chest, or free to push", choices=("crossed", "free")
    )
    time_limit_s: float = param(8.0, 2.0, 30.0, "s", "per stand, up and down again")
    hold_s: float = param(0.5, 0.0, 5.0, "s", "stand tall this long before sitting")
    rest_s: float = param(1.5, 0.0, 10.0, "s", "seated between stands")
    stand_shanks: float = param(1.8, 1.5, 2.0, "shank lengths", "hip height that counts as standing")
    sit_shanks: float = param(1.45, 1.1, 1.7, "shank lengths", "hip height that counts as seated")

    def __post_init__(self) -> None:
        if self.sit_shanks >= self.stand_shanks:
            raise ValueError("sit_shanks must be below stand_shanks")


@dataclass(frozen=True)
class StandUp:
    """Goal: stand up from the chair (arms "crossed" or "free")."""

    arms: str


@dataclass(frozen=True)
class SitDown:
    """Goal: sit down on the chair."""

    arms: str


@dataclass(frozen=True)
class StsRep:
    """A stand's own event data: what was asked."""

    arms: str
    stand_shanks: float
    sit_shanks: float


@dataclass(frozen=True)
class SitToStandView(LegView):
    """What a sit-to-stand level shows: the stands done, the hip height and the cue."""

    up: bool = False
    """Asked to stand (True) or to sit (False)."""
    height: float = 0.0
    """0 seated .. 1 standing, for the bar."""
    arms: str = "crossed"


class SitToStandExercise(StandingExercise):
    """A running sit-to-stand level."""

    BOTH_LEGS = False
    HEADROOM = True

    def __init__(self, params: SitToStandParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.time_limit_s = float(effective(params, ctx, "time_limit_s"))
        self._cue_t_s = 0.0
        self._held_s = 0.0

    def goal(self) -> object:
        shared = self._shared_goal()
        if shared is not None:
            return shared
        if self._phase in ("rising", "standing"):
            return (
                StandUp(self.p.arms)
                if self._phase == "rising" or self._held_s < self.p.hold_s
                else SitDown(self.p.arms)
            )
        if self._phase == "lowering":
            return SitDown(self.p.arms)
        return SitStill(self.p.arms)

    def view(self) -> SitToStandView:
        span = self.p.stand_shanks - self.p.sit_shanks
        height = (
            min(max((self.hip_h - self.p.sit_shanks) / span, 0.0), 1.0) if self.hip_h == self.hip_h else 0.0
        )
        time_left = (
            max(self.time_limit_s - self._phase_t_s, 0.0)
            if self._phase in ("rising", "standing", "lowering")
            else None
        )
        return SitToStandView(
            self._hud(time_left_s=time_left),
            **self._leg_view(),  # type: ignore[arg-type]
            up=self._phase in ("rising", "standing"),
            height=height,
            arms=self.p.arms,
        )

    def _begin(self) -> list[Event]:
        self._set_phase("seated")
        return [Feedback("cue", "Sit tall, feet flat")]

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        if self._phase == "seated":
            if self._rep >= self.reps:
                return self._finish()
            if self._phase_t_s >= self.p.rest_s and self.hip_h <= self.p.sit_shanks:
                self._set_phase("rising")
                self._cue_t_s, self._held_s = tracked.t_s, 0.0
                return [Feedback("cue", "Stand up")]
            return []
        if self._phase_t_s > self.time_limit_s:
            return self._miss(tracked)
        if self._phase == "rising" and self.hip_h >= self.p.stand_shanks:
            self._phase = "standing"
        if self._phase == "standing":
            self._held_s += dt_s
            if self._held_s >= self.p.hold_s:
                self._phase = "lowering"
                return [Feedback("cue", "Sit down")]
        if self._phase == "lowering" and self.hip_h <= self.p.sit_shanks:
            return self._done_rep(tracked, True)
        return []

    def _done_rep(self, tracked: Tracked, success: bool) -> list[Event]:
        detail = StsRep(self.p.arms, self.p.stand_shanks, self.p.sit_shanks)
        events = self._outcome(
            self._cue_t_s, tracked.t_s, success, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
        self._set_phase("seated")
        return events

    def _miss(self, tracked: Tracked) -> list[Event]:
        """Out of time: a miss, and the next stand starts from sitting (sit down first)."""
        events = self._done_rep(tracked, False)
        if self.hip_h > self.p.sit_shanks:
            events.append(Feedback("cue", "Take your time - sit down"))
        return events
