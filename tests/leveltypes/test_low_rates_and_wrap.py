"""Issue 10 items 3, 5 and 9 in the level types: every pose rate from 10 Hz is measured with the
scoring module's own cut-offs (no hard-coded 6 Hz), sway is low-passed where body sway lives,
and an arm angle in the picture never jumps by 360 deg.

Failed before: the trace level returned no smoothness at 13 Hz or less (a hard-coded 6 Hz
low-pass it could not run), sway was low-passed at 6 Hz (a still body with 2 mm landmark noise
read about 27 mm/s, as much as a patient's real sway), and elevation_of_px returned -180 deg for
an arm straight up on the right, so position match could report an error of -350 deg.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from game.leveltypes.common import elevation_of_px
from game.leveltypes.events import RepOutcome
from game.leveltypes.measure import RepData, sway_of
from game.leveltypes.position_match.exercise import PositionMatchRep
from game.leveltypes.position_match.metrics import rep_metrics as position_match_metrics
from game.scoring.noise_floor import NOISE_FLOORS
from game.tracking import pose as P
from game.tracking.motor import Motor
from game.tracking.recorder import Recording
from game.tracking.simulated import MILD, SimulatedPatient
from tests.leveltypes.driving import drive


@pytest.mark.parametrize("fs_hz", [10.0, 12.0, 30.0, 60.0])
def test_sway_of_a_still_body_stays_near_the_measured_floor(fs_hz):
    rng = np.random.default_rng(int(fs_hz))
    t = np.arange(int(10 * fs_hz)) / fs_hz
    still = rng.normal(0.0, 0.002, (t.size, 2))  # 2 mm of landmark noise, nothing moves
    sway = sway_of(t, still)
    floor = NOISE_FLOORS["sway_mean_velocity_m_s"].floor  # still real footage, standing
    assert sway["mean_velocity_m_s"] < floor
    assert sway["rms_m"] < 0.002


def test_sway_of_keeps_real_slow_sway():
    t = np.arange(600) / 30.0
    sway = np.stack([0.01 * np.sin(2 * np.pi * 0.25 * t), 0.005 * np.cos(2 * np.pi * 0.2 * t)], -1)
    got = sway_of(t, sway)
    assert got["rms_m"] == pytest.approx(np.sqrt(0.01**2 / 2 + 0.005**2 / 2), rel=0.05)


@pytest.mark.parametrize("fs_hz", [10.0, 12.0])
def test_trace_smoothness_at_low_pose_rates(fs_hz):
    out = drive("trace-fish", 30.0, model=replace(MILD, fps_hz=fs_hz))
    assert out.metrics
    sparc = [m["sparc"] for m in out.metrics]
    assert np.isfinite(sparc).all() and max(sparc) < -1.0


@pytest.mark.parametrize("out_sign", [1.0, -1.0])
def test_arm_angle_in_the_picture_is_continuous_through_overhead(out_sign):
    shoulder = np.array([100.0, 100.0])
    # raise the arm in the picture from hanging (0) through out to the side (90) to overhead
    # (180) and a little across (190): the angle grows monotonically
    angles = [0.0, 45.0, 90.0, 135.0, 179.0, 180.0, 181.0, 190.0]
    got = []
    for a in angles:
        r = np.radians(a)
        hand = shoulder + 50.0 * np.array([out_sign * np.sin(r), np.cos(r)])
        got.append(elevation_of_px(shoulder, hand, out_sign))
    np.testing.assert_allclose(got, angles, atol=1e-9)
    # straight up on either side, including the exact -0.0 x offset, is 180, never -180
    assert elevation_of_px(shoulder, shoulder + [-0.0, -50.0], out_sign) == pytest.approx(180.0)
    assert elevation_of_px(shoulder, shoulder + [0.0, -50.0], out_sign) == pytest.approx(180.0)


def test_position_match_scores_an_arm_raised_past_vertical_on_the_circle():
    # The displayed right arm (mirrored from the real left one) held 5 deg past straight up:
    # reproduced 185 deg, 35 deg above a 150 deg target -- formerly -175 deg, and an arm that
    # never counted as "raised" for the answer.
    sim = SimulatedPatient(replace(MILD, affected_side="right", noise_m=0.0, tremor_m=0.0, sway_m=0.0))
    first = sim.poll(0.0)
    size = np.asarray(sim.frame_size, dtype=np.float64)
    shoulder = first.image[P.R_SHOULDER, :2] * size
    r, a = (
        0.55 * np.linalg.norm((first.image[P.L_SHOULDER, :2] - first.image[P.R_SHOULDER, :2]) * size) * 2.2,
        5.0,
    )
    goal = shoulder + r * np.array([np.sin(np.radians(a)), -np.cos(np.radians(a))])  # up, toward the body
    sim.set_goal(Motor(hand_xy=(float(goal[0] / size[0]), float(goal[1] / size[1]))))
    frames = [f for f in (sim.poll(k / 30.0) for k in range(1, 150)) if f is not None]
    rec = Recording(
        np.array([f.t_s for f in frames]),
        np.stack([f.image for f in frames]),
        np.stack([f.world for f in frames]),
    )
    outcome = RepOutcome(
        "match", 0, 0, 0.0, frames[-1].t_s, False, False, detail=PositionMatchRep(150.0, False)
    )
    rep = RepData(outcome, rec, "right", sim.frame_size)
    m = position_match_metrics(rep)
    assert 175.0 < m["reproduced_deg"] < 200.0
    assert m["signed_error_deg"] == pytest.approx(m["reproduced_deg"] - 150.0)
