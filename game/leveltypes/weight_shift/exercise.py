"""Weight-shift level type (balance): steer a boat between buoys by leaning the trunk.

The boat follows the patient's lean, measured from their own upright start: standing, the
angle of the whole-body centre of gravity about the ankles (game.scoring.cog_lean_deg, the
angle limits of stability are defined on); seated (detected from the legs at the start,
game.leveltypes.common.standing), the trunk's lean (hip→shoulder axis from vertical). Gates
appear to the left, right or forward; holding the boat in a gate collects it. Zone size and
excursion are percentages of 8° (forward and to either side: the NeuroCom limits of stability,
docs/sources.md §6.3), or of the patient's own measured limit (per-patient override
``los_deg``); seated, 8° of trunk lean is only the board's scale. Excursion never exceeds 100 %;
backward leans (LOS 4.5°) are never asked. Reps record the maximum excursion towards the gate,
as ``los_excursion_pct`` (standing, §6.3) or ``trunk_lean_excursion_pct`` (seated: not a %LOS),
the fraction of time in the gate zone, and sway while holding (Prieto RMS, §6.2).

Safety: the level first asks "Chair or rail within reach?" and waits for a confirmation
(``handle_select`` or a hand dwell on the "yes" button); see game/leveltypes/common.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, Rest, Tracked, effective
from game.leveltypes.common import LOS_DEG, BalanceExercise, balance_lean_deg, standing
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import ConfirmView, LevelView, Point

BASELINE_S = 1.0
"""Upright reference is the mean lean over this long after the chair check."""
SETTLE_S = 1.2


@dataclass(frozen=True)
class WeightShiftParams:
    """Parameters of a weight-shift level (units in the names; ranges checked at load)."""

    reps: int = param(6, 1, 40, help="gates")
    directions: str = param("lateral", help="where gates appear", choices=("lateral", "forward", "both"))
    excursion_pct: float = param(40.0, 5.0, 100.0, "% LOS", "gate distance from upright")
    zone_pct: float = param(20.0, 5.0, 60.0, "% LOS", "gate radius")
    hold_s: float = param(1.5, 0.2, 10.0, "s", "hold in the gate to collect")
    time_limit_s: float = param(15.0, 3.0, 60.0, "s", "per gate")

    def __post_init__(self) -> None:
        if self.excursion_pct + self.zone_pct > 120.0:
            raise ValueError(
                "excursion_pct + zone_pct must stay within 120 % LOS "
                f"(got {self.excursion_pct} + {self.zone_pct})"
            )


def gate_plan(directions: str, n: int) -> list[tuple[float, float]]:
    """Unit directions (left, forward) of the gates: alternating, never backward."""
    cycle = {
        "lateral": [(1.0, 0.0), (-1.0, 0.0)],
        "forward": [(0.0, 1.0)],
        "both": [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)],
    }[directions]
    return [cycle[i % len(cycle)] for i in range(n)]


@dataclass(frozen=True)
class Lean:
    """Goal: lean (left, forward) by these angles in degrees: the whole-body centre of
    gravity about the ankles when ``standing``, else the trunk."""

    deg: tuple[float, float]
    standing: bool = False


@dataclass(frozen=True)
class GateView:
    """The current gate on the board: centre and radius in % LOS, and the hold."""

    pct: Point
    radius_pct: float
    progress: float


@dataclass(frozen=True)
class WeightShiftView(LevelView):
    """What a weight-shift level shows: the chair question, then the boat, its wake and gate."""

    confirm: ConfirmView | None = None
    phase: str = "confirm"
    pos_pct: Point = (0.0, 0.0)
    """The trunk (the boat) in % LOS (left, forward) from the upright start."""
    gate: GateView | None = None
    trail: tuple[Point, ...] = ()
    directions: str = "lateral"


@dataclass(frozen=True)
class WeightShiftRep:
    """A gate's own event data: the zone asked for and the upright reference it is measured from."""

    zero_deg: Point
    """Upright lean (left, forward) at the start, degrees."""
    los_deg: float
    """Limit of stability used, degrees (100 % LOS)."""
    target_pct: Point
    """Gate centre, % LOS (left, forward)."""
    zone_pct: float
    """Gate radius, % LOS."""
    direction: Point
    """Unit direction (left, forward) of the gate."""
    standing: bool = False
    """Standing: the lean is the whole-body centre of gravity's about the ankles (%LOS);
    seated: the trunk's (its excursion is not a %LOS)."""


