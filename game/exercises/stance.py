"""Stand-steady / single-leg stance level type (balance): keep the body inside a zone.

Each rep asks the patient to keep the trunk inside a calm zone (a circle of ``zone_pct`` of the
limits of stability, 8° forward and sideways, clinical_metrics.md §6.3) for a growing duration,
optionally on one leg. The clock runs only while inside the zone (and, for single-leg reps,
while the free foot is lifted), so wobbling costs time, never points. A live sway trace shows
the last seconds of lateral lean. Reps record the hold time, the longest single-leg stance
(§6.5 video rule via game.scoring.single_leg_stance_s: free ankle ≥ 5 cm above the stance
ankle, 100 ms persistence) and Prieto sway of the CoM proxy (§6.1–6.2). Springer et al. 2007
norms (§6.5) make 5–10 s a sensible first goal for older adults.

Safety: the level ALWAYS first asks "Chair or rail within reach?" and waits for a
confirmation (``handle_select`` or a hand dwell on the "yes" button); the confirmation is
stored in every rep (``chair_confirmed``, ``chair_confirm_s``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.exercises.base import Event, ExerciseContext, Feedback, Tracked, effective
from game.exercises.common import LOS_DEG, ChairCheck, ExerciseBase, lean_deg, sway_of, to_px
from game.levels import param
from game.tracking import pose as P
from game.tracking.pose import Goal

LIFT_M = 0.05
"""Free ankle this far above the stance ankle counts as lifted (§6.5 detection rule)."""
GET_READY_S = 2.0
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


def foot_lifted(world: np.ndarray, stance_side: str, lift_m: float = LIFT_M) -> bool:
    """True when the free ankle is ``lift_m`` above the stance ankle (world y is down)."""
    stance = P.L_ANKLE if stance_side == "left" else P.R_ANKLE
    free = P.R_ANKLE if stance == P.L_ANKLE else P.L_ANKLE
    d = float(world[stance, 1] - world[free, 1])
    return math.isfinite(d) and d >= lift_m


class StanceExercise(ExerciseBase):
    """A running stance level."""

    params_type = StanceParams

    def __init__(self, params: StanceParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.chair = ChairCheck()
        self._holds = hold_plan(params.hold_s, self.reps)
        aff = ctx.affected_side
        self.stance_side = aff if params.stance_leg == "affected" else P.other_side(aff)
        self._phase, self._phase_t_s = "confirm", 0.0
        self._zero: np.ndarray | None = None
        self._pos_pct = np.zeros(2)
        self._held_s = 0.0
        self._cue_t_s = 0.0
        self._trace: list[float] = []
        self._world_log: list[np.ndarray] = []
        self._inside_log: list[bool] = []
        self._t_log: list[float] = []
        self._free_ankle: np.ndarray | None = None
        self._dt_s = 1.0 / 60.0

    @property
    def awaiting_confirm(self) -> bool:
        return self.chair.awaiting

    def handle_select(self) -> None:
        """Confirm that a chair or rail is within reach (one key)."""
        self.chair.press()

    def goal(self) -> Goal | None:
        if self.p.single_leg and self._phase == "hold" and self._free_ankle is not None:
            w, h = self.ctx.frame_size
            return Goal("foot", (float(self._free_ankle[0]) / w, float(self._free_ankle[1]) / h - 0.08))
        return Goal("rest")

    def _hold_target_s(self) -> float:
        return self._holds[min(self._rep, len(self._holds) - 1)]

    def _view(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "confirm": self.chair.view(self.ctx),
            "phase": self._phase,
            "pos_pct": (float(self._pos_pct[0]), float(self._pos_pct[1])),
            "zone_pct": self.p.zone_pct,
            "trace": list(self._trace),
            "single_leg": self.p.single_leg,
            "hold": None,
        }
        if self._phase == "hold":
            target = self._hold_target_s()
            out["hold"] = {
                "held_s": self._held_s,
                "target_s": target,
                "progress": min(self._held_s / target, 1.0),
            }
            out["time_left_s"] = max(target + self.p.grace_s - self._phase_t_s, 0.0)
        return out

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._dt_s = dt_s
        self._phase_t_s += dt_s
        if self._phase == "confirm":
            events = self.chair.update(dt_s, tracked.t_s, self._hand, self.ctx)
            if self.chair.confirmed:
                self._phase, self._phase_t_s = "ready", 0.0
                events.append(Feedback("cue", "Stand tall and steady"))
            return events
        lean = lean_deg(tracked.raw.world)
        if self._zero is None:
            self._zero = lean
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
        self._cue_t_s, self._world_log, self._inside_log = tracked.t_s, [], []
        self._t_log = []
        return [Feedback("cue", "Lift one foot" if self.p.single_leg else "Hold steady")]

    def _step_hold(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        inside = float(np.linalg.norm(self._pos_pct)) <= self.p.zone_pct
        lifted = not self.p.single_leg or foot_lifted(tracked.raw.world, self.stance_side)
        self._world_log.append(tracked.raw.world.copy())
        self._t_log.append(tracked.raw.t_s)
        self._inside_log.append(inside)
        if inside and lifted:
            self._held_s += dt_s
        target = self._hold_target_s()
        if self._held_s < target and self._phase_t_s < target + self.p.grace_s:
            return []
        return self._finish_hold(tracked, self._held_s >= target)

    def _finish_hold(self, tracked: Tracked, success: bool) -> list[Event]:
        from game.scoring import com_proxy_m, single_leg_stance_s

        world = np.array(self._world_log, dtype=np.float64)
        fs = 1.0 / self._dt_s
        sway = sway_of(np.array(self._t_log), com_proxy_m(world, base="ankles"))
        extra = {
            "hold_s": self._held_s,
            "hold_target_s": self._hold_target_s(),
            "time_in_zone_frac": float(np.mean(self._inside_log)),
            "sway_rms_m": sway["rms_m"],
            "sway_mean_velocity_m_s": sway["mean_velocity_m_s"],
            "ellipse95_area_m2": sway["ellipse95_area_m2"],
            **self.chair.extra(),
        }
        if self.p.single_leg:
            extra["single_leg_stance_s"] = float(single_leg_stance_s(world, fs, self.stance_side))
        self._phase, self._phase_t_s = "rest", 0.0
        events = self._outcome(self._cue_t_s, tracked.t_s, success, extra=extra)
        events.append(Feedback("cue", "Rest - hold the chair if you like"))
        return events
