"""Weight-shift level type (balance): steer a boat between buoys by leaning the trunk.

The boat follows the trunk lean (hip→shoulder axis from vertical, measured from the patient's
own upright start). Gates appear to the left, right or forward; holding the boat in a gate
collects it. Zone size and excursion are percentages of the limits of stability (LOS): 8°
forward and 8° to either side by default (NeuroCom convention, clinical_metrics.md §6.3), or
the patient's own measured LOS (per-patient override ``los_deg``). Excursion never exceeds
100 % LOS; backward leans (LOS 4.5°) are never asked. Reps record the maximum excursion
towards the gate in % LOS (§6.3), the fraction of time in the gate zone, and sway of the
trunk proxy while holding (Prieto RMS, §6.2).

Safety: the level first asks "Chair or rail within reach?" and waits for a confirmation
(``handle_select`` or a hand dwell on the "yes" button); see game/exercises/common.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.exercises.base import Event, ExerciseContext, Feedback, Tracked, effective
from game.exercises.common import LOS_DEG, ChairCheck, ExerciseBase, lean_deg, sway_of
from game.levels import param
from game.tracking.pose import Goal

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


def excursion_pct(lean_pct: np.ndarray, direction: tuple[float, float]) -> float:
    """Largest lean along ``direction`` in % LOS (§6.3 maximum excursion); lean_pct (T, 2)."""
    d = np.asarray(lean_pct, dtype=np.float64) @ np.asarray(direction, dtype=np.float64)
    d = d[np.isfinite(d)]
    return float(max(np.max(d), 0.0)) if len(d) else math.nan


class WeightShiftExercise(ExerciseBase):
    """A running weight-shift level."""

    params_type = WeightShiftParams

    def __init__(self, params: WeightShiftParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.los_deg = float(ctx.overrides.get("los_deg", LOS_DEG))
        self.chair = ChairCheck()
        self._gates = gate_plan(params.directions, self.reps)
        self._phase, self._phase_t_s = "confirm", 0.0
        self._base: list[np.ndarray] = []
        self._zero = np.zeros(2)
        self._pos_pct = np.zeros(2)
        self._hold_s = 0.0
        self._cue_t_s = 0.0
        self._log: list[np.ndarray] = []
        self._hold_log: list[np.ndarray] = []
        self._trail: list[tuple[float, float]] = []
        self._dt_s = 1.0 / 60.0

    # -- confirmation (the play scene forwards SELECT; the demo autopilot presses it) -----
    @property
    def awaiting_confirm(self) -> bool:
        return self.chair.awaiting

    def handle_select(self) -> None:
        """Confirm that a chair or rail is within reach (one key)."""
        self.chair.press()

    # -- protocol -----------------------------------------------------------------------
    def target_pct(self) -> tuple[float, float]:
        """Current gate centre in % LOS (left, forward); capped at 100 % LOS."""
        k = min(self._rep, len(self._gates) - 1)
        g = self._gates[k]
        exc = min(float(effective(self.p, self.ctx, "excursion_pct")), 100.0)
        return (g[0] * exc, g[1] * exc)

    def goal(self) -> Goal | None:
        if self._phase == "gate":
            t = self.target_pct()
            return Goal("lean", (t[0] * self.los_deg / 100.0, t[1] * self.los_deg / 100.0))
        return Goal("rest")

    def _view(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "confirm": self.chair.view(self.ctx),
            "phase": self._phase,
            "pos_pct": (float(self._pos_pct[0]), float(self._pos_pct[1])),
            "gate": None,
            "trail": list(self._trail),
            "directions": self.p.directions,
        }
        if self._phase == "gate":
            out["gate"] = {
                "pct": self.target_pct(),
                "radius_pct": self.p.zone_pct,
                "progress": min(self._hold_s / self.p.hold_s, 1.0),
            }
            out["time_left_s"] = max(self.p.time_limit_s - self._phase_t_s, 0.0)
        return out

    # -- internals ----------------------------------------------------------------------
    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._dt_s = dt_s
        self._phase_t_s += dt_s
        if self._phase == "confirm":
            events = self.chair.update(dt_s, tracked.t_s, self._hand, self.ctx)
            if self.chair.confirmed:
                self._phase, self._phase_t_s = "baseline", 0.0
            return events
        lean = lean_deg(tracked.raw.world)
        if self._phase == "baseline":
            self._base.append(lean)
            if self._phase_t_s >= BASELINE_S:
                self._zero = np.nanmean(np.array(self._base), axis=0)
                return self._begin_gate(tracked)
            return []
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
        self._cue_t_s, self._log, self._hold_log = tracked.t_s, [], []
        return [Feedback("cue", "Lean to steer the boat")]

    def _step_gate(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        from game.scoring import com_proxy_m

        target = np.array(self.target_pct())
        inside = float(np.linalg.norm(self._pos_pct - target)) <= self.p.zone_pct
        self._log.append(self._pos_pct.copy())
        if inside:
            self._hold_log.append(
                np.array([tracked.raw.t_s, *com_proxy_m(tracked.raw.world[None], base="hips")[0]])
            )
        self._hold_s = self._hold_s + dt_s if inside else max(self._hold_s - 0.5 * dt_s, 0.0)
        hit = self._hold_s >= self.p.hold_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return []
        return self._finish_gate(tracked, hit, target)

    def _finish_gate(self, tracked: Tracked, hit: bool, target: np.ndarray) -> list[Event]:
        log = np.array(self._log)
        direction = self._gates[min(self._rep, len(self._gates) - 1)]
        inside = np.linalg.norm(log - target, axis=-1) <= self.p.zone_pct
        hold = np.array(self._hold_log).reshape(-1, 3)
        sway_rms = sway_of(hold[:, 0], hold[:, 1:])["rms_m"]
        extra = {
            "los_excursion_pct": excursion_pct(log, direction),
            "time_in_zone_frac": float(np.mean(inside)) if len(inside) else math.nan,
            "sway_rms_m": sway_rms,
            "target_pct": float(np.linalg.norm(target)),
            "los_deg": self.los_deg,
            **self.chair.extra(),
        }
        self._phase, self._phase_t_s = "settle", 0.0
        return self._outcome(self._cue_t_s, tracked.t_s, hit, extra=extra)
