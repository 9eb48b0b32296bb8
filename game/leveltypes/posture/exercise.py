"""Posture level type (postural correction): sit tall with level shoulders during a light task.

The light task: water a few flowers close to the body (a short reach and hold). All the while
the game watches the trunk lean from vertical (hip→shoulder axis, game.scoring.trunk_lean_deg,
docs/sources.md §3 "trunk flexion angle") and shoulder hiking, measured as the tilt of the
shoulder line from horizontal. When either passes the therapist's threshold for longer than
``CUE_DELAY_S`` a live cue appears ("Sit tall" / "Shoulders down") with a gentle sound. Reps
record the fraction of time in the upright zone, the median trunk lean (deg), the largest
shoulder tilt (deg) and sway mean velocity of the trunk proxy (Prieto MVELO, §6.2). Flowers
are placed within the therapist's limits (reach fraction, shoulder elevation, §4.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, HandTo, Rest, Tracked, effective
from game.leveltypes.common import ExerciseBase, arm_point_px, to_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView, TargetView
from game.scoring.kinematics import trunk_lean_deg
from game.tracking import pose as P

CUE_DELAY_S = 0.5
"""Posture must be off for this long before a cue: no nagging about a passing wobble."""
SETTLE_S = 1.0


@dataclass(frozen=True)
class PostureParams:
    """Parameters of a posture level (units in the names; ranges checked at load time)."""

    reps: int = param(5, 1, 40, help="flowers to water")
    elevations_deg: tuple[float, ...] = param(
        [40.0, 70.0], 0.0, 150.0, "deg", "flower arm elevations: 0 = down, 90 = side"
    )
    reach_fraction: float = param(0.5, 0.2, 1.0, "× arm length", "flower distance")
    target_radius_norm: float = param(0.06, 0.02, 0.15, "× frame width", "flower size")
    dwell_s: float = param(1.5, 0.3, 8.0, "s", "hold on the flower")
    lean_threshold_deg: float = param(10.0, 3.0, 30.0, "deg", "trunk lean cue threshold")
    tilt_threshold_deg: float = param(6.0, 2.0, 20.0, "deg", "shoulder tilt cue threshold")
    time_limit_s: float = param(15.0, 3.0, 60.0, "s", "per flower")


def shoulder_tilt_deg(world: np.ndarray) -> np.ndarray:
    """Shoulder-line tilt from horizontal in the frontal plane, degrees (0 = level).

    World y points down, so the tilt is atan2(|Δy|, |Δx|) of right→left shoulder; hiking one
    shoulder raises it (§3 shoulder elevation compensation; design choice [M]).
    ``world`` is (..., 33, 4); the result is (...) float64."""
    w = np.asarray(world, dtype=np.float64)
    d = w[..., P.L_SHOULDER, :3] - w[..., P.R_SHOULDER, :3]
    return np.degrees(np.arctan2(np.abs(d[..., 1]), np.abs(d[..., 0]) + 1e-9))


def total_lean_deg(world: np.ndarray) -> np.ndarray:
    """Trunk lean from vertical in any direction, degrees (game.scoring.trunk_lean_deg),
    ``world`` (..., 33, 4) → (...)."""
    return np.asarray(trunk_lean_deg(np.asarray(world, dtype=np.float64)[..., :3])["total_deg"])


def posture_state(lean_deg: float, tilt_deg: float, lean_max_deg: float, tilt_max_deg: float) -> str | None:
    """Which cue is due: "lean" first (bigger fall risk), then "shoulder", or None."""
    if lean_deg > lean_max_deg:
        return "lean"
    if tilt_deg > tilt_max_deg:
        return "shoulder"
    return None


CUE_WORDS = {"lean": N_("Sit tall"), "shoulder": N_("Shoulders down")}


@dataclass(frozen=True)
class PostureView(LevelView):
    """What a posture level shows: the flower to water and the spirit level of the trunk."""

    targets: tuple[TargetView, ...] = ()
    phase: str = "ready"
    posture_cue: str | None = None
    """"lean" or "shoulder" while a cue is due, else None."""
    lean_deg: float = 0.0
    tilt_deg: float = 0.0
    lean_max_deg: float = 10.0
    tilt_max_deg: float = 6.0


@dataclass(frozen=True)
class PostureRep:
    """A flower's own event data: the thresholds the posture was held to."""

    lean_max_deg: float
    tilt_max_deg: float


