"""Single-leg stance test, eyes open (Springer et al. 2007; docs/sources.md §6.5), guided.

The protocol: arms crossed over the chest, stand on one leg with the other foot lifted near,
not touching, the standing ankle, eyes open, looking ahead; timed from the lift until the foot
comes down (or the arms uncross, or the standing foot moves), at most 45 s; three tries, the
best counts. A foot counts as lifted while its ankle is 5 cm or more above the standing ankle,
with 100 ms persistence (the video rule of §6.5, game.scoring.single_leg_stance_s). The best
time is compared with the mean of the patient's age band (and sex, when known).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n import M_, N_
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.guided import GuidedParams, GuidedTest
from game.leveltypes.params import param
from game.leveltypes.stance.exercise import foot_lifted
from game.leveltypes.standing import StandStill
from game.tracking import pose as P
from game.tracking.pose import Side

LIFT_WAIT_S = 10.0
"""A try without a lift in this long counts as 0 s."""
DOWN_S = 0.1
"""The foot must be down this long to end a try (persistence, §6.5)."""
REST_S = 5.0
INSTRUCTIONS = (
    M_("Stand tall with a chair or rail within reach."),
    M_("Cross your arms over your chest."),
    M_("On GO, lift one foot so it is near, not touching, your other ankle."),
    M_("Look ahead and hold as long as you can (up to 45 seconds)."),
    M_("You get three tries. The best one counts."),
)


@dataclass(frozen=True)
class OneLegParams(GuidedParams):
    """Parameters of the single-leg stance test (the protocol fixes most of them)."""

    trials: int = param(3, 1, 3, help="tries (the best counts)")
    cap_s: float = param(45.0, 10.0, 60.0, "s", "longest timed stance")
    stance_leg: str = param("unaffected", help="the leg stood on", choices=("unaffected", "affected"))


@dataclass(frozen=True)
class LiftFootBehind:
    """Goal: arms crossed, lift the foot of the free leg near the standing ankle."""

    free_side: Side


@dataclass(frozen=True)
class OneLegRep:
    """The test's own event data: each try's window (pose clock), the standing leg, for whom."""

    trials: tuple[tuple[float, float], ...]
    stance_side: Side
    cap_s: float
    age_years: int
    sex: str


class OneLegTest(GuidedTest):
    """A running single-leg stance test."""

    TEST = "one_leg_stance"
    TITLE = M_("Single-leg stance")
    INSTRUCTIONS = INSTRUCTIONS
    START_STANDING = True

    def __init__(self, params: OneLegParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "age_years")), str(effective(params, ctx, "sex")))
        self.p = params
        aff = ctx.affected_side
        self.stance_side: Side = aff if params.stance_leg == "affected" else P.other_side(aff)
        self._trials: list[tuple[float, float]] = []
        self._times: list[float] = []
        self._stage = "lift"
        self._t0, self._lifted_s, self._down_s = 0.0, 0.0, 0.0

    def _test_goal(self) -> object:
        if self._stage in ("lift", "hold"):
            return LiftFootBehind(P.other_side(self.stance_side))
        return StandStill("crossed")

    def _start(self, tracked: Tracked) -> list[Event]:
        return self._new_try(tracked)

    def _new_try(self, tracked: Tracked) -> list[Event]:
        self._stage, self._t0, self._lifted_s, self._down_s = "lift", tracked.t_s, 0.0, 0.0
        return [Feedback("cue", f"Try {len(self._trials) + 1}: lift one foot")]

    def _run(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        up = foot_lifted(tracked.raw.world, self.stance_side)
        now = tracked.t_s - self._t0
        best = max(self._times, default=0.0)
        self.big = f"{self._lifted_s:.0f} s"
        self.small = N_("try {n} of {total} - best {best} s", n=len(self._trials) + 1, total=self.p.trials,
                        best=round(best))  # fmt: skip
        if self._stage == "rest":
            if now < REST_S:
                return []
            return self._new_try(tracked)
        if self._stage == "lift":
            if up:
                self._stage, self._t0 = "hold", tracked.t_s
            elif now > LIFT_WAIT_S:
                return self._end_try(tracked, 0.0)
            return []
        self._down_s = 0.0 if up else self._down_s + dt_s
        self._lifted_s = now
        if self._down_s >= DOWN_S or now >= self.p.cap_s:
            return self._end_try(tracked, min(now - self._down_s, self.p.cap_s))
        return []

    def _end_try(self, tracked: Tracked, held_s: float) -> list[Event]:
        self._trials.append((self._t0, tracked.t_s))
        self._times.append(held_s)
        if len(self._trials) >= self.p.trials:
            p = self.p
            detail = OneLegRep(
                tuple(self._trials), self.stance_side, p.cap_s, self.age or 0, self.sex or "unknown"
            )
            return self._report(max(self._times), tracked, detail)
        self._stage, self._t0 = "rest", tracked.t_s
        return [Feedback("cue", "Foot down - rest a moment")]
