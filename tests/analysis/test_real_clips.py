"""analyze on real footage counts what a person counts, and its angles agree with an
independent computation from the same landmarks (issue 10, offline analysis).

How the squat clip was counted by a person (every frame looked at, 5 fps): she stands with
her arms hanging (frames 0-2), squats with both arms reaching forward to about shoulder
height (arms forward in frames 4-17), stands up and lowers the arms (back by frame 20);
again in frames 26-42; a third squat starts at frame 50 and the clip ends (frame 64) before
she is back up, arms still forward. Two complete repetitions (start -> movement -> back),
of arm raise and of elbow flexion (her hands meet in front of the chest).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from game.analysis.core import analyze_track
from game.analysis.exercises import get
from game.analysis.track import Track, track_clip
from tests.analysis.clips import SQUAT_FPS, palindrome_raises, still_astronaut, still_squat
from tests.realclips import squat_frames

REP_WINDOWS_S = ((0.4, 4.2), (5.0, 8.6))
"""Where a person sees the two complete reps (frames 2-21 and 25-43 at 5 fps)."""


@lru_cache(maxsize=8)
def tracked(name: str) -> Track:
    clips = {
        "squat": (lambda: list(squat_frames()), SQUAT_FPS),
        "palindrome3": (lambda: palindrome_raises(3), SQUAT_FPS),
        "still_squat": (still_squat, 10.0),
        "still_astronaut": (still_astronaut, 10.0),
    }
    make, fps = clips[name]
    return track_clip(make(), fps)


def elevation_oracle(world: np.ndarray, side: str) -> np.ndarray:
    """Thoraco-humeral elevation from raw landmarks, written from the definition: the angle
    between the upper arm (shoulder -> elbow) and the trunk's downward axis (mid-shoulder ->
    mid-hip)."""
    s, e = (11, 13) if side == "left" else (12, 14)
    down = 0.5 * (world[:, 23, :3] + world[:, 24, :3]) - 0.5 * (world[:, 11, :3] + world[:, 12, :3])
    arm = world[:, e, :3] - world[:, s, :3]
    cos = np.sum(down * arm, axis=-1) / (np.linalg.norm(down, axis=-1) * np.linalg.norm(arm, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def elbow_oracle(world: np.ndarray, side: str) -> np.ndarray:
    s, e, w = (11, 13, 15) if side == "left" else (12, 14, 16)
    a, b = world[:, s, :3] - world[:, e, :3], world[:, w, :3] - world[:, e, :3]
    cos = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))


@pytest.mark.parametrize("exercise", ["arm-raise", "elbow-flexion"])
@pytest.mark.parametrize("side", [None, "left", "right"])
def test_squat_clip_has_the_two_reps_a_person_counts(exercise, side):
    a = analyze_track(tracked("squat"), get(exercise), side)
    assert len(a.reps) == 2
    for rep, (lo, hi) in zip(a.reps, REP_WINDOWS_S, strict=True):
        assert lo - 0.3 <= rep.start_s < rep.peak_s < rep.end_s <= hi + 0.3
        assert rep.reliable


@pytest.mark.parametrize(
    ("exercise", "oracle"), [("arm-raise", elevation_oracle), ("elbow-flexion", elbow_oracle)]
)
@pytest.mark.parametrize("side", ["left", "right"])
def test_squat_clip_angles_agree_with_an_independent_computation(exercise, oracle, side):
    track = tracked("squat")
    a = analyze_track(track, get(exercise), side)
    ind = oracle(track.world, side)
    for rep in a.reps:
        peak = rep.metrics[get(exercise).headline]
        window = (track.t_s >= rep.peak_s - 0.21) & (track.t_s <= rep.peak_s + 0.21)
        # filtered peak vs the raw per-frame values around it: within MediaPipe's jitter
        assert abs(peak - np.median(ind[window])) < 5.0, (peak, ind[window])
        assert 60.0 < peak < 110.0  # arms forward about shoulder height; elbows bent ~90


def test_arm_raise_reports_the_plane_and_flexion_of_a_forward_raise():
    a = analyze_track(tracked("squat"), get("arm-raise"), "right")
    for rep in a.reps:
        assert abs(rep.metrics["plane_of_elevation_deg"] - 90.0) < 30.0  # forward
        assert rep.metrics["peak_shoulder_flexion_deg"] == pytest.approx(
            rep.metrics["peak_shoulder_elevation_deg"]
        )
        assert rep.metrics["peak_shoulder_abduction_deg"] is None  # not in the frontal plane


def test_built_clip_of_three_real_raises_gives_three_reps():
    a = analyze_track(tracked("palindrome3"), get("arm-raise"))
    assert len(a.reps) == 3
    assert all(r.reliable for r in a.reps)
    peaks = [r.metrics["peak_shoulder_elevation_deg"] for r in a.reps]
    assert np.ptp(peaks) < 5.0  # the same real frames each time


@pytest.mark.parametrize("clip", ["still_squat", "still_astronaut"])
@pytest.mark.parametrize("exercise", ["arm-raise", "elbow-flexion"])
def test_a_clip_where_nothing_moves_gives_zero_reps(clip, exercise):
    track = tracked(clip)
    assert track.frames_tracked == track.frames
    assert analyze_track(track, get(exercise)).reps == ()