class PostureExercise(ExerciseBase):
    """A running posture level."""

    def __init__(self, params: PostureParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.lean_max_deg = float(effective(params, ctx, "lean_threshold_deg"))
        self.tilt_max_deg = float(effective(params, ctx, "tilt_threshold_deg"))
        self._elev = list(np.resize(params.elevations_deg, self.reps))
        self._phase, self._phase_t_s = "ready", 0.0
        self._dwell_s = 0.0
        self._target: tuple[float, float] | None = None
        self._cue_t_s = 0.0
        self._off_s = 0.0
        self._cue: str | None = None
        self._lean_deg = 0.0
        self._tilt_deg = 0.0
        self._slipped = False
        """Posture left the upright zone during the current flower (the rep is compensated)."""

    def goal(self) -> HandTo | Rest:
        if self._phase == "task" and self._target is not None:
            return HandTo(self._norm(self._target))
        return Rest()

    def view(self) -> PostureView:
        targets: tuple[TargetView, ...] = ()
        if self._phase == "task" and self._target is not None:
            progress = min(self._dwell_s / self.p.dwell_s, 1.0)
            targets = (TargetView(self._norm(self._target), self.p.target_radius_norm, progress),)
        time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0) if self._phase == "task" else None
        return PostureView(
            self._hud(time_left_s=time_left_s, compensating=self._cue is not None),
            targets=targets,
            phase=self._phase,
            posture_cue=self._cue,
            lean_deg=self._lean_deg,
            tilt_deg=self._tilt_deg,
            lean_max_deg=self.lean_max_deg,
            tilt_max_deg=self.tilt_max_deg,
        )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._phase_t_s += dt_s
        world = tracked.raw.world
        self._lean_deg = float(total_lean_deg(world))
        self._tilt_deg = float(shoulder_tilt_deg(world))
        events = self._watch(dt_s)
        if self._phase == "ready" and self._phase_t_s >= 0.5:
            self._begin(tracked)
        elif self._phase == "task":
            self._slipped |= not (self._cue is None and self._off_s == 0.0)
            events += self._step_task(dt_s, tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S:
            if self._rep >= self.reps:
                self.done, self._phase = True, "done"
            else:
                self._begin(tracked)
        return events

    def _watch(self, dt_s: float) -> list[Event]:
        state = posture_state(self._lean_deg, self._tilt_deg, self.lean_max_deg, self.tilt_max_deg)
        self._off_s = self._off_s + dt_s if state else 0.0
        if state is None:
            self._cue = None
            return []
        if self._off_s >= CUE_DELAY_S and self._cue != state:
            self._cue = state
            return [Feedback("cue", CUE_WORDS[state])]
        return []

    def _begin(self, tracked: Tracked) -> None:
        assert self._body is not None
        self._target = arm_point_px(
            self._body, float(self._elev[self._rep]), self.p.reach_fraction, self.ctx.limits, self._sign
        )
        self._phase, self._phase_t_s, self._dwell_s = "task", 0.0, 0.0
        self._cue_t_s, self._slipped = tracked.t_s, False

    def _step_task(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._target is not None and self._hand is not None
        d = float(np.linalg.norm(to_px(self._hand, self.ctx.frame_size) - np.asarray(self._target)))
        inside = d <= self.p.target_radius_norm * self.ctx.frame_size[0]
        self._dwell_s = self._dwell_s + dt_s if inside else max(self._dwell_s - 0.5 * dt_s, 0.0)
        hit = self._dwell_s >= self.p.dwell_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return []
        target = self._norm(self._target)
        detail = PostureRep(self.lean_max_deg, self.tilt_max_deg)
        self._phase, self._phase_t_s, self._target = "settle", 0.0, None
        return self._outcome(
            self._cue_t_s, tracked.t_s, hit, target, compensated=self._slipped, detail=detail
        )
