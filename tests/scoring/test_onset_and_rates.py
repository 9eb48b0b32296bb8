"""Issue 10 items 2 and 3: onset toward the target, the before-the-cue flag, 10-60 Hz.

Failed before: onset was the first sample above 5 % of peak speed anywhere after the cue, so
a hand still moving back at the cue gave RT = 0 and an inflated MT, all reliable; and the
6 Hz low-pass raised ValueError at pose rates <= 12 Hz.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring import lowpass, preprocess_landmarks
from game.scoring.synthetic import reaching_session, score_session, simulated_reaches
from game.tracking.simulated import MILD

TRUE_RT_S = 0.4 + 0.06  # reaction 0.4 s; the 5 % threshold trims 0.06 s of min-jerk start
TRUE_MT_S = 0.88


def _score(s, **kw):
    return score_session(s, **kw)


@pytest.mark.parametrize("overlap_s", [0.2, 0.4])
def test_hand_still_moving_back_at_the_cue_is_not_the_reaction(overlap_s):
    # The return of each rep ends ``overlap_s`` after the next cue (0.4: it flows straight
    # into the next reach); the reach starts 0.4 s after the cue.
    period = 0.4 + 1.0 + 0.6 + 1.0 - overlap_s
    s = reaching_session(4, rep_period_s=period)
    r = _score(s)
    np.testing.assert_allclose(r["reaction_time_s"][1:], TRUE_RT_S, atol=0.05)
    np.testing.assert_allclose(r["movement_time_s"][1:], TRUE_MT_S, atol=0.05)
    assert not r["started_before_cue"].any()
    assert r["reaction_time_s_reliable"].all()


def test_rep_started_before_the_cue_is_flagged_not_timed():
    s = reaching_session(3)
    late_cue = s.cue_s + 0.6  # the reach began 0.2 s before this "cue"
    r = _score(s, cue_s=late_cue)
    assert r["started_before_cue"].all()
    assert np.isnan(r["reaction_time_s"]).all() and not r["reaction_time_s_reliable"].any()
    np.testing.assert_allclose(r["movement_time_s"], TRUE_MT_S, atol=0.05)  # from the true onset
    np.testing.assert_allclose(r["onset_s"], s.cue_s + TRUE_RT_S, atol=0.05)


def test_hand_moving_away_only_gives_no_movement():
    s = reaching_session(2)
    # windows that hold only the return (moving away from the target): nothing toward it
    r = _score(s, cue_s=s.end_s + 0.05, end_s=s.end_s + 1.2)
    assert np.isnan(r["reaction_time_s"]).all() and np.isnan(r["movement_time_s"]).all()


@pytest.mark.parametrize("fs_hz", [10.0, 12.0, 15.0, 20.0, 30.0, 60.0])
def test_every_pose_rate_from_10_to_60_hz_scores(fs_hz):
    s = reaching_session(3, fs_hz=fs_hz)
    r = _score(s)
    dt = 1.0 / fs_hz
    np.testing.assert_allclose(r["reaction_time_s"], TRUE_RT_S, atol=dt + 0.03)
    np.testing.assert_allclose(r["movement_time_s"], TRUE_MT_S, atol=2 * dt + 0.03)
    np.testing.assert_allclose(r["peak_shoulder_elevation_deg"], 80.0, atol=1.0)
    np.testing.assert_allclose(r["sparc"], -1.40, atol=0.05)
    np.testing.assert_allclose(r["nmu"], 1.0)
    assert r["success"].all() and r["peak_speed_m_s_reliable"].all()


@pytest.mark.parametrize("fs_hz", [10.0, 12.0])
def test_default_lowpass_and_preprocessing_run_below_12_hz(fs_hz):
    t = np.arange(60) / fs_hz
    slow = np.sin(2 * np.pi * 0.3 * t)
    np.testing.assert_allclose(lowpass(slow, fs_hz)[10:-10], slow[10:-10], atol=0.02)
    s = reaching_session(1, fs_hz=fs_hz)
    assert np.isfinite(preprocess_landmarks(s.t_s, s.world).xyz).all()
    with pytest.raises(ValueError, match="cutoff_hz"):
        lowpass(slow, fs_hz, cutoff_hz=fs_hz / 2)  # an explicit cut-off must stay below Nyquist


def test_landmark_jitter_while_holding_the_target_does_not_stretch_the_movement():
    # The simulated patient (seed 8) reaches and holds each target for seconds with 2 mm of
    # landmark noise. Formerly the offset was the last 100 ms run above 5 % of peak speed
    # anywhere before the return, and the jitter of the hold stretched the first rep's
    # movement time to 5.5 s (7 "movement units"); the movement now ends where the hand has
    # arrived: inside the target and below the threshold for 100 ms (§3).
    rec = simulated_reaches(MILD, fps_hz=30.0, seed=8)
    r = score_session(rec, target_radius_norm=0.05)
    assert r["movement_time_s"].max() < 1.6
    assert (r["nmu"] == 1).all()
