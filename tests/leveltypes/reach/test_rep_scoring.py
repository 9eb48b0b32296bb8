"""A reach rep stores each value with the flag of the computation that made it (issue 10
item 6; the lead's item 5).

Failed before: the session stored time to target, reach fraction and peak shoulder flexion
from the cheap live summary (no filter, no dwell) next to the full score's flags, and replaced
score_reps' trunk displacement by a picture-based one whose floor on still real footage is
above the cue. Now every stored reach metric is score_reps' own value and flag, reach_fraction
is reach_pct_arm / 100 with the same flag, and the affected arm's elevation and plane of
elevation are stored.
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.reach.exercise import ReachRep
from game.mirror import reflect_point_norm
from game.scoring import score_reps
from game.session.scoring import REP_LEAD_S, window
from game.tracking.pose import other_side
from game.tracking.simulated import MODERATE
from tests.leveltypes.driving import drive

CHECKED = (
    "time_to_target_s",
    "reach_pct_arm",
    "peak_shoulder_elevation_deg",
    "plane_of_elevation_deg",
    "peak_shoulder_flexion_deg",
    "peak_shoulder_abduction_deg",
    "trunk_displacement_mm",
    "reaction_time_s",
)


def test_stored_values_and_flags_come_from_one_score_reps_call():
    out = drive("reach-apples", 40.0, model=MODERATE)
    assert out.recording is not None and len(out.reps) >= 3
    side = other_side(MODERATE.affected_side)
    for rep, stored in zip(out.reps, out.metrics, strict=True):
        assert isinstance(rep.detail, ReachRep)
        # the session scores a rep when it ends: its frames reach back REP_LEAD_S before the cue
        frames = window(out.recording, rep.t_cue_s - REP_LEAD_S, rep.t_end_s)
        k = int(np.searchsorted(frames.t_s, rep.t_cue_s - 1e-6))
        target = reflect_point_norm(np.asarray(rep.target_xy_norm), frames.image[k], (1280, 720))
        full = score_reps(
            frames.t_s, frames.world, frames.image, side=side, cue_s=np.array([rep.t_cue_s]),
            end_s=np.array([rep.t_end_s]), targets_xy_norm=target[None, :],
            target_radius_norm=rep.detail.radius_norm, arm_length_m=MODERATE.arm_m,
            aspect_w_over_h=1280 / 720, dwell_s=0.0,
        )  # fmt: skip
        for name in CHECKED:
            np.testing.assert_equal(stored[name], float(full[name][0]), err_msg=name)
            assert stored[f"{name}_reliable"] == float(full[f"{name}_reliable"][0]), name
        assert stored["reach_fraction"] == stored["reach_pct_arm"] / 100.0
        assert stored["reach_fraction_reliable"] == stored["reach_pct_arm_reliable"]
    affected = [m for m in out.metrics if "affected_peak_shoulder_elevation_deg" in m]
    assert affected and all("affected_plane_of_elevation_deg" in m for m in affected)
