"""Controlled mouth opening along the midline (temporomandibular disorders): follow a target that
opens the mouth to a set width and closes it again, keeping the chin on the midline.

Each rep: the target (a marker on a gauge beside the face) opens smoothly from closed to the
level's ``target_mm`` over ``rise_s`` (a minimum-jerk profile), waits until the opening has
been held within ``tolerance_mm`` of it for ``dwell_s`` (the adaptive parameter) or
``time_limit_s`` has passed, then closes over ``rise_s``. The patient sees the own face (no
mirror: a deviating jaw is to be seen and corrected) with the midline drawn through it and the
chin's sideways shift from the closed position.

Safety: the target is capped at the therapist's limit (``SafetyLimits.max_mouth_opening_mm``):
no goal and no view ever asks for a wider opening. Opening past the limit anyway is met with
"Not so wide" at once and stored with the rep (``opening_past_limit_mm``).

The opening is the gap between the inner lips on the midline in millimetres, scaled by the
iris (game.scoring.face.mouth_opening_mm): the proxy of the inter-incisal opening.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.i18n import _
from game.leveltypes.base import ExerciseContext, Rest, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.facial import READY_S, RELAX_S, FaceExercise, FaceLevelView
from game.leveltypes.params import param
from game.scoring import face as FM

PAST_LIMIT_MARGIN_MM = 2.0
"""Opening this far past the limit cues "Not so wide" (about the opening's noise, docs/
validation.md §11, so a still mouth at the limit is not told off)."""


@dataclass(frozen=True)
class MouthOpeningParams:
    """Parameters of a mouth-opening level (units in the names; ranges checked at load time)."""

    reps: int = param(4, 1, 20, help="openings")
    target_mm: float = param(20.0, 5.0, 60.0, "mm", "opening asked for (never past the therapist's limit)")
    rise_s: float = param(2.0, 0.5, 8.0, "s", "time the target takes to open, and to close")
    dwell_s: float = param(1.0, 0.3, 8.0, "s", "hold at the target")
    tolerance_mm: float = param(4.0, 1.0, 10.0, "mm", "how near the target counts as on it")
    time_limit_s: float = param(8.0, 2.0, 30.0, "s", "to reach and hold the target")


@dataclass(frozen=True)
class MouthOpen:
    """Goal: open the mouth to ``target_mm`` (never more than the limit)."""

    target_mm: float


@dataclass(frozen=True)
class MouthOpeningView(FaceLevelView):
    """What a mouth-opening level shows: the gauge with the target, the opening, the limit and
    the chin's sideways shift from the closed position."""

    phase: str = "ready"
    opening_mm: float = 0.0
    target_mm: float = 0.0
    hold_target_mm: float = 0.0
    limit_mm: float = 30.0
    tolerance_mm: float = 4.0
    shift_mm: float = 0.0
    progress: float = 0.0


@dataclass(frozen=True)
class OpeningRep:
    """A mouth opening's own event data: what was asked, the limit, when the hold ran."""

    target_mm: float
    limit_mm: float
    hold_t0_s: float
    hold_t1_s: float


def min_jerk(frac: float) -> float:
    """Minimum-jerk position profile 0..1 (Flash & Hogan 1985) at ``frac`` of the movement."""
    x = min(max(frac, 0.0), 1.0)
    return x**3 * (10.0 - 15.0 * x + 6.0 * x**2)


