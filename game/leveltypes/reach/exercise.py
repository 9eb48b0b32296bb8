"""Reach level type: targets appear around the mirrored arm; hold the hand on each to collect it.

Trains and measures functional reaching (docs/sources.md §3). Targets are placed from the
patient's own body: at ``reach_fraction`` × arm length from the affected-side shoulder, at an
angle inside ``sector_deg`` (0° = straight out to the side, 90° = straight up, negative =
below shoulder height), never beyond the therapist's limits (:class:`SafetyLimits`): the
target distance is capped at ``max_reach_fraction`` and the angle so that the arm elevation
(90° + angle) stays within the shoulder abduction/flexion limits.

Controls: none beyond moving the arm; the level pauses by itself when no one is in view.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from game.i18n import N_
from game.leveltypes.base import (
    COMPENSATION_PERSIST_S,
    Body,
    ExerciseContext,
    HandTo,
    Rest,
    SafetyLimits,
    Tracked,
    effective,
)
from game.leveltypes.common import READY_S, ExerciseBase, arm_point_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView, TargetView
from game.scoring.compensation import LiveTrunk
from game.tracking.pose import Side

SETTLE_S = 1.0
"""Pause after each target so the hand can return and the next reach is a distinct rep."""
SETTLE_MAX_S = 6.0
STILL_WINDOW_S = 0.5
STILL_RADIUS_NORM = 0.012
BACK_RADIUS_NORM = 0.06
"""The next target appears once the hand is back near where the previous reach started
(within BACK_RADIUS_NORM frame widths, about 13 cm at 2 m) and has stayed within
STILL_RADIUS_NORM (about 2.5 cm) of where it was STILL_WINDOW_S ago (a net speed under about
5 cm/s, far above landmark jitter, which averages out over the window); or after SETTLE_MAX_S
for a patient who keeps the arm up. Reps then start from rest: a hand still holding the last
target, or on its way back, when the next one appears would start the new reach late and make
its reaction time and onset unclean (docs/sources.md §10 item 1: "segment first")."""


@dataclass(frozen=True)
class ReachParams:
    """Parameters of a reach level (units in the names; ranges checked at load time)."""

    reps: int = param(8, 1, 60, help="targets in the level")
    reach_fraction: float = param(0.6, 0.2, 1.2, "× arm length", "target distance from the shoulder")
    sector_deg: tuple[float, ...] = param(
        [-20.0, 60.0], -60.0, 170.0, "deg", "angle range: 0 = out to the side, 90 = up"
    )
    pattern: str = param("arc", help="target order", choices=("arc", "random", "sequence"))
    sequence_deg: tuple[float, ...] = param([], -60.0, 170.0, "deg", "angles for pattern 'sequence'")
    target_radius_norm: float = param(0.055, 0.02, 0.15, "× frame width", "target size")
    dwell_s: float = param(0.8, 0.1, 5.0, "s", "hold time to collect")
    time_limit_s: float = param(12.0, 0.0, 120.0, "s", "per target; 0 = no limit")
    neglect_cue: bool = param(False, help="arrow toward the neglected side")
    neglect_bias: float = param(0.0, 0.0, 1.0, help="share of targets moved toward the neglected side")

    def __post_init__(self) -> None:
        if len(self.sector_deg) != 2 or self.sector_deg[0] > self.sector_deg[1]:
            raise ValueError(f"sector_deg must be [low, high] with low <= high, got {list(self.sector_deg)}")
        if self.pattern == "sequence" and not self.sequence_deg:
            raise ValueError("pattern 'sequence' needs sequence_deg")


@dataclass(frozen=True)
class ReachView(LevelView):
    """What a reach level shows: the current target and the neglect arrow."""

    targets: tuple[TargetView, ...] = ()
    neglect_cue: Side | None = None
    """Side of the pulsing arrow toward neglected space, or None."""


@dataclass(frozen=True)
class ReachRep:
    """A reach rep's own event data: the target as shown and the hold it asked for."""

    radius_norm: float
    """Target radius, × frame width."""
    dwell_s: float


