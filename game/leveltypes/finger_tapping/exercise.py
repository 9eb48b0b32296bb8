"""Finger tapping (MDS-UPDRS 3.4 style): tap the thumb and index finger together ten times, as
big and as fast as possible, with the good hand and then with the affected hand.

One rep is both hands in turn (docs/sources.md §12.2: the item rates each hand on its own):
"Tap, tap!" with the good hand (the hand shown on the affected side is its mirror, so the
patient watches the weak side tap too), a short pause ("Now the other hand"), then the
affected hand itself (shown as it is: its own turn). Each hand has ``time_limit_s`` for its
``taps`` taps, counted live from the thumb-index gap (palm lengths) with the scoring's own
threshold (game.scoring.hand.TAP_MIN_AMPLITUDE_NORM); the taps are measured afterwards from
the recorded frames (metrics.py). Adaptive difficulty scales the time limit (``speed_scale``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from game.i18n import N_, Msg
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.hand_common import RELAXED, HandExercise, HandView
from game.leveltypes.params import param
from game.scoring import hand as SH
from game.tracking.motor import Fingers
from game.tracking.pose import Side, other_side

READY_S = 0.8
SWITCH_S = 1.5


@dataclass(frozen=True)
class TappingParams:
    """Parameters of a finger-tapping level (units beside the values; checked when loaded)."""

    reps: int = param(3, 1, 20, help="rounds of both hands")
    taps: int = param(10, 3, 30, help="taps per hand (MDS-UPDRS: 10)")
    time_limit_s: float = param(12.0, 3.0, 60.0, "s", "per hand")


@dataclass(frozen=True)
class TapRep:
    """A round's own event data: the taps asked and when the affected hand's turn began."""

    taps: int
    switch_t_s: float
    """Pose-clock time at which the affected hand's turn started (its taps are after it)."""


@dataclass(frozen=True)
class TapView(HandView):
    """What a tapping level shows: whose turn it is and the taps counted."""

    turn: str = "ready"
    """"good", "switch", "affected", "ready" or "settle"."""
    count: int = 0
    taps: int = 10
    gap: float = 0.0
    """The tapping hand's thumb-index gap now, palm lengths."""


class TapCounter:
    """Counts taps as they happen: a closing of the thumb-index gap by at least ``amp`` after
    an opening of at least ``amp`` (the live twin of game.scoring.hand.tap_events)."""

    def __init__(self, amp: float = SH.TAP_MIN_AMPLITUDE_NORM) -> None:
        self.amp = amp
        self.count = 0
        self._low = math.inf
        self._high = -math.inf
        self._opened = False

    def add(self, gap: float) -> bool:
        """Feed one gap value; True when it completed a tap."""
        if not math.isfinite(gap):
            return False
        if not self._opened:
            self._low = min(self._low, gap)
            if gap >= self._low + self.amp:
                self._opened, self._high = True, gap
            return False
        self._high = max(self._high, gap)
        if gap <= self._high - self.amp:
            self.count += 1
            self._opened, self._low = False, gap
            return True
        return False


class TappingExercise(HandExercise):
    """A running finger-tapping level."""

    def __init__(self, params: TappingParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.taps = int(params.taps)
        self.limit_s = float(effective(params, ctx, "time_limit_s"))
        self._turn, self._turn_t_s = "ready", 0.0
        self._counter = TapCounter()
        self._cue_t_s = self._switch_t_s = 0.0
        self._ok = True
        self._gap = 0.0

    @property
    def tapping_side(self) -> Side | None:
        """The hand whose turn it is, or None between turns."""
        if self._turn == "good":
            return other_side(self.ctx.affected_side)
        if self._turn == "affected":
            return self.ctx.affected_side
        return None

    def _fingers(self) -> Fingers:
        side = self.tapping_side
        return Fingers(tap=side) if side is not None else RELAXED

    def view(self) -> TapView:
        words: Msg | None = {
            "good": N_("Tap, tap! Big and fast"),
            "affected": N_("Now your own hand: tap, tap!"),
            "switch": N_("Now the other hand"),
        }.get(self._turn)
        left = max(self.limit_s - self._turn_t_s, 0.0) if self._turn in ("good", "affected") else None
        return TapView(
            self._hud(time_left_s=left),
            **self._hand_view(),  # type: ignore[arg-type]
            prompt=words,
            turn=self._turn,
            count=self._counter.count,
            taps=self.taps,
            gap=self._gap,
        )

    def _showing_own(self) -> bool:
        return self._turn == "affected"

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._turn_t_s += dt_s
        if self._turn == "ready" and self._turn_t_s >= READY_S:
            self._start("good", tracked)
            self._cue_t_s, self._ok = tracked.t_s, True
        elif self._turn in ("good", "affected"):
            return self._count(tracked)
        elif self._turn == "switch" and self._turn_t_s >= SWITCH_S:
            self._start("affected", tracked)
            self._switch_t_s = tracked.t_s
        elif self._turn == "settle" and self._turn_t_s >= SWITCH_S:
            if self._rep >= self.reps:
                self.done, self._turn = True, "done"
            else:
                self._start("good", tracked)
                self._cue_t_s, self._ok = tracked.t_s, True
        return []

    def _start(self, turn: str, tracked: Tracked) -> None:
        self._turn, self._turn_t_s = turn, 0.0
        self._counter = TapCounter()
        self.needs_own_hand = turn == "affected"

    def _count(self, tracked: Tracked) -> list[Event]:
        assert self.hands is not None
        self._gap = self.hands.own_measure(self._turn == "good", SH.pinch_aperture_norm)
        self._counter.add(self._gap)
        finished = self._counter.count >= self.taps
        if not finished and self._turn_t_s < self.limit_s:
            return []
        self._ok &= finished
        if self._turn == "good":
            self._turn, self._turn_t_s = "switch", 0.0
            self.needs_own_hand = False
            return [Feedback("info", _done_word())]
        self._turn, self._turn_t_s = "settle", 0.0
        self.needs_own_hand = False
        detail = TapRep(self.taps, self._switch_t_s)
        return self._outcome(self._cue_t_s, tracked.t_s, self._ok, detail=detail)


def _done_word() -> str:
    return str(N_("Well done!"))
