"""Stand-steady / single-leg stance level type (balance): keep the body inside a zone.

Each rep asks the patient to keep the body inside a calm zone (a circle of ``zone_pct`` of the
limits of stability, 8° forward and sideways, docs/sources.md §6.3, on the angle of the
whole-body centre of gravity about the ankles; the trunk's lean if the patient is seated)
for a growing duration,
optionally on one leg. The clock runs only while inside the zone (and, for single-leg reps,
while the free foot is lifted), so wobbling costs time, never points. A live sway trace shows
the last seconds of lateral lean. Reps record the hold time, the longest single-leg stance
(§6.5 video rule via game.scoring.single_leg_stance_s: free ankle ≥ 5 cm above the stance
ankle, 100 ms persistence) and Prieto sway of the CoM proxy (§6.1–6.2). Springer et al. 2007
norms (§6.5) make 5–10 s a sensible first goal for older adults.

Safety: the level ALWAYS first asks "Chair or rail within reach?" and waits for a
confirmation (``handle_select`` or a hand dwell on the "yes" button); the confirmation is
carried by every rep (``RepOutcome.chair_confirm_s``) and stored with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, Rest, Tracked, effective
from game.leveltypes.common import LOS_DEG, BalanceExercise, balance_lean_deg, standing, to_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.standing import GUIDANCE, StepBack, view_problem
from game.leveltypes.views import ConfirmView, LevelView, Point
from game.tracking import pose as P
from game.tracking.pose import Side

LIFT_M = 0.05
"""Free ankle this far above the stance ankle counts as lifted (§6.5 detection rule)."""
GET_READY_S = 3.0
"""After the chair question: time to stand up and settle; the upright lean is measured at its end."""
REST_S = 2.5
TRACE_S = 5.0
"""Length of the live sway trace, seconds."""


@dataclass(frozen=True)
class StanceParams:
    """Parameters of a stance level (units in the names; ranges checked at load time)."""

    reps: int = param(3, 1, 20, help="holds")
    hold_s: tuple[float, ...] = param(
        [5.0, 8.0, 10.0], 1.0, 60.0, "s", "hold durations, growing (repeats the last)"
    )
    single_leg: bool = param(False, help="lift one foot during the hold")
    stance_leg: str = param("unaffected", help="the leg stood on", choices=("unaffected", "affected"))
    zone_pct: float = param(40.0, 10.0, 100.0, "% LOS", "calm-zone radius")
    grace_s: float = param(10.0, 0.0, 60.0, "s", "extra time allowed beyond the hold")

    def __post_init__(self) -> None:
        if not self.hold_s:
            raise ValueError("hold_s needs at least one duration")


def hold_plan(hold_s: tuple[float, ...], reps: int) -> list[float]:
    """Hold durations per rep: the list in order, then its last value repeated."""
    return [float(hold_s[min(i, len(hold_s) - 1)]) for i in range(reps)]


def feet_lifted(world: np.ndarray, stance_side: str, lift_m: float = LIFT_M) -> np.ndarray:
    """Per frame: the free ankle ``lift_m`` above the stance ankle (world y is down).

    ``world`` is (..., 33, 4); the result is (...) bool (False where an ankle is missing)."""
    stance = P.L_ANKLE if stance_side == "left" else P.R_ANKLE
    free = P.R_ANKLE if stance == P.L_ANKLE else P.L_ANKLE
    w = np.asarray(world, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.asarray(w[..., stance, 1] - w[..., free, 1] >= lift_m)


def foot_lifted(world: np.ndarray, stance_side: str, lift_m: float = LIFT_M) -> bool:
    """True when the free ankle is ``lift_m`` above the stance ankle in one pose (33, 4)."""
    return bool(feet_lifted(world, stance_side, lift_m))


@dataclass(frozen=True)
class LiftFoot:
    """Goal: lift the foot nearest ``xy``'s raw x to the image height ``xy[1]`` (standing)."""

    xy: Point


@dataclass(frozen=True)
class StandTall:
    """Goal: stand up and stay standing (after the chair question)."""


@dataclass(frozen=True)
class HoldView:
    """The current hold: seconds held (inside the zone), seconds asked for, progress."""

    held_s: float
    target_s: float
    progress: float


@dataclass(frozen=True)
class StanceView(LevelView):
    """What a stance level shows: the chair question, then the calm zone, the trunk, the hold
    clock and the live sway trace."""

    confirm: ConfirmView | None = None
    phase: str = "confirm"
    pos_pct: Point = (0.0, 0.0)
    zone_pct: float = 40.0
    trace: tuple[float, ...] = ()
    """Lateral lean in % LOS over the last TRACE_S seconds, oldest first."""
    single_leg: bool = False
    hold: HoldView | None = None
    guidance: str | None = None
    """"Step back so I can see your feet" while the legs are out of the picture (the level waits)."""