def plan_angles(p: ReachParams, rng: np.random.Generator, reps: int | None = None) -> np.ndarray:
    """Target angles (deg) for the whole level, before safety capping."""
    n = p.reps if reps is None else reps
    lo, hi = p.sector_deg
    if p.pattern == "sequence":
        seq = np.asarray(p.sequence_deg, dtype=float)
        return np.resize(seq, n)
    if p.pattern == "arc":
        base = np.linspace(lo, hi, num=min(n, 5)) if n > 1 else np.array([(lo + hi) / 2])
        sweep = np.concatenate([base, base[-2:0:-1]]) if len(base) > 2 else base
        return np.resize(sweep, n)
    return rng.uniform(lo, hi, n)


def safe_target(
    body: Body, angle_deg: float, fraction: float, limits: SafetyLimits, out_sign: float
) -> tuple[float, float, float]:
    """Cap a target to the therapist's limits; return (x_px, y_px, capped_fraction).

    The arm elevation needed to point at angle θ above horizontal is 90° + θ (abduction in
    the frontal plane; docs/sources.md §4.2); game.leveltypes.common.arm_point_px caps it
    at the smaller of the abduction and flexion limits and the distance at
    ``max_reach_fraction`` × arm length.
    """
    x, y = arm_point_px(body, 90.0 + angle_deg, fraction, limits, out_sign)
    return x, y, min(fraction, limits.max_reach_fraction)


def neglect_angle(angle_deg: float, p: ReachParams, ctx: ExerciseContext, rep: int) -> float:
    """Move every k-th target into the neglected side of space (``neglect_bias`` share).

    Angles grow from "out to the affected side" (0°) through "up" (90°) to "across the body"
    (> 90°). When the neglected side is the affected side the biased target goes to the most
    lateral angle of the sector; otherwise it crosses the midline (up to 150°), toward the
    neglected space. Safety capping (safe_target) still applies afterwards.
    """
    if ctx.neglect_side is None or p.neglect_bias <= 0:
        return angle_deg
    every = max(int(round(1.0 / p.neglect_bias)), 1)
    if rep % every != 0:
        return angle_deg
    lo, hi = p.sector_deg
    return lo if ctx.neglect_side == ctx.affected_side else min(max(hi, 90.0) + 45.0, 150.0)


