"""Finger individuation (a piano): bend one finger to press its key while the others stay.

Each rep lights one key, for the next finger of ``sequence``; the finger of the hand shown on
the affected side must bend by ``press_fraction`` of a full fist's total flexion (MCP + PIP +
DIP of a fist: 255 deg, game/tracking/sim_hands.py; never more than the therapist's hand
closing limit) from where it was when the key lit, and hold ``dwell_s``, while no other long
finger bends more than ``still_deg`` from where it was ("Keep the other fingers still").
Individuation is then measured from the recorded frames (Häger-Ross & Schieber 2000,
metrics.py). Hold time is the adaptive parameter (``dwell_s``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.hand_common import HandExercise, HandView
from game.leveltypes.params import param
from game.scoring import hand as SH
from game.tracking.motor import Fingers

READY_S = 0.6
SETTLE_S = 0.7
FIST_TOTAL_DEG = 255.0
"""Total flexion (MCP + PIP + DIP) of a long finger in a full fist (85 + 100 + 70 deg, within
the normal active ranges of docs/sources.md §12.1)."""
FINGERS = SH.LONG_FINGERS


@dataclass(frozen=True)
class PianoParams:
    """Parameters of a finger-individuation level (units beside the values; checked when loaded)."""

    reps: int = param(8, 1, 40, help="keys to play")
    sequence: tuple[str, ...] = param(list(FINGERS), help="fingers, in order (repeats)")
    press_fraction: float = param(0.35, 0.1, 1.0, "of a fist", "how far the finger bends")
    still_deg: float = param(30.0, 5.0, 90.0, "deg", "how far the other fingers may bend")
    dwell_s: float = param(0.4, 0.0, 5.0, "s", "hold the key")
    time_limit_s: float = param(8.0, 2.0, 60.0, "s", "per key")

    def __post_init__(self) -> None:
        bad = [f for f in self.sequence if f not in FINGERS]
        if bad or not self.sequence:
            raise ValueError(
                f"sequence must name fingers among {', '.join(FINGERS)}, got {list(self.sequence)}"
            )


@dataclass(frozen=True)
class PianoRep:
    """A key's own event data: the finger asked and how far, and the stillness allowed."""

    finger: str
    press_deg: float
    still_deg: float


@dataclass(frozen=True)
class PianoView(HandView):
    """What a piano level shows: the key lit, how far each finger is pressed, a wobble cue."""

    target: str | None = None
    pressed: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    """0..1 of the press asked, per finger (index..little)."""
    others_moved: bool = False
    hold: float = 0.0


def _total_of(world: np.ndarray, finger: str) -> np.ndarray:
    """One finger's total flexion, degrees."""
    return SH.total_flexion_deg(world)[finger]


class PianoExercise(HandExercise):
    """A running finger-individuation level."""

    def __init__(self, params: PianoParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        fraction = min(params.press_fraction, ctx.limits.max_hand_closure)
        self.press_deg = fraction * FIST_TOTAL_DEG
        self._phase, self._phase_t_s, self._hold_s = "ready", 0.0, 0.0
        self._start = np.zeros(4)
        self._now = np.zeros(4)
        self._cue_t_s = 0.0
        self._wobbled = False

    @property
    def target(self) -> str | None:
        return self.p.sequence[self._rep % len(self.p.sequence)] if self._phase == "key" else None

    def _fingers(self) -> Fingers:
        curl = [0.0, 0.1, 0.1, 0.1, 0.1]
        if self.target is not None:
            curl[1 + FINGERS.index(self.target)] = 0.9
        return Fingers(curl=tuple(curl))  # type: ignore[arg-type]

    def _flexion(self) -> np.ndarray:
        assert self.hands is not None
        return np.array([self.hands.measure(partial(_total_of, finger=f)) for f in FINGERS])

    def view(self) -> PianoView:
        key = self._phase == "key"
        pressed = np.clip((self._now - self._start) / self.press_deg, 0.0, 1.0) if key else np.zeros(4)
        return PianoView(
            self._hud(time_left_s=max(self.p.time_limit_s - self._phase_t_s, 0.0) if key else None),
            **self._hand_view(),  # type: ignore[arg-type]
            prompt=(N_("Keep the other fingers still") if self._wobbled else N_("Press the lit key"))
            if key
            else None,
            target=self.target,
            pressed=tuple(float(v) for v in pressed),
            others_moved=self._wobbled,
            hold=min(self._hold_s / self.dwell_s, 1.0) if self.dwell_s > 0 else 0.0,
        )

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        self._now = self._flexion()
        if self._phase == "ready" and self._phase_t_s >= READY_S:
            self._begin(tracked)
        elif self._phase == "key":
            return self._step_key(dt_s, tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S and self._another_rep():
            self._begin(tracked)
        return []

    def _begin(self, tracked: Tracked) -> None:
        self._phase, self._phase_t_s, self._hold_s = "key", 0.0, 0.0
        self._start = np.where(np.isfinite(self._now), self._now, 0.0)
        self._cue_t_s, self._wobbled = tracked.t_s, False

    def _step_key(self, dt_s: float, tracked: Tracked) -> list[Event]:
        target = self.target
        assert target is not None
        k = FINGERS.index(target)
        moved = self._now - self._start
        others = np.delete(moved, k)
        wobble = bool(np.any(np.abs(others) > self.p.still_deg))
        cue: list[Event] = []
        if wobble and not self._wobbled:
            cue.append(Feedback("cue", str(N_("Keep the other fingers still"))))
        self._wobbled = wobble
        pressing = moved[k] >= self.press_deg and not wobble
        self._hold_s = self._hold_s + dt_s if pressing else 0.0
        hit = pressing and self._hold_s >= self.dwell_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return cue
        self._phase, self._phase_t_s, self._hold_s = "settle", 0.0, 0.0
        detail = PianoRep(target, self.press_deg, self.p.still_deg)
        return cue + self._outcome(self._cue_t_s, tracked.t_s, hit, detail=detail)
