"""Thumb opposition: touch the tip of each finger with the thumb tip, one after the other.

One rep is one pass along ``order`` (index, middle, ring, little finger by default): the
fingertip to touch glows on the hand shown on the affected side; a touch is the thumb tip
within ``touch_norm`` palm lengths of that fingertip (the pinch gap of game.scoring.hand)
for ``hold_s``. Each touch has ``time_per_touch_s`` (scaled by the adaptive ``speed_scale``);
a touch that does not come in time is skipped kindly and the rep counts as missed. Both
hands do it together (mirror therapy); the affected hand's own touches are measured too.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event
from game.leveltypes.hand_common import HandExercise, HandView
from game.leveltypes.params import param
from game.scoring import hand as SH
from game.tracking.motor import Fingers

READY_S = 0.6
SETTLE_S = 1.0
FINGERS = SH.LONG_FINGERS


@dataclass(frozen=True)
class OppositionParams:
    """Parameters of a thumb-opposition level (units beside the values; checked when loaded)."""

    reps: int = param(3, 1, 20, help="passes along the fingers")
    order: tuple[str, ...] = param(list(FINGERS), help="fingers to touch, in order", choices=None)
    touch_norm: float = param(0.3, 0.1, 0.8, "palm lengths", "thumb tip this close to the fingertip")
    hold_s: float = param(0.2, 0.0, 3.0, "s", "hold each touch")
    time_per_touch_s: float = param(5.0, 1.0, 30.0, "s", "for each touch")

    def __post_init__(self) -> None:
        bad = [f for f in self.order if f not in FINGERS]
        if bad or not self.order:
            raise ValueError(f"order must name fingers among {', '.join(FINGERS)}, got {list(self.order)}")


@dataclass(frozen=True)
class OppositionRep:
    """A pass's own event data: the fingers asked, in order, and the touch distance."""

    order: tuple[str, ...]
    touch_norm: float


@dataclass(frozen=True)
class OppositionView(HandView):
    """What an opposition level shows: which fingertip to touch, and those already touched."""

    target: str | None = None
    touched: tuple[str, ...] = ()
    hold: float = 0.0


class OppositionExercise(HandExercise):
    """A running thumb-opposition level."""

    def __init__(self, params: OppositionParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.per_touch_s = float(effective(params, ctx, "time_per_touch_s"))
        self._phase, self._phase_t_s = "ready", 0.0
        self._k = 0
        self._hold_s = 0.0
        self._missed = False
        self._cue_t_s = 0.0

    @property
    def target(self) -> str | None:
        return self.p.order[self._k] if self._phase == "touch" else None

    def _fingers(self) -> Fingers:
        target = self.target
        if target is None:
            return Fingers(curl=(0.0, 0.1, 0.1, 0.1, 0.1))
        return Fingers(curl=(0.0, 0.1, 0.1, 0.1, 0.1), pinch=1.0, oppose=target)

    def view(self) -> OppositionView:
        touching = self._phase == "touch"
        return OppositionView(
            self._hud(time_left_s=max(self.per_touch_s - self._phase_t_s, 0.0) if touching else None),
            **self._hand_view(),  # type: ignore[arg-type]
            prompt=N_("Touch the glowing fingertip with your thumb") if touching else None,
            target=self.target,
            touched=tuple(self.p.order[: self._k]) if touching else (),
            hold=min(self._hold_s / self.p.hold_s, 1.0) if self.p.hold_s > 0 else 0.0,
        )

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        if self._phase == "ready" and self._phase_t_s >= READY_S:
            self._begin(tracked)
        elif self._phase == "touch":
            return self._step_touch(dt_s, tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S and self._another_rep():
            self._begin(tracked)
        return []

    def _begin(self, tracked: Tracked) -> None:
        self._phase, self._phase_t_s, self._k, self._hold_s = "touch", 0.0, 0, 0.0
        self._missed, self._cue_t_s = False, tracked.t_s

    def _step_touch(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self.hands is not None
        finger = self.p.order[self._k]
        gap = self.hands.measure(lambda w: SH.pinch_aperture_norm(w, finger))
        self._hold_s = self._hold_s + dt_s if gap <= self.p.touch_norm else 0.0
        touched = self._hold_s >= self.p.hold_s and gap <= self.p.touch_norm
        if not touched and self._phase_t_s < self.per_touch_s:
            return []
        self._missed |= not touched
        self._k, self._phase_t_s, self._hold_s = self._k + 1, 0.0, 0.0
        if self._k < len(self.p.order):
            return []  # the touched fingertip gets its star; the next one glows
        self._phase, self._phase_t_s = "settle", 0.0
        detail = OppositionRep(tuple(self.p.order), self.p.touch_norm)
        return self._outcome(self._cue_t_s, tracked.t_s, not self._missed, detail=detail)