class MouthOpeningExercise(FaceExercise):
    """A running mouth-opening level (module doc)."""

    def __init__(self, params: MouthOpeningParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.limit_mm = float(ctx.limits.max_mouth_opening_mm)
        self.hold_target_mm = min(float(effective(params, ctx, "target_mm")), self.limit_mm)
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        self._phase, self._phase_t_s = "ready", 0.0
        self._hold_s = 0.0
        self._cue_t_s = self._hold_t0_s = self._hold_t1_s = 0.0
        self._hit = False
        self._warned = False
        self._opening_mm = 0.0
        self._closed_x_mm: list[float] = []
        self._shift_mm = 0.0

    def target_mm(self) -> float:
        """The target opening now: 0 at rest, rising, held, falling; never past the limit."""
        f = self._phase_t_s / self.p.rise_s
        level = {"open": min_jerk(f), "hold": 1.0, "close": 1.0 - min_jerk(f)}.get(self._phase, 0.0)
        return min(level * self.hold_target_mm, self.limit_mm)

    def goal(self) -> MouthOpen | Rest:
        if self._phase in ("open", "hold", "close"):
            return MouthOpen(math.floor(self.target_mm() * 2.0) / 2.0)  # 0.5 mm steps, never up
        return Rest()

    def view(self) -> MouthOpeningView:
        active = self._phase in ("open", "hold", "close")
        time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0) if self._phase == "hold" else None
        return MouthOpeningView(
            self._hud(time_left_s=time_left_s),
            half_face=False,
            weak_side=self.weak,
            turned=self.turned,
            phase=self._phase,
            opening_mm=self._opening_mm,
            target_mm=self.target_mm() if active else 0.0,
            hold_target_mm=self.hold_target_mm,
            limit_mm=self.limit_mm,
            tolerance_mm=self.p.tolerance_mm,
            shift_mm=self._shift_mm,
            progress=min(self._hold_s / self.dwell_s, 1.0) if self._phase == "hold" else 0.0,
        )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        events = self._measure()
        if self._phase in ("ready", "rest"):
            wait = READY_S if self._phase == "ready" else RELAX_S
            return events + (self._begin(tracked) if self._phase_t_s >= wait else [])
        if self._phase == "open" and self._phase_t_s >= self.p.rise_s:
            self._phase, self._phase_t_s, self._hold_t0_s = "hold", 0.0, tracked.t_s
        elif self._phase == "hold":
            events += self._step_hold(dt_s, tracked)
        elif self._phase == "close" and self._phase_t_s >= self.p.rise_s:
            self._phase, self._phase_t_s = "rest", 0.0
            detail = OpeningRep(self.hold_target_mm, self.limit_mm, self._hold_t0_s, self._hold_t1_s)
            events += self._outcome(self._cue_t_s, tracked.t_s, self._hit, detail=detail)
        return events

    def _measure(self) -> list[Event]:
        coords = self.face.coords
        if coords is None:
            return []
        self._opening_mm = float(FM.mouth_opening_mm(coords))
        x = float(FM.jaw_lateral_mm(coords))
        if self._phase in ("ready", "rest"):
            self._closed_x_mm = (self._closed_x_mm + [x])[-30:]
        self._shift_mm = x - float(np.median(self._closed_x_mm)) if self._closed_x_mm else 0.0
        if self._opening_mm > self.limit_mm + PAST_LIMIT_MARGIN_MM and not self._warned:
            self._warned = True
            return [Feedback("compensation", _("Not so wide"))]
        return []

    def _begin(self, tracked: Tracked) -> list[Event]:
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
            return []
        self._phase, self._phase_t_s, self._hold_s = "open", 0.0, 0.0
        self._cue_t_s, self._hit, self._warned = tracked.t_s, False, False
        return [Feedback("cue", _("Open slowly"))]

    def _step_hold(self, dt_s: float, tracked: Tracked) -> list[Event]:
        on = abs(self._opening_mm - self.hold_target_mm) <= self.p.tolerance_mm
        self._hold_s = self._hold_s + dt_s if on else max(self._hold_s - 0.5 * dt_s, 0.0)
        self._hit = self._hold_s >= self.dwell_s
        if not self._hit and self._phase_t_s < self.p.time_limit_s:
            return []
        self._phase, self._phase_t_s, self._hold_t1_s = "close", 0.0, tracked.t_s
        return [Feedback("cue", _("And close slowly"))]
