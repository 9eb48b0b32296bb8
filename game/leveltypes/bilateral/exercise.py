"""Bilateral level type: lift a tray with both hands and keep it level.

The tray rests between the unaffected hand and the patient's *real* affected hand; the
mirrored (virtual) arm shows where the affected hand should be. Lifting the tray onto the
shelf and holding it there collects it. Each lift is graded on bilateral coordination
(docs/sources.md §5): peak normalised cross-correlation of the two hands' heights and its
lag (metric 1, τ > 0: the affected hand lags), amplitude ratio affected / unaffected (metric 3)
and the symmetry index of the two vertical ranges (metric 4). A tilted tray gives a cue
("lift both hands together"), never a failure. Shelf heights are capped to the therapist's
limits for both arms (reach fraction and shoulder elevation, §4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, Rest, SafetyLimits, Tracked, effective
from game.leveltypes.common import ExerciseBase, elevation_cap_deg, to_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView, Point
from game.tracking import pose as P

TILT_CUE_S = 0.6
"""A tilt must last this long before the cue: a brief wobble is not worth a word."""
LOWER_S = 2.0
"""Time to lower the tray before the next lift (the end of the rep's recording window)."""


@dataclass(frozen=True)
class BilateralParams:
    """Parameters of a bilateral tray level (units in the names; ranges checked at load)."""

    reps: int = param(5, 1, 40, help="lifts")
    shelf_elevation_deg: float = param(
        60.0, 10.0, 150.0, "deg", "arm elevation at the shelf: 0 = down, 90 = side"
    )
    shelf_fraction: float = param(0.8, 0.3, 1.0, "× arm length", "hand distance from the shoulder")
    shelf_tolerance_norm: float = param(0.06, 0.02, 0.2, "× frame height", "shelf zone half-height")
    hold_s: float = param(1.0, 0.2, 5.0, "s", "hold on the shelf to collect")
    time_limit_s: float = param(12.0, 3.0, 60.0, "s", "per lift")
    tilt_cue_deg: float = param(15.0, 3.0, 45.0, "deg", "tray tilt that triggers the cue")


def shelf_point_px(
    shoulder_px: np.ndarray,
    arm_px: float,
    elevation_deg: float,
    fraction: float,
    side_out: float,
    limits: SafetyLimits,
) -> np.ndarray:
    """Where one hand holds the tray on the shelf (raw pixels), capped to the limits."""
    elev = math.radians(min(elevation_deg, elevation_cap_deg(limits)))
    r = min(fraction, limits.max_reach_fraction) * arm_px
    return np.asarray(shoulder_px, dtype=np.float64) + r * np.array(
        [side_out * math.sin(elev), math.cos(elev)]
    )


@dataclass(frozen=True)
class Lift:
    """Goal: both hands to the shelf, the affected one to ``affected_xy``, the other to
    ``unaffected_xy`` (raw-image normalised)."""

    affected_xy: tuple[float, float]
    unaffected_xy: tuple[float, float]


@dataclass(frozen=True)
class ShelfView:
    """The shelf to lift the tray onto: its height, its ends, its tolerance band and the hold."""

    y: float
    x: tuple[float, float]
    tol: float
    """Half-height of the band, × frame height."""
    progress: float


@dataclass(frozen=True)
class BilateralView(LevelView):
    """What a bilateral level shows: the tray between the hands, the shelf and the tilt."""

    phase: str = "ready"
    tilt_deg: float = 0.0
    tilt_cue_deg: float = 15.0
    tray: tuple[Point, Point] | None = None
    """(unaffected end, affected end) of the tray."""
    shelf: ShelfView | None = None


@dataclass(frozen=True)
class BilateralRep:
    """A lift's own event data."""

    tilt_cued: bool
    """The "lift both hands together" cue was given during the lift."""


class BilateralExercise(ExerciseBase):
    """A running bilateral tray level."""

    def __init__(self, params: BilateralParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self._phase, self._phase_t_s = "ready", 0.0
        self._hold_s = 0.0
        self._cue_t_s = 0.0
        self._tilt_s = 0.0
        self._cued = False
        self._success = False
        self._shelf: dict[str, np.ndarray] = {}
        self._ends: tuple[np.ndarray, np.ndarray] | None = None  # (unaffected, real affected)

    def goal(self) -> Lift | Rest:
        if self._phase == "lift" and self._shelf:
            aff, ref = self._shelf["aff"], self._shelf["ref"]
            return Lift(self._norm((aff[0], aff[1])), self._norm((ref[0], ref[1])))
        return Rest()

    def _tilt_deg(self) -> float:
        if self._ends is None:
            return 0.0
        ref, aff = self._ends
        d = aff - ref
        return float(np.degrees(np.arctan2(-d[1], abs(d[0]) + 1e-9)))  # > 0: affected end higher

    def view(self) -> BilateralView:
        tray = None
        if self._ends is not None:
            ref, aff = self._ends
            tray = (self._norm((ref[0], ref[1])), self._norm((aff[0], aff[1])))
        shelf, time_left_s = None, None
        if self._shelf and self._phase == "lift":
            w, h = self.ctx.frame_size
            y = 0.5 * (self._shelf["aff"][1] + self._shelf["ref"][1]) / h
            xs = (self._shelf["aff"][0] / w, self._shelf["ref"][0] / w)
            progress = min(self._hold_s / self.p.hold_s, 1.0)
            shelf = ShelfView(y, xs, self.p.shelf_tolerance_norm, progress)
            time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0)
        hud = self._hud(time_left_s=time_left_s)
        return BilateralView(hud, self._phase, self._tilt_deg(), self.p.tilt_cue_deg, tray, shelf)

    def _hands(self, tracked: Tracked) -> None:
        assert tracked.raw is not None
        aff = self.ctx.affected_side
        img = tracked.raw.image
        self._ends = (
            to_px(img[P.shoulder_elbow_wrist(P.other_side(aff))[2], :2], self.ctx.frame_size),
            to_px(img[P.shoulder_elbow_wrist(aff)[2], :2], self.ctx.frame_size),
        )

    def _plan_shelf(self, tracked: Tracked) -> None:
        assert tracked.raw is not None and self._body is not None
        img = tracked.raw.image
        for key, side in (("aff", self.ctx.affected_side), ("ref", P.other_side(self.ctx.affected_side))):
            sh = to_px(img[P.shoulder_elbow_wrist(side)[0], :2], self.ctx.frame_size)
            side_out = 1.0 if side == "left" else -1.0  # patient's left = larger raw x
            self._shelf[key] = shelf_point_px(
                sh,
                self._body.arm_px,
                self.p.shelf_elevation_deg,
                self.p.shelf_fraction,
                side_out,
                self.ctx.limits,
            )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        self._hands(tracked)
        if self._phase == "ready" and self._phase_t_s >= 0.5:
            self._begin_lift(tracked)
            return [Feedback("cue", N_("Lift the tray!"))]
        if self._phase == "lift":
            return self._step_lift(dt_s, tracked)
        if self._phase == "lower" and self._phase_t_s >= LOWER_S:
            return self._finish(tracked)
        return []

    def _begin_lift(self, tracked: Tracked) -> None:
        self._plan_shelf(tracked)
        self._phase, self._phase_t_s, self._hold_s = "lift", 0.0, 0.0
        self._cue_t_s, self._cued, self._tilt_s, self._success = tracked.t_s, False, 0.0, False

    def _step_lift(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._ends is not None
        events: list[Event] = []
        shelf_y = 0.5 * (self._shelf["aff"][1] + self._shelf["ref"][1])
        tol_px = self.p.shelf_tolerance_norm * self.ctx.frame_size[1]
        # The leading (unaffected) hand carries the tray onto the shelf; the affected hand's
        # share shows in the tilt and the coordination metrics, not as a failure.
        on = abs(self._ends[0][1] - shelf_y) <= tol_px or self._ends[0][1] < shelf_y
        self._hold_s = self._hold_s + dt_s if on else max(self._hold_s - 0.5 * dt_s, 0.0)
        self._tilt_s = self._tilt_s + dt_s if abs(self._tilt_deg()) > self.p.tilt_cue_deg else 0.0
        if self._tilt_s >= TILT_CUE_S and not self._cued:
            self._cued = True
            events.append(Feedback("cue", N_("Lift both hands together")))
        if self._hold_s >= self.p.hold_s or self._phase_t_s >= self.p.time_limit_s:
            self._success = self._hold_s >= self.p.hold_s
            self._phase, self._phase_t_s = "lower", 0.0
        return events

    def _finish(self, tracked: Tracked) -> list[Event]:
        target = self._norm((self._shelf["aff"][0], self._shelf["aff"][1]))
        detail = BilateralRep(self._cued)
        events = self._outcome(self._cue_t_s, tracked.t_s, self._success, target, detail=detail)
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
        else:
            self._begin_lift(tracked)
            events.append(Feedback("cue", N_("Lift the tray!")))
        return events
