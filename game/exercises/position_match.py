"""Position-match level type (proprioception): see an arm position, then find it again unseen.

Each rep: a ghost arm shows a target position (arm elevation in the frontal plane); the
patient brings the mirrored hand there and holds it ("show"). A curtain then hides the arm;
the patient lowers it ("away") and reproduces the position without seeing it ("find"), holding
still to answer. The game grades the joint reposition error in degrees, absolute and signed
(> 0 overshoot; game.scoring.reposition_error_deg), and at the end of the level the variable
error across reps (game.scoring.reposition_summary_deg). The angle is the 2-D arm elevation
of shoulder→hand in the image (clinical_metrics.md §4.2; markerless angles carry 5–15° error,
§4.3, hence the default tolerance of 15°). Target elevations are capped to the therapist's
shoulder limits and the distance to ``max_reach_fraction`` (§4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.exercises.base import Event, ExerciseContext, Feedback, Tracked, effective
from game.exercises.common import (
    ExerciseBase,
    arm_point_px,
    elevation_cap_deg,
    elevation_of_px,
    to_px,
)
from game.levels import param
from game.tracking import pose as P
from game.tracking.pose import Goal

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


class PositionMatchExercise(ExerciseBase):
    """A running position-match level."""

    params_type = PositionMatchParams

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

    def goal(self) -> Goal | None:
        if self._target is None:
            return Goal("rest")
        xy = self._norm(self._target)
        if self._phase == "show":
            return Goal("hand", xy)
        if self._phase == "find":
            return Goal("hand", xy, hidden=True)
        return Goal("rest")

    def _view(self) -> dict[str, Any]:
        assert self._sign != 0
        out: dict[str, Any] = {
            "phase": self._phase,
            "hidden": self._phase in ("away", "find"),
            "ghost": None,
            "answer": None,
            "side_sign": self._sign,
        }
        if self._target is not None and self._body is not None and self._phase in ("show", "reveal"):
            out["ghost"] = {"shoulder": self._norm(self._body.shoulder_px), "hand": self._norm(self._target)}
            if self._phase == "show":
                out["targets"] = [
                    {
                        "xy": self._norm(self._target),
                        "radius": self.p.target_radius_norm,
                        "progress": min(self._dwell_s / self.p.show_dwell_s, 1.0),
                    }
                ]
        if self._phase == "reveal" and self._answer is not None:
            out["answer"] = {"hand": self._norm(self._answer), "error_deg": self._last_error()}
        if self._phase == "find":
            out["progress"] = min(self._still_s / self.p.still_s, 1.0)
        return out

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
            return [Feedback("cue", "Find the place again")]
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
        return [Feedback("cue", "Remember this place")]

    def _step_show(self, dt_s: float, hand: np.ndarray) -> list[Event]:
        assert self._target is not None
        d = float(np.linalg.norm(hand - np.asarray(self._target)))
        inside = d <= self.p.target_radius_norm * self.ctx.frame_size[0]
        self._dwell_s = self._dwell_s + dt_s if inside else max(self._dwell_s - 0.5 * dt_s, 0.0)
        if self._dwell_s >= self.p.show_dwell_s or self._phase_t_s >= self.p.time_limit_s:
            self._phase, self._phase_t_s = "away", 0.0
            return [Feedback("cue", "Eyes on the curtain - arm down")]
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
        from game.scoring import reposition_error_deg, reposition_summary_deg

        target = self.target_deg()
        abs_e, signed_e = reposition_error_deg(np.array(reproduced_deg), np.array(target))
        self._reproduced.append(reproduced_deg)
        self._answer = (float(self._hand_px()[0]), float(self._hand_px()[1]))
        extra = {
            "absolute_error_deg": float(abs_e),
            "signed_error_deg": float(signed_e),
            "target_deg": target,
            "reproduced_deg": reproduced_deg,
        }
        if len(self._reproduced) == self.reps:  # variable error needs all trials (SD, ddof=1)
            summary = reposition_summary_deg(np.array(self._reproduced), np.array(self._angles))
            extra["variable_error_deg"] = float(summary["variable_error_deg"])
            extra["constant_error_deg"] = float(summary["constant_error_deg"])
        assert self._target is not None
        success = bool(float(abs_e) <= self.p.tolerance_deg)
        self._phase, self._phase_t_s = "reveal", 0.0
        return self._outcome(self._cue_t_s, tracked.t_s, success, self._norm(self._target), extra=extra)
