"""Position-match level type (proprioception): see an arm position, then find it again unseen.

Each rep: a ghost arm shows a target position (arm elevation in the frontal plane); the
patient brings the mirrored hand there and holds it ("show"). A curtain then hides the arm;
the patient lowers it ("away") and reproduces the position without seeing it ("find"), holding
still to answer. The game grades the joint reposition error in degrees, absolute and signed
(> 0 overshoot; game.scoring.reposition_error_deg), and at the end of the level the variable
error across reps (game.scoring.reposition_summary_deg). The angle is the 2-D arm elevation
of shoulder→hand in the image (docs/sources.md §4.2; markerless angles carry 5–15° error,
§4.3, hence the default tolerance of 15°). Target elevations are capped to the therapist's
shoulder limits and the distance to ``max_reach_fraction`` (§4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, HandTo, Rest, Tracked, effective
from game.leveltypes.common import (
    ExerciseBase,
    arm_point_px,
    elevation_cap_deg,
    elevation_of_px,
    to_px,
)
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView, Point, TargetView
from game.tracking import pose as P

AWAY_S = 2.5
"""Time to lower the hidden arm before reproducing: the position must be recalled, not held."""
REVEAL_S = 1.8
STILL_RADIUS_NORM = 0.03
"""The hand counts as still while it stays this close (× frame width, ≈ 4 cm at 2 m) to the
point where it settled."""
MIN_FIND_S = 1.2


@dataclass(frozen=True)
class PositionMatchParams:
    """Parameters of a position-match level (units in the names; ranges checked at load)."""

    reps: int = param(4, 1, 30, help="positions to match")
    angles_deg: tuple[float, ...] = param(
        [45.0, 80.0, 60.0], 10.0, 170.0, "deg", "target arm elevations: 0 = down, 90 = side"
    )
    reach_fraction: float = param(0.8, 0.3, 1.0, "× arm length", "ghost hand distance")
    target_radius_norm: float = param(0.06, 0.02, 0.15, "× frame width", "show-phase target")
    show_dwell_s: float = param(1.0, 0.3, 5.0, "s", "hold at the shown position")
    still_s: float = param(1.0, 0.3, 5.0, "s", "hold still to answer")
    tolerance_deg: float = param(15.0, 3.0, 45.0, "deg", "error counted as a match")
    time_limit_s: float = param(12.0, 3.0, 60.0, "s", "per phase")

    def __post_init__(self) -> None:
        if not self.angles_deg:
            raise ValueError("angles_deg needs at least one angle")


@dataclass(frozen=True)
class GhostView:
    """The ghost arm showing the position to remember: shoulder and hand."""

    shoulder: Point
    hand: Point


@dataclass(frozen=True)
class AnswerView:
    """Where the hidden hand was reproduced, and how far off in degrees."""

    hand: Point
    error_deg: float


@dataclass(frozen=True)
class PositionMatchView(LevelView):
    """What a position-match level shows: the ghost arm and target, the curtain, the answer."""

    phase: str = "ready"
    hidden: bool = False
    """The curtain is over the affected side."""
    ghost: GhostView | None = None
    answer: AnswerView | None = None
    side_sign: float = 1.0
    """+1 when the affected side is the patient's left (screen left in the mirror)."""
    targets: tuple[TargetView, ...] = ()
    progress: float = 0.0
    """Hold-still progress while reproducing."""


@dataclass(frozen=True)
class PositionMatchRep:
    """A trial's own event data: the hidden target angle."""

    target_deg: float
    """Arm elevation asked for (0 = down, 90 = out to the side)."""
    final: bool
    """The level's last trial (measures across all trials are taken then)."""


