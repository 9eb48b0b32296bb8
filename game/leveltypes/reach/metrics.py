"""What a reach rep is scored on, computed from its recorded frames (docs/sources.md §1-§4).

In the mirror the unaffected arm drives the display: it does the reaching. The target was
shown on the affected side, so for that arm it is reflected across the body midline at cue
time (game.mirror.reflect_point_norm). The driving arm gets the full per-rep metrics of
game.scoring.score_reps (with valid fractions and reliable flags) plus the live summary of
quick_rep_score under plain names; the affected arm's own attempt is stored under
``affected_*`` names (reliable values only: that arm may barely move). Trunk compensation is
measured in the picture (game.scoring.compensation.picture_trunk_displacement_mm); the world
landmark version of score_reps is kept as ``trunk_displacement_world_mm``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from game.leveltypes.measure import SUCCESS_GOAL, RepData, trunk_metrics
from game.leveltypes.reach.exercise import ReachRep
from game.mirror import reflect_point_norm
from game.scoring import quick_rep_score, score_reps
from game.scoring.compensation import picture_trunk_displacement_mm
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
    "peak_shoulder_abduction_deg",
    "reach_fraction",
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
    # Trunk compensation from the picture (world landmarks swing when the hips are hidden).
    out["trunk_displacement_world_mm"] = out.get("trunk_displacement_mm", float("nan"))
    out["trunk_displacement_mm"] = picture_trunk_displacement_mm(
        t, rep.frames.image, rep.frame_size, start=k, live=rep.live
    )
    own = arm.score(rep.affected_side, target)
    out.update(
        {
            f"affected_{name}": own[name]
            for name in AFFECTED_METRICS
            if name in own and own.get(f"{name}_reliable", 1.0)
        }
    )
    return out


@dataclass(frozen=True)
class _ArmScorer:
    """Scores one arm over one rep's window (shared by the driving and the affected arm)."""

    rep: RepData
    detail: ReachRep

    def score(self, side: Side, target: np.ndarray) -> dict[str, float]:
        rep, frames = self.rep, self.rep.frames
        aspect = rep.frame_size[0] / rep.frame_size[1]
        common: dict[str, Any] = dict(
            side=side,
            target_radius_norm=self.detail.radius_norm,
            arm_length_m=rep.arm_m,
            aspect_w_over_h=aspect,
        )
        full = score_reps(
            frames.t_s,
            frames.world,
            frames.image,
            cue_s=np.array([rep.outcome.t_cue_s]),
            end_s=np.array([rep.outcome.t_end_s]),
            targets_xy_norm=target[None, :],
            dwell_s=self.detail.dwell_s,
            **common,
        )
        out = {name: float(v[0]) for name, v in full.items()}
        lv = rep.live
        if lv.stop - lv.start >= 2:
            quick = quick_rep_score(
                frames.t_s[lv],
                frames.world[lv],
                frames.image[lv],
                target_xy_norm=(float(target[0]), float(target[1])),
                dwell_s=0.0,
                **common,
            )
            out["time_to_target_s"] = float(quick.time_to_target_s)
            out["reach_fraction"] = float(quick.reach_frac_arm)
            out["peak_shoulder_flexion_deg"] = float(quick.peak_shoulder_flexion_deg)
        return out