class ReachExercise(ExerciseBase):
    """A running reach level."""

    def __init__(self, params: ReachParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.radius_norm = float(effective(params, ctx, "target_radius_norm"))
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        self.fraction = float(effective(params, ctx, "reach_fraction"))
        self._angles = plan_angles(params, ctx.rng, self.reps)
        self._phase = "ready"  # ready → target → settle → target … → done
        self._phase_t_s = 0.0
        self._dwell_s = 0.0
        self._cue_t_s = 0.0
        self._target: tuple[float, float] | None = None
        self._trunk = LiveTrunk()
        """Trunk displacement from the rest before the cue, causally (the "sit tall" cue)."""
        self._lean_s = 0.0
        self._compensated = False
        self._recent_hand: deque[tuple[float, np.ndarray]] = deque()
        """(level time, hand point) of the last STILL_WINDOW_S, for the still test."""
        self._start_hand: np.ndarray | None = None
        """Where the hand was when the last target appeared (the rest it should come back to)."""

    # -- protocol -----------------------------------------------------------------------
    def goal(self) -> HandTo | Rest:
        if self._phase == "target" and self._target is not None:
            return HandTo(self._target_norm())
        return Rest()

    def view(self) -> ReachView:
        targets: tuple[TargetView, ...] = ()
        if self._phase == "target" and self._target is not None:
            progress = min(self._dwell_s / self.dwell_s, 1.0)
            targets = (TargetView(self._target_norm(), self.radius_norm, progress),)
        limit = self.p.time_limit_s
        hud = self._hud(
            time_left_s=max(limit - self._phase_t_s, 0.0) if limit and self._phase == "target" else None,
            compensating=self._compensated and self._phase == "target",
        )
        cue = self.ctx.neglect_side if (self.p.neglect_cue or self.p.neglect_bias) else None
        return ReachView(hud, targets, cue)

    # -- internals ----------------------------------------------------------------------
    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._hand is not None and tracked.raw is not None
        self._trunk.update(dt_s, tracked.raw.world)
        self._phase_t_s += dt_s
        self._recent_hand.append((self._t_s, self._hand.copy()))
        while self._recent_hand[0][0] < self._t_s - STILL_WINDOW_S:
            self._recent_hand.popleft()
        if self._phase == "ready" and self._phase_t_s >= READY_S:
            self._next_target(tracked)
        elif self._phase == "target":
            return self._update_target(dt_s, tracked)
        elif (
            self._phase == "settle"
            and self._phase_t_s >= SETTLE_S
            and (self._hand_still() or self._phase_t_s >= SETTLE_MAX_S)
        ):
            if self._rep >= self.reps:
                self.done, self._phase = True, "done"
            else:
                self._next_target(tracked)
        return []

    def _hand_still(self) -> bool:
        """The hand is back at its rest and stayed put over the last STILL_WINDOW_S (see
        BACK_RADIUS_NORM)."""
        (t0, first), (t1, last) = self._recent_hand[0], self._recent_hand[-1]
        back = self._start_hand if self._start_hand is not None else last
        w, h = self.ctx.frame_size
        moved = math.hypot((last[0] - first[0]) * w, (last[1] - first[1]) * h) / w
        away = math.hypot((last[0] - back[0]) * w, (last[1] - back[1]) * h) / w
        return t1 - t0 >= STILL_WINDOW_S - 1e-9 and moved < STILL_RADIUS_NORM and away < BACK_RADIUS_NORM

    def _target_norm(self) -> tuple[float, float]:
        assert self._target is not None
        w, h = self.ctx.frame_size
        return (self._target[0] / w, self._target[1] / h)

    def _next_target(self, tracked: Tracked) -> None:
        assert self._body is not None and tracked.raw is not None
        angle = neglect_angle(float(self._angles[self._rep]), self.p, self.ctx, self._rep)
        x, y, _ = safe_target(self._body, angle, self.fraction, self.ctx.limits, self._sign)
        self._target = (x, y)
        self._phase, self._phase_t_s, self._dwell_s = "target", 0.0, 0.0
        self._cue_t_s = tracked.t_s
        self._start_hand = None if self._hand is None else self._hand.copy()
        self._trunk.start()
        self._lean_s = 0.0
        self._compensated = False

    def _update_target(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._hand is not None and tracked.raw is not None
        events: list[Event] = []
        w, h_px = self.ctx.frame_size
        tx, ty = self._target_norm()
        dist_px = math.hypot((self._hand[0] - tx) * w, (self._hand[1] - ty) * h_px)
        inside = dist_px <= self.radius_norm * w
        # Leaving the target lets the ring drain slowly instead of resetting: kinder to tremor.
        self._dwell_s = self._dwell_s + dt_s if inside else max(self._dwell_s - 0.5 * dt_s, 0.0)
        # The trunk measure whose noise floor was measured (world mid-shoulder from its rest,
        # low-passed), against the therapist's threshold (default 60 mm, above that floor).
        over = self._trunk.displacement_mm() > self.ctx.limits.compensation_mm  # NaN is never over
        self._lean_s = self._lean_s + dt_s if over else 0.0
        if self._lean_s >= COMPENSATION_PERSIST_S and not self._compensated:
            self._compensated = True
            events.append(Feedback("compensation", N_("Sit tall - move just the arm")))
        hit = self._dwell_s >= self.dwell_s
        timed_out = bool(self.p.time_limit_s) and self._phase_t_s >= self.p.time_limit_s
        if hit or timed_out:
            detail = ReachRep(self.radius_norm, self.dwell_s)
            events += self._outcome(self._cue_t_s, tracked.t_s, hit, (tx, ty), self._compensated, detail)
            self._phase, self._phase_t_s, self._target = "settle", 0.0, None
        return events