@dataclass(frozen=True)
class StanceRep:
    """A hold's own event data: the zone, the time asked for, the stance leg."""

    zero_deg: Point
    """Upright lean (left, forward) when the level started, degrees."""
    zone_pct: float
    hold_target_s: float
    stance_side: Side
    single_leg: bool
    standing: bool = True
    """Standing: the lean is the whole-body centre of gravity's about the ankles (a %LOS);
    seated (legs seen at hip height): the trunk's."""


class StanceExercise(BalanceExercise):
    """A running stance level."""

    def __init__(self, params: StanceParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self._holds = hold_plan(params.hold_s, self.reps)
        aff = ctx.affected_side
        self.stance_side = aff if params.stance_leg == "affected" else P.other_side(aff)
        self._zero: np.ndarray | None = None
        self._standing = True
        self._pos_pct = np.zeros(2)
        self._held_s = 0.0
        self._cue_t_s = 0.0
        self._trace: list[float] = []
        self._free_ankle: np.ndarray | None = None
        self.guidance: str | None = None

    def goal(self) -> LiftFoot | StandTall | StepBack | Rest:
        if self.guidance is not None:
            return StepBack(stand=True)
        if self.p.single_leg and self._phase == "hold" and self._free_ankle is not None:
            w, h = self.ctx.frame_size
            return LiftFoot((float(self._free_ankle[0]) / w, float(self._free_ankle[1]) / h - 0.08))
        return Rest() if self._phase == "confirm" else StandTall()

    def _hold_target_s(self) -> float:
        return self._holds[min(self._rep, len(self._holds) - 1)]

    def view(self) -> StanceView:
        hold, time_left_s = None, None
        if self._phase == "hold":
            target = self._hold_target_s()
            hold = HoldView(self._held_s, target, min(self._held_s / target, 1.0))
            time_left_s = max(target + self.p.grace_s - self._phase_t_s, 0.0)
        return StanceView(
            self._hud(time_left_s=time_left_s),
            confirm=self._confirm_view(),
            phase=self._phase,
            pos_pct=(float(self._pos_pct[0]), float(self._pos_pct[1])),
            zone_pct=self.p.zone_pct,
            trace=tuple(self._trace),
            single_leg=self.p.single_leg,
            hold=hold,
            guidance=self.guidance,
        )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._phase_t_s += dt_s
        if self._phase == "confirm":
            events = self._ask_chair(dt_s, tracked, then="ready")
            return events + [Feedback("cue", N_("Stand tall and steady"))] if self.chair.confirmed else events
        problem = view_problem(tracked.raw, both_legs=True)  # the feet are measured: keep them in view
        self.guidance = GUIDANCE[problem] if problem is not None else None
        if self.guidance is not None:
            self._phase_t_s -= dt_s  # the level waits, its clock too
            return []
        if self._zero is None or self._phase == "ready":  # upright once standing and settled
            self._standing = standing(tracked.raw.world)
            self._zero = balance_lean_deg(tracked.raw.world, self._standing)
        lean = balance_lean_deg(tracked.raw.world, self._standing)
        self._pos_pct = 100.0 * (lean - self._zero) / LOS_DEG
        self._trace = (self._trace + [float(self._pos_pct[0])])[-int(TRACE_S / dt_s) :]
        if self._phase == "ready" and self._phase_t_s >= GET_READY_S:
            return self._begin_hold(tracked)
        if self._phase == "hold":
            return self._step_hold(dt_s, tracked)
        if self._phase == "rest" and self._phase_t_s >= REST_S:
            if self._rep >= self.reps:
                self.done, self._phase = True, "done"
                return []
            return self._begin_hold(tracked)
        return []

    def _begin_hold(self, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        free = P.R_ANKLE if self.stance_side == "left" else P.L_ANKLE
        self._free_ankle = to_px(tracked.raw.image[free, :2], self.ctx.frame_size)
        self._phase, self._phase_t_s, self._held_s = "hold", 0.0, 0.0
        self._cue_t_s = tracked.t_s
        return [Feedback("cue", N_("Lift one foot") if self.p.single_leg else N_("Hold steady"))]

    def _step_hold(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        inside = float(np.linalg.norm(self._pos_pct)) <= self.p.zone_pct
        lifted = not self.p.single_leg or foot_lifted(tracked.raw.world, self.stance_side)
        if inside and lifted:
            self._held_s += dt_s
        target = self._hold_target_s()
        if self._held_s < target and self._phase_t_s < target + self.p.grace_s:
            return []
        return self._finish_hold(tracked, self._held_s >= target)

    def _finish_hold(self, tracked: Tracked, success: bool) -> list[Event]:
        assert self._zero is not None
        zero = (float(self._zero[0]), float(self._zero[1]))
        detail = StanceRep(
            zero, self.p.zone_pct, self._hold_target_s(), self.stance_side, self.p.single_leg, self._standing
        )
        self._phase, self._phase_t_s = "rest", 0.0
        events = self._outcome(
            self._cue_t_s, tracked.t_s, success, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
        events.append(Feedback("cue", N_("Rest - hold the chair if you like")))
        return events