class WeightShiftExercise(BalanceExercise):
    """A running weight-shift level."""

    def __init__(self, params: WeightShiftParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.los_deg = float(ctx.overrides.get("los_deg", LOS_DEG))
        self._gates = gate_plan(params.directions, self.reps)
        self._base: list[np.ndarray] = []
        """World poses of the baseline (upright) second."""
        self._standing = False
        self._zero = np.zeros(2)
        self._pos_pct = np.zeros(2)
        self._hold_s = 0.0
        self._cue_t_s = 0.0
        self._trail: list[tuple[float, float]] = []

    def target_pct(self) -> tuple[float, float]:
        """Current gate centre in % LOS (left, forward); capped at 100 % LOS."""
        k = min(self._rep, len(self._gates) - 1)
        g = self._gates[k]
        exc = min(float(effective(self.p, self.ctx, "excursion_pct")), 100.0)
        return (g[0] * exc, g[1] * exc)

    def goal(self) -> Lean | Rest:
        if self._phase == "gate":
            t = self.target_pct()
            return Lean((t[0] * self.los_deg / 100.0, t[1] * self.los_deg / 100.0), self._standing)
        return Rest()

    def view(self) -> WeightShiftView:
        gate, time_left_s = None, None
        if self._phase == "gate":
            gate = GateView(self.target_pct(), self.p.zone_pct, min(self._hold_s / self.p.hold_s, 1.0))
            time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0)
        return WeightShiftView(
            self._hud(time_left_s=time_left_s),
            confirm=self._confirm_view(),
            phase=self._phase,
            pos_pct=(float(self._pos_pct[0]), float(self._pos_pct[1])),
            gate=gate,
            trail=tuple(self._trail),
            directions=self.p.directions,
        )

    # -- internals ----------------------------------------------------------------------
    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._phase_t_s += dt_s
        if self._phase == "confirm":
            return self._ask_chair(dt_s, tracked, then="baseline")
        if self._phase == "baseline":
            self._base.append(np.asarray(tracked.raw.world, dtype=np.float64))
            if self._phase_t_s >= BASELINE_S:
                self._standing = standing(np.array(self._base))
                self._zero = np.nanmean(balance_lean_deg(np.array(self._base), self._standing), axis=0)
                return self._begin_gate(tracked)
            return []
        lean = balance_lean_deg(tracked.raw.world, self._standing)
        self._pos_pct = 100.0 * (lean - self._zero) / self.los_deg
        self._trail = (self._trail + [(float(self._pos_pct[0]), float(self._pos_pct[1]))])[-90:]
        if self._phase == "gate":
            return self._step_gate(dt_s, tracked)
        if self._phase == "settle" and self._phase_t_s >= SETTLE_S:
            return self._begin_gate(tracked)
        return []

    def _begin_gate(self, tracked: Tracked) -> list[Event]:
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
            return []
        self._phase, self._phase_t_s, self._hold_s = "gate", 0.0, 0.0
        self._cue_t_s = tracked.t_s
        return [Feedback("cue", N_("Lean gently toward the ring"))]

    def _step_gate(self, dt_s: float, tracked: Tracked) -> list[Event]:
        target = self.target_pct()
        inside = float(np.linalg.norm(self._pos_pct - np.array(target))) <= self.p.zone_pct
        self._hold_s = self._hold_s + dt_s if inside else max(self._hold_s - 0.5 * dt_s, 0.0)
        hit = self._hold_s >= self.p.hold_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return []
        direction = self._gates[min(self._rep, len(self._gates) - 1)]
        zero = (float(self._zero[0]), float(self._zero[1]))
        detail = WeightShiftRep(zero, self.los_deg, target, self.p.zone_pct, direction, self._standing)
        self._phase, self._phase_t_s = "settle", 0.0
        return self._outcome(
            self._cue_t_s, tracked.t_s, hit, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
