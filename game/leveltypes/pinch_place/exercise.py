"""Pinch and place: pick a small berry between thumb and index finger, drop it in the basket.

One rep: a berry appears beside the hand shown on the affected side, within the therapist's
limits (game.leveltypes.common.arm_point_px: distance and arm elevation from the affected
shoulder). The patient brings that hand's pinch point (between the thumb and index tips) onto
the berry and pinches (thumb-index gap at most ``pinch_norm`` palm lengths): the berry is
held and follows the fingers. Opening them over the basket places it (success); opening them
elsewhere drops it back ("Pick it up again", counted). The target size is the adaptive
parameter (``target_radius_norm``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.i18n import N_, Msg
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.common import arm_point_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.hand_common import HandExercise, HandGoal, HandView, Point
from game.leveltypes.params import param
from game.mirror import reflect_point_norm
from game.scoring import hand as SH
from game.tracking import hands as H
from game.tracking.motor import Fingers

READY_S = 0.6
SETTLE_S = 0.8
RELEASE_MARGIN_NORM = 0.15
"""The fingers count as open again at ``pinch_norm`` + this (hysteresis: a shaky pinch does
not drop the berry)."""
AIM_STEP = 0.004
"""The simulated patient's aim is rounded to this (raw normalised): it re-plans only when the
aim really moved, not at every frame's jitter."""
PROMPTS: dict[str, Msg] = {"reach": N_("Pick the berry"), "carry": N_("Put it in the basket")}


@dataclass(frozen=True)
class PinchParams:
    """Parameters of a pinch-and-place level (units beside the values; checked when loaded)."""

    reps: int = param(4, 1, 40, help="berries")
    berry_elevations_deg: tuple[float, ...] = param(
        [25.0, 40.0], 0.0, 150.0, "deg", "berry arm elevations: 0 = down, 90 = side"
    )
    basket_elevation_deg: float = param(0.0, 0.0, 150.0, "deg", "basket arm elevation")
    reach_fraction: float = param(0.55, 0.2, 1.0, "× arm length", "berry distance")
    basket_reach_fraction: float = param(0.3, 0.1, 1.0, "× arm length", "basket distance")
    target_radius_norm: float = param(0.05, 0.02, 0.15, "× frame width", "berry and basket size")
    pinch_norm: float = param(0.35, 0.15, 0.8, "palm lengths", "thumb-index gap that holds the berry")
    time_limit_s: float = param(15.0, 3.0, 60.0, "s", "per berry")


@dataclass(frozen=True)
class PinchRep:
    """A berry's own event data: where the berry and basket were, what a pinch was, and what
    happened on the way (when it was picked, how often dropped)."""

    berry_xy: Point
    basket_xy: Point
    radius_norm: float
    pinch_norm: float
    t_pick_s: float
    """Pose-clock time of the last pick-up (NaN if never picked)."""
    drops: int


@dataclass(frozen=True)
class PinchView(HandView):
    """What a pinch level shows: the berry (where it lies or between the fingers), the basket."""

    berry: Point | None = None
    basket: Point | None = None
    radius: float = 0.05
    held: bool = False