class PositionMatchExercise(ExerciseBase):
    """A running position-match level."""

    def __init__(self, params: PositionMatchParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        cap = elevation_cap_deg(ctx.limits)
        self._angles = [min(float(a), cap) for a in np.resize(params.angles_deg, self.reps)]
        self._phase, self._phase_t_s = "ready", 0.0
        self._dwell_s = 0.0
        self._still_s = 0.0
        self._target: tuple[float, float] | None = None
        self._anchor: np.ndarray | None = None
        self._cue_t_s = 0.0
        self._reproduced: list[float] = []
        self._answer: tuple[float, float] | None = None

    def target_deg(self) -> float:
        return self._angles[min(self._rep, len(self._angles) - 1)]

    def goal(self) -> HandTo | Rest:
        if self._target is None:
            return Rest()
        xy = self._norm(self._target)
        if self._phase == "show":
            return HandTo(xy)
        if self._phase == "find":
            return HandTo(xy, hidden=True)
        return Rest()

    def view(self) -> PositionMatchView:
        ghost, answer = None, None
        targets: tuple[TargetView, ...] = ()
        if self._target is not None and self._body is not None and self._phase in ("show", "reveal"):
            ghost = GhostView(self._norm(self._body.shoulder_px), self._norm(self._target))
            if self._phase == "show":
                progress = min(self._dwell_s / self.p.show_dwell_s, 1.0)
                targets = (TargetView(self._norm(self._target), self.p.target_radius_norm, progress),)
        if self._phase == "reveal" and self._answer is not None:
            answer = AnswerView(self._norm(self._answer), self._last_error())
        return PositionMatchView(
            self._hud(),
            phase=self._phase,
            hidden=self._phase in ("away", "find"),
            ghost=ghost,
            answer=answer,
            side_sign=self._sign,
            targets=targets,
            progress=min(self._still_s / self.p.still_s, 1.0) if self._phase == "find" else 0.0,
        )

    def _last_error(self) -> float:
        return (
            self._reproduced[-1] - self._angles[len(self._reproduced) - 1] if self._reproduced else math.nan
        )

    def _hand_px(self) -> np.ndarray:
        assert self._hand is not None
        return to_px(self._hand, self.ctx.frame_size)

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        hand = self._hand_px()
        # Still = the hand stays within STILL_RADIUS_NORM of where it settled: landmark
        # jitter and camera frames slower than game steps must not count as movement.
        still = self._anchor is not None and float(np.linalg.norm(hand - self._anchor)) <= (
            STILL_RADIUS_NORM * self.ctx.frame_size[0]
        )
        if not still:
            self._anchor = hand
        if self._phase == "ready" and self._phase_t_s >= 0.5:
            return self._begin_show(tracked)
        if self._phase == "show":
            return self._step_show(dt_s, hand)
        if self._phase == "away" and self._phase_t_s >= AWAY_S:
            self._phase, self._phase_t_s, self._still_s = "find", 0.0, 0.0
            return [Feedback("cue", N_("Find the place again"))]
        if self._phase == "find":
            return self._step_find(dt_s, tracked, hand, still)
        if self._phase == "reveal" and self._phase_t_s >= REVEAL_S:
            if self._rep >= self.reps:
                self.done, self._phase = True, "done"
                return []
            return self._begin_show(tracked)
        return []

    def _begin_show(self, tracked: Tracked) -> list[Event]:
        assert self._body is not None
        self._target = arm_point_px(
            self._body, self.target_deg(), self.p.reach_fraction, self.ctx.limits, self._sign
        )
        self._phase, self._phase_t_s, self._dwell_s = "show", 0.0, 0.0
        self._cue_t_s, self._answer = tracked.t_s, None
        return [Feedback("cue", N_("Remember this place"))]

    def _step_show(self, dt_s: float, hand: np.ndarray) -> list[Event]:
        assert self._target is not None
        d = float(np.linalg.norm(hand - np.asarray(self._target)))
        inside = d <= self.p.target_radius_norm * self.ctx.frame_size[0]
        self._dwell_s = self._dwell_s + dt_s if inside else max(self._dwell_s - 0.5 * dt_s, 0.0)
        if self._dwell_s >= self.p.show_dwell_s or self._phase_t_s >= self.p.time_limit_s:
            self._phase, self._phase_t_s = "away", 0.0
            return [Feedback("cue", N_("Eyes on the curtain - arm down"))]
        return []

    def _step_find(self, dt_s: float, tracked: Tracked, hand: np.ndarray, still: bool) -> list[Event]:
        assert tracked.display_image is not None
        sh_idx = P.shoulder_elbow_wrist(self.ctx.affected_side)[0]
        shoulder = to_px(tracked.display_image[sh_idx, :2], self.ctx.frame_size)
        elev = elevation_of_px(shoulder, hand, self._sign)
        # Stillness counts only once the arm is raised: resting in the lap is not an answer.
        moved = elev >= 0.5 * self.target_deg()
        self._still_s = self._still_s + dt_s if still and moved else 0.0
        timed_out = self._phase_t_s >= self.p.time_limit_s
        if not (self._still_s >= self.p.still_s and self._phase_t_s >= MIN_FIND_S) and not timed_out:
            return []
        return self._score(tracked, elev)

    def _score(self, tracked: Tracked, reproduced_deg: float) -> list[Event]:
        """The game's verdict from the live angle (the reveal shows it); the rep's numbers are
        computed from the recorded frames by the metrics module."""
        target = self.target_deg()
        self._reproduced.append(reproduced_deg)
        self._answer = (float(self._hand_px()[0]), float(self._hand_px()[1]))
        assert self._target is not None
        success = abs(reproduced_deg - target) <= self.p.tolerance_deg
        detail = PositionMatchRep(target, final=len(self._reproduced) == self.reps)
        self._phase, self._phase_t_s = "reveal", 0.0
        return self._outcome(self._cue_t_s, tracked.t_s, success, self._norm(self._target), detail=detail)
