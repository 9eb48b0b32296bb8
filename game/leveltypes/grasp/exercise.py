"""Grasp and release: open the hand fully, close it to a fist to squeeze the fruit, let go.

One rep: the hand shown on the affected side (the mirrored good hand, or the shared-control
blend) is open; "Squeeze!" is cued; the hand closes until its aperture is ``closure`` of the
way from open to a fist (the calibrated good hand's, game.leveltypes.hand_common) and holds
``dwell_s`` (the juice runs); "Let go!" is cued and the hand opens again to ``open_fraction``
of the way back: the fruit drops into the bowl. The rep fails kindly after ``time_limit_s``.
The closure asked never exceeds the therapist's limit (SafetyLimits.max_hand_closure), and
the adaptive difficulty moves it (the ``hand_closure`` setting). Mirror therapy: both hands
squeeze together; the affected hand's own attempt is measured too (metrics.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n import N_, Msg
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event
from game.leveltypes.hand_common import FIST, FLAT, HandExercise, HandView, aperture_bounds
from game.leveltypes.params import param
from game.scoring import hand as SH
from game.tracking.motor import Fingers

READY_S = 0.6
SETTLE_S = 0.8
PROMPTS: dict[str, Msg] = {
    "open": N_("Open your hand wide"),
    "squeeze": N_("Squeeze!"),
    "release": N_("Let go!"),
}


@dataclass(frozen=True)
class GraspParams:
    """Parameters of a grasp level (units beside the values; checked when loaded)."""

    reps: int = param(5, 1, 40, help="squeezes")
    closure: float = param(0.6, 0.1, 1.0, "of a fist", "how far to close: 0 open, 1 a full fist")
    open_fraction: float = param(0.8, 0.3, 1.0, "of full opening", "how far to open again")
    dwell_s: float = param(0.5, 0.0, 5.0, "s", "hold the squeeze")
    time_limit_s: float = param(12.0, 3.0, 60.0, "s", "per squeeze")


@dataclass(frozen=True)
class GraspRep:
    """A squeeze's own event data: what was asked, in palm lengths of hand aperture."""

    closure: float
    close_at_norm: float
    open_at_norm: float


@dataclass(frozen=True)
class GraspView(HandView):
    """What a grasp level shows: the phase, how squeezed the fruit is, the hold."""

    phase: str = "ready"
    squeeze: float = 0.0
    """0 = the fruit whole, 1 = squeezed as far as asked."""
    hold: float = 0.0
    """0..1 of the hold."""


class GraspExercise(HandExercise):
    """A running grasp level."""

    def __init__(self, params: GraspParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.closure = min(float(effective(params, ctx, "closure")), ctx.limits.max_hand_closure)
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        open_norm, fist_norm = aperture_bounds(ctx)
        span = open_norm - fist_norm
        self.close_at = open_norm - self.closure * span
        self.open_at = fist_norm + params.open_fraction * span
        self._phase, self._phase_t_s, self._hold_s = "ready", 0.0, 0.0
        self._cue_t_s = 0.0
        self._aperture = open_norm
        self._open_norm = open_norm

    def _fingers(self) -> Fingers:
        return FIST if self._phase == "squeeze" else FLAT

    def view(self) -> GraspView:
        span = max(self._open_norm - self.close_at, 1e-6)
        squeeze = min(max((self._open_norm - self._aperture) / span, 0.0), 1.0)
        return GraspView(
            self._hud(time_left_s=self._time_left()),
            **self._hand_view(),  # type: ignore[arg-type]
            prompt=PROMPTS.get(self._phase),
            phase=self._phase,
            squeeze=squeeze,
            hold=self._hold_fraction(),
        )

    def _hold_fraction(self) -> float:
        if self.dwell_s <= 0:
            return float(self._phase == "release")
        return min(self._hold_s / self.dwell_s, 1.0)

    def _time_left(self) -> float | None:
        if self._phase not in ("squeeze", "release"):
            return None
        return max(self.p.time_limit_s - (self._phase_t_s + self._squeeze_s), 0.0)

    _squeeze_s = 0.0
    """Time the squeeze phase took (the release counts against the same limit)."""

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self.hands is not None
        self._phase_t_s += dt_s
        self._aperture = self.hands.measure(SH.hand_aperture_norm)
        if self._phase == "ready" and self._phase_t_s >= READY_S:
            self._to("open")
        elif self._phase == "open" and self._aperture >= self.open_at:
            self._to("squeeze")
            self._cue_t_s, self._squeeze_s = tracked.t_s, 0.0
        elif self._phase == "squeeze":
            return self._step_squeeze(dt_s, tracked)
        elif self._phase == "release":
            return self._step_release(tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S and self._another_rep():
            self._to("open")
        return []

    def _to(self, phase: str) -> None:
        self._phase, self._phase_t_s = phase, 0.0

    def _step_squeeze(self, dt_s: float, tracked: Tracked) -> list[Event]:
        closed = self._aperture <= self.close_at
        self._hold_s = self._hold_s + dt_s if closed else 0.0
        if closed and self._hold_s >= self.dwell_s:
            self._squeeze_s = self._phase_t_s
            self._to("release")
            return []
        if self._phase_t_s >= self.p.time_limit_s:
            return self._finish(tracked, False)
        return []

    def _step_release(self, tracked: Tracked) -> list[Event]:
        if self._aperture >= self.open_at:
            return self._finish(tracked, True)
        if self._phase_t_s + self._squeeze_s >= self.p.time_limit_s:
            return self._finish(tracked, False)
        return []

    def _finish(self, tracked: Tracked, success: bool) -> list[Event]:
        self._hold_s = 0.0
        self._to("settle")
        detail = GraspRep(self.closure, self.close_at, self.open_at)
        return self._outcome(self._cue_t_s, tracked.t_s, success, detail=detail)
