"""Functional reach test (Duncan et al. 1990; docs/sources.md §6.4), guided.

The protocol: stand with the feet apart, make a fist and raise the arm forward to shoulder
height (90° of shoulder flexion); reach forward as far as possible without taking a step; the
reach is how far the fist (third knuckle) travels forward. Two practice tries, then three; the
result is the mean of the three. The game measures the fist (the mean of the index and little
finger knuckles of the pose model) relative to the feet, along the direction the arm points at
the start, in world landmarks scaled to the calibrated arm length ("forward reach in cm,
scaled from the calibrated body", metrics.py). It uses the unaffected arm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.i18n import M_, N_
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.guided import GuidedParams, GuidedTest
from game.leveltypes.params import param
from game.leveltypes.standing import StandStill
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, Side

RAISED_HOLD_S = 1.0
"""The arm held forward this long marks the start of a try."""
STILL_S = 1.5
"""A reach ends when the fist has not gone further for this long (or after REACH_MAX_S)."""
REACH_MAX_S = 10.0
BACK_S = 3.0
RAISE_MAX_S = 12.0
INSTRUCTIONS = (
    M_("Stand with your feet apart, a chair or rail within reach (best seen from the side)."),
    M_("Make a fist and raise your arm forward to shoulder height."),
    M_("Reach forward as far as you can without taking a step."),
    M_("Come back and lower your arm. Two practice tries, then three that count."),
    M_("Your result is the average of the three."),
)


@dataclass(frozen=True)
class ReachTestParams(GuidedParams):
    """Parameters of the functional reach test (the protocol fixes most of them)."""

    practice: int = param(2, 0, 3, help="practice tries (not counted)")
    trials: int = param(3, 1, 5, help="tries that count (their mean is the result)")


@dataclass(frozen=True)
class RaiseArm:
    """Goal: the unaffected arm raised forward to shoulder height, fist."""

    reach: bool
    """Also lean forward as far as possible (the reach itself)."""


@dataclass(frozen=True)
class ReachTestRep:
    """The test's own event data: each counted try's start and end (pose clock), the arm."""

    trials: tuple[tuple[float, float], ...]
    side: Side
    arm_scale: float
    """Calibrated arm length / tracked arm length at the first try: world metres → body metres."""
    age_years: int
    sex: str


def fist(world: np.ndarray, side: Side) -> np.ndarray:
    """The fist point: mean of the index and little-finger knuckles, (..., 3)."""
    idx, pinky = (P.L_INDEX, P.L_PINKY) if side == "left" else (P.R_INDEX, P.R_PINKY)
    return 0.5 * (world[..., idx, :3] + world[..., pinky, :3])


def arm_forward(world: np.ndarray, side: Side) -> bool:
    """The arm raised forward to about shoulder height: the wrist within 15 cm of the shoulder's
    height and at least 35 cm from it horizontally (world landmarks, y down)."""
    sh, _, wr = P.shoulder_elbow_wrist(side)
    d = world[wr, :3] - world[sh, :3]
    return bool(abs(d[1]) <= 0.15 and float(np.hypot(d[0], d[2])) >= 0.35)


class ReachTest(GuidedTest):
    """A running functional reach test."""

    TEST = "functional_reach"
    TITLE = M_("Functional reach")
    INSTRUCTIONS = INSTRUCTIONS
    START_STANDING = True
    BOTH_LEGS = False

    def __init__(self, params: ReachTestParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "age_years")), str(effective(params, ctx, "sex")))
        self.p = params
        self.side: Side = P.other_side(ctx.affected_side)
        self._tries: list[tuple[float, float]] = []
        self._stage, self._t0, self._held_s, self._best_t = "raise", 0.0, 0.0, 0.0
        self._start_x = float("nan")
        self._best = 0.0
        self._reaches: list[float] = []
        self.arm_scale = float("nan")

    @property
    def _total(self) -> int:
        return self.p.practice + self.p.trials

    def _test_goal(self) -> object:
        if self._stage in ("raise", "reach"):
            return RaiseArm(self._stage == "reach")
        return StandStill()

    def _start(self, tracked: Tracked) -> list[Event]:
        return self._new_try(tracked)

    def _new_try(self, tracked: Tracked) -> list[Event]:
        self._stage, self._t0, self._held_s = "raise", tracked.t_s, 0.0
        n = len(self._tries) + 1
        said = f"practice try {n}" if n <= self.p.practice else f"try {n - self.p.practice}"
        return [Feedback("cue", f"Raise your arm forward ({said})")]

    def _forward_m(self, tracked: Tracked) -> float:
        """How far the fist is in front of the feet along the person's forward (metres)."""
        assert tracked.raw is not None
        w = tracked.raw.world[:, :3].astype(np.float64)
        w[tracked.raw.world[:, 3] < VISIBLE] = np.nan
        across = w[P.L_HIP] - w[P.R_HIP]
        fwd = np.array([across[2], 0.0, -across[0]])  # horizontal, at right angles to the hips
        fwd /= np.linalg.norm(fwd)
        feet = 0.5 * (w[P.L_ANKLE] + w[P.R_ANKLE])
        return float((fist(w, self.side) - feet) @ fwd)

    def _run(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        now = tracked.t_s - self._t0
        n = len(self._tries)
        shown = 100.0 * self._best * self.arm_scale
        self.big = f"{shown:.0f} cm" if self._stage in ("reach", "back") and shown == shown else "-"
        practice = n < self.p.practice
        k, of = (n + 1, self.p.practice) if practice else (n + 1 - self.p.practice, self.p.trials)
        self.small = (N_("practice {n} of {total}", n=k, total=of) if practice
                      else N_("try {n} of {total}", n=k, total=of))  # fmt: skip
        if self._stage == "raise":
            up = arm_forward(tracked.raw.world, self.side)
            self._held_s = self._held_s + dt_s if up else 0.0
            if self._held_s >= RAISED_HOLD_S or now > RAISE_MAX_S:
                self._stage, self._t0, self._best_t = "reach", tracked.t_s, tracked.t_s
                self._start_x, self._best = self._forward_m(tracked), 0.0
                if not self.arm_scale == self.arm_scale:
                    self.arm_scale = self._scale(tracked)
                return [Feedback("cue", "Reach forward as far as you can")]
            return []
        if self._stage == "reach":
            x = self._forward_m(tracked) - self._start_x
            if x > self._best + 0.005:
                self._best, self._best_t = x, tracked.t_s
            if tracked.t_s - self._best_t >= STILL_S and now >= 1.0 or now >= REACH_MAX_S:
                self._tries.append((self._t0, tracked.t_s))
                self._reaches.append(100.0 * self._best * self.arm_scale)
                self._stage, self._t0 = "back", tracked.t_s
                return [Feedback("cue", "Come back and lower your arm")]
            return []
        if now < BACK_S:
            return []
        if len(self._tries) >= self._total:
            counted = tuple(self._tries[self.p.practice :])
            detail = ReachTestRep(counted, self.side, self.arm_scale, self.age or 0, self.sex or "unknown")
            return self._report(float(np.mean(self._reaches[self.p.practice :])), tracked, detail)
        return self._new_try(tracked)

    def _scale(self, tracked: Tracked) -> float:
        """Calibrated arm length over the tracked one (world landmarks), or 1 without either."""
        assert tracked.raw is not None and self._body is not None
        w = tracked.raw.world[:, :3].astype(np.float64)
        sh, el, wr = P.shoulder_elbow_wrist(self.side)
        tracked_m = float(np.linalg.norm(w[el] - w[sh]) + np.linalg.norm(w[wr] - w[el]))
        ok = np.isfinite(tracked_m) and tracked_m > 0.2
        return float(self._body.arm_m / tracked_m) if ok else 1.0
