"""What a reach rep is scored on, computed from its recorded frames (docs/sources.md §1-§4).

In the mirror the unaffected arm drives the display: it does the reaching. The target was
shown on the affected side, so for that arm it is reflected across the body midline at cue
time (game.mirror.reflect_point_norm). The driving arm gets the per-rep metrics of
game.scoring.score_reps under their own names, each value with the valid fraction and
reliable flag computed in the same call (nothing is replaced by the cheap live summary), plus
``reach_fraction`` = ``reach_pct_arm`` / 100 with the same flag. The affected arm's own attempt
is stored under ``affected_*`` names (reliable values only: that arm may barely move). Trunk
compensation is score_reps' world measure (game.scoring.compensation: the mid-shoulder from
its rest before onset, low-passed at 1.5 Hz), the one whose noise floor was measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.leveltypes.measure import SUCCESS_GOAL, RepData, trunk_metrics
from game.leveltypes.reach.exercise import ReachRep
from game.mirror import reflect_point_norm
from game.scoring import score_reps
from game.scoring.grades import HIGHER, LOWER
from game.tracking.pose import Side, other_side

GRADED = {
    # reaching: success and distance first, then smoothness and compensation (§1, §3)
    "success_rate": (HIGHER, 2.0),
    "reach_pct_arm": (HIGHER, 2.0),
    "sparc": (HIGHER, 1.0),
    "movement_time_s": (LOWER, 1.0),
    "trunk_displacement_mm": (LOWER, 1.0),
    "shoulder_hiking_mm": (LOWER, 0.5),
}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": SUCCESS_GOAL}
"""Default goals when the therapist set none."""
AFFECTED_METRICS = (
    "sparc",
    "reach_pct_arm",
    "reach_fraction",
    "peak_shoulder_elevation_deg",
    "plane_of_elevation_deg",
    "peak_shoulder_abduction_deg",
    "peak_shoulder_flexion_deg",
)
"""What is stored of the affected arm's own attempt at each reach."""
MIN_FRAMES = 8
"""Fewer frames than this in a rep's window: only the trunk is measured."""


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one reach rep (see the module doc); metric names as in game.scoring.score_reps."""
    detail = rep.outcome.detail
    target = np.asarray(rep.outcome.target_xy_norm, dtype=np.float64)
    t = rep.frames.t_s
    if not isinstance(detail, ReachRep) or len(t) < MIN_FRAMES or not np.all(np.isfinite(target)):
        return trunk_metrics(rep)
    k = min(rep.cue_index, len(t) - 1)
    driving = other_side(rep.affected_side)
    reached = reflect_point_norm(target, rep.frames.image[k], rep.frame_size)
    arm = _ArmScorer(rep, detail)
    out = arm.score(driving, reached)
    own = arm.score(rep.affected_side, target)
    out.update(
        {
            f"affected_{name}": own[name]
            for name in AFFECTED_METRICS
            if np.isfinite(own[name]) and own.get(f"{name}_reliable", 0.0)
        }
    )
    return out


@dataclass(frozen=True)
class _ArmScorer:
    """Scores one arm over one rep's window (shared by the driving and the affected arm)."""

    rep: RepData
    detail: ReachRep
    """The rep's event data: its target radius (the hold is the game's verdict)."""

    def score(self, side: Side, target: np.ndarray) -> dict[str, float]:
        """score_reps of one arm: every metric with its own companions, and reach_fraction."""
        rep, frames = self.rep, self.rep.frames
        full = score_reps(
            frames.t_s,
            frames.world,
            frames.image,
            side=side,
            cue_s=np.array([rep.outcome.t_cue_s]),
            end_s=np.array([rep.outcome.t_end_s]),
            targets_xy_norm=target[None, :],
            target_radius_norm=self.detail.radius_norm,
            arm_length_m=rep.arm_m,
            aspect_w_over_h=rep.frame_size[0] / rep.frame_size[1],
            # time to target = cue to the first arrival of the hand point in the target; the
            # game's hold (drained gently by tremor, on the displayed hand) decides success,
            # and the rep's frames end the moment that hold completes, so score_reps' own
            # full-dwell test would often find no dwell inside the window
            dwell_s=0.0,
        )
        out = {name: float(v[0]) for name, v in full.items()}
        for suffix in ("", "_valid_fraction", "_reliable"):
            value = out[f"reach_pct_arm{suffix}"]
            out[f"reach_fraction{suffix}"] = value / 100.0 if suffix == "" else value
        return out
