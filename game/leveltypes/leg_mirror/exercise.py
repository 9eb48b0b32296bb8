"""Leg mirror (seated lower-limb mirror therapy): straighten the knee or lift the toes with the
good leg and watch the affected leg do it in the mirror.

The display reflects the unaffected leg onto the affected side (LevelType.mirrors includes
"leg"; avatar and video mirror alike, game.mirror), so the patient sees the affected leg move
well. Each rep: "Straighten your knee" (``movement = "knee"``: the knee of the leg on screen
must reach ``knee_target_deg`` of flexion, 0 = straight, and stay there ``dwell_s``) or "Pull
your toes up" (``"ankle"``: the ankle ``ankle_target_deg`` of dorsiflexion); then "And relax"
until the leg is back down. The patient is encouraged to try with the affected leg too; its
own attempt is measured separately (metrics.py). Seated: no chair question, no standing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.standing import LegView, SitStill, StandingExercise
from game.scoring.lower_limb import ankle_dorsiflexion_deg, knee_flexion_deg
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, Side

KNEE_TOLERANCE_DEG = 5.0
ANKLE_TOLERANCE_DEG = 3.0
KNEE_DOWN_DEG = 70.0
"""The knee counts as back down (foot on the floor) at this much flexion."""


@dataclass(frozen=True)
class LegMirrorParams:
    """Parameters of a leg mirror level (units in the names; ranges checked at load time)."""

    reps: int = param(6, 1, 30, help="movements")
    movement: str = param(
        "knee", help="straighten the knee, lift the toes, or both in turn", choices=("knee", "ankle", "both")
    )
    knee_target_deg: float = param(30.0, 0.0, 80.0, "deg", "knee flexion to reach (0 = straight)")
    ankle_target_deg: float = param(15.0, 5.0, 30.0, "deg", "toes-up angle to reach")
    dwell_s: float = param(1.0, 0.2, 5.0, "s", "hold at the top")
    time_limit_s: float = param(8.0, 2.0, 30.0, "s", "per movement")
    rest_s: float = param(1.5, 0.0, 10.0, "s", "between movements")


@dataclass(frozen=True)
class MoveLeg:
    """Goal: with both legs (the good one drives the mirror), straighten the knee to
    ``knee_deg`` of flexion or lift the toes ``ankle_deg``."""

    movement: str
    knee_deg: float
    ankle_deg: float


@dataclass(frozen=True)
class LegMirrorRep:
    """A movement's own event data: what was asked and which leg drove the mirror."""

    movement: str
    target_deg: float
    driving_side: Side


@dataclass(frozen=True)
class LegMirrorView(LegView):
    """What a leg mirror level shows: the mirrored leg's angle against the goal, and the hold."""

    movement: str = "knee"
    angle_deg: float = 0.0
    target_deg: float = 30.0
    moving: bool = False
    hold: float = 0.0


class LegMirrorExercise(StandingExercise):
    """A running leg mirror level."""

    CHAIR = False

    def __init__(self, params: LegMirrorParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.good: Side = P.other_side(ctx.affected_side)
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        self.angle_deg = float("nan")
        self._rest_ankle = float("nan")
        self._held_s = 0.0
        self._cue_t_s = 0.0

    @property
    def movement(self) -> str:
        """This rep's movement: the level's, or ankle and knee in turn ("both")."""
        if self.p.movement != "both":
            return self.p.movement
        return "ankle" if self._rep % 2 == 0 else "knee"

    @property
    def target_deg(self) -> float:
        return float(self.p.knee_target_deg if self.movement == "knee" else self.p.ankle_target_deg)

    def goal(self) -> object:
        shared = self._shared_goal()
        if shared is not None:
            return shared
        if self._phase == "move":
            return MoveLeg(self.movement, self.p.knee_target_deg, self.p.ankle_target_deg)
        return SitStill()

    def view(self) -> LegMirrorView:
        moving = self._phase == "move"
        return LegMirrorView(
            self._hud(time_left_s=max(self.p.time_limit_s - self._phase_t_s, 0.0) if moving else None),
            **self._leg_view(),  # type: ignore[arg-type]
            movement=self.movement,
            angle_deg=self.angle_deg,
            target_deg=self.target_deg,
            moving=moving,
            hold=min(self._held_s / self.dwell_s, 1.0),
        )

    def _angle(self, tracked: Tracked) -> float:
        """The driving (good) leg's knee flexion or ankle lift: what the mirrored leg shows."""
        assert tracked.raw is not None
        w = tracked.raw.world[:, :3].astype(np.float64)
        w[tracked.raw.world[:, 3] < VISIBLE] = np.nan
        if self.movement == "knee":
            return float(knee_flexion_deg(w, self.good))
        return float(ankle_dorsiflexion_deg(w, self.good)) - self._rest_ankle

    def _begin(self) -> list[Event]:
        self._set_phase("rest")
        return [Feedback("cue", "Sit tall, watch the leg in the mirror")]

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        if self.movement == "ankle" and self._rest_ankle != self._rest_ankle:
            self._rest_ankle = 0.0
            self._rest_ankle = self._angle(tracked)
        self.angle_deg = self._angle(tracked)
        knee = self.movement == "knee"
        if self._phase == "rest":
            if self._rep >= self.reps:
                return self._finish()
            down = self.angle_deg >= KNEE_DOWN_DEG if knee else self.angle_deg <= ANKLE_TOLERANCE_DEG
            if self._phase_t_s >= self.p.rest_s and down:
                self._set_phase("move")
                self._cue_t_s, self._held_s = tracked.t_s, 0.0
                return [Feedback("cue", "Straighten your knee" if knee else "Pull your toes up")]
            return []
        if self._phase == "move":
            reached = (
                self.angle_deg <= self.target_deg + KNEE_TOLERANCE_DEG
                if knee
                else self.angle_deg >= self.target_deg - ANKLE_TOLERANCE_DEG
            )
            self._held_s = self._held_s + dt_s if reached else max(self._held_s - 0.5 * dt_s, 0.0)
            if self._held_s >= self.dwell_s or self._phase_t_s > self.p.time_limit_s:
                detail = LegMirrorRep(self.movement, self.target_deg, self.good)
                success = self._held_s >= self.dwell_s
                events = self._outcome(self._cue_t_s, tracked.t_s, success, detail=detail)
                self._set_phase("rest")
                return events + [Feedback("cue", "And relax")]
        return []