class PinchExercise(HandExercise):
    """A running pinch-and-place level."""

    spatial = True

    def __init__(self, params: PinchParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.radius = float(effective(params, ctx, "target_radius_norm"))
        self.reach = float(effective(params, ctx, "reach_fraction"))
        self._elev = list(np.resize(params.berry_elevations_deg, self.reps))
        self._phase, self._phase_t_s = "ready", 0.0
        self._berry: Point | None = None
        self._basket: Point | None = None
        self._home: Point | None = None
        self._cursor: np.ndarray | None = None
        self._gap = math.nan
        self._aim: tuple[Point, Point] | None = None
        self._cue_t_s, self._t_pick_s, self._drops = 0.0, math.nan, 0

    def _fingers(self) -> Fingers:
        near = self._near(self._home if self._phase == "reach" else self._basket)
        if self._phase == "reach":
            return Fingers(pinch=1.0 if near else 0.0)
        if self._phase == "carry":
            return Fingers(pinch=0.0 if near else 1.0)
        return Fingers()

    def goal(self) -> HandGoal:  # type: ignore[override]
        goal = super().goal()
        if self._aim is None or not isinstance(goal, HandGoal) or self._phase not in ("reach", "carry"):
            return goal  # type: ignore[return-value]
        return HandGoal(self._fingers(), *self._aim)

    def _stage_points(self) -> np.ndarray | None:
        pts = [p for p in (self._home, self._basket) if p is not None]
        return np.array(pts) if pts else None

    def view(self) -> PinchView:
        active = self._phase in ("reach", "carry")
        return PinchView(
            self._hud(time_left_s=max(self.p.time_limit_s - self._phase_t_s, 0.0) if active else None),
            **self._hand_view(),  # type: ignore[arg-type]
            prompt=PROMPTS.get(self._phase),
            berry=self._berry if active else None,
            basket=self._basket,
            radius=self.radius,
            held=self._phase == "carry",
        )

    def _near(self, target: Point | None) -> bool:
        if target is None or self._cursor is None:
            return False
        w, h = self.ctx.frame_size
        d = math.hypot((self._cursor[0] - target[0]) * w, (self._cursor[1] - target[1]) * h)
        return d <= self.radius * w

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self.hands is not None and self.hands.shown is not None and tracked.raw is not None
        self._phase_t_s += dt_s
        shown = self.hands.shown
        self._cursor = 0.5 * (shown[H.THUMB_TIP, :2] + shown[H.INDEX_TIP, :2])
        self._gap = self.hands.measure(SH.pinch_aperture_norm)
        if self._phase == "ready" and self._phase_t_s >= READY_S:
            self._begin(tracked)
        elif self._phase in ("reach", "carry"):
            self._update_aim(tracked)
            return self._step_task(tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S and self._another_rep():
            self._begin(tracked)
        return []

    def _begin(self, tracked: Tracked) -> None:
        assert self._body is not None
        limits, body = self.ctx.limits, self._body
        berry = arm_point_px(body, float(self._elev[self._rep]), self.reach, limits, self._sign)
        basket = arm_point_px(
            body, self.p.basket_elevation_deg, self.p.basket_reach_fraction, limits, self._sign
        )
        self._home, self._basket = self._norm(berry), self._norm(basket)
        self._berry = self._home
        self._phase, self._phase_t_s = "reach", 0.0
        self._cue_t_s, self._t_pick_s, self._drops = tracked.t_s, math.nan, 0

    def _update_aim(self, tracked: Tracked) -> None:
        """Where the simulated patient should hold its hands so that the pinch point of the
        hand shown lands on the target: the target minus the pinch point's offset from the
        shown wrist, and the good hand at its reflection across the body midline."""
        assert self.hands is not None and self.hands.shown is not None and tracked.raw is not None
        target = self._home if self._phase == "reach" else self._basket
        assert target is not None and self._cursor is not None
        offset = self._cursor - self.hands.shown[H.WRIST, :2]
        aim = np.round((np.asarray(target) - offset) / AIM_STEP) * AIM_STEP
        good = reflect_point_norm(aim, tracked.raw.image, self.ctx.frame_size)
        self._aim = ((float(aim[0]), float(aim[1])), (float(good[0]), float(good[1])))

    def _step_task(self, tracked: Tracked) -> list[Event]:
        assert self._cursor is not None
        pinched = self._gap <= self.p.pinch_norm
        opened = self._gap > self.p.pinch_norm + RELEASE_MARGIN_NORM
        if self._phase == "reach" and pinched and self._near(self._home):
            self._phase, self._t_pick_s = "carry", tracked.t_s
        elif self._phase == "carry":
            self._berry = (float(self._cursor[0]), float(self._cursor[1]))
            if opened and self._near(self._basket):
                return self._finish(tracked, True)
            if opened:
                self._drops += 1
                self._phase, self._berry = "reach", self._home
                return [Feedback("miss", str(N_("Pick it up again")))]
        if self._phase_t_s >= self.p.time_limit_s:
            return self._finish(tracked, False)
        return []

    def _finish(self, tracked: Tracked, success: bool) -> list[Event]:
        assert self._home is not None and self._basket is not None
        detail = PinchRep(
            self._home, self._basket, self.radius, self.p.pinch_norm, self._t_pick_s, self._drops
        )
        self._phase, self._phase_t_s = "settle", 0.0
        return self._outcome(self._cue_t_s, tracked.t_s, success, self._basket, detail=detail)
