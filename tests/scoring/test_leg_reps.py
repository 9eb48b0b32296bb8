"""Sit-to-stand and squat repetitions (game.scoring.leg_reps) on real footage, clips built from
real frames, the astronaut photograph and the simulated patient from the front and the side.

The squat clip (tests/data/squats_pose.npz, 5 fps) was counted by a person frame by frame: she
stands (frames 0-2), squats (bottom around frames 8-12) and is up again by frame 19; squats
again (bottom 31-37), up by frame 42; a third squat starts at frame 52 and the clip ends at frame
64 with her still well bent. Two complete squats; the third is cut off
(docs/validation.md §12).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from game.scoring.leg_reps import (
    analyze_reps,
    clip_thresholds,
    excursion_reps,
    hysteresis_states,
    rises,
    seat_check,
)
from game.tracking.motor import Posture
from game.tracking.simulated import MILD, MODERATE
from tests.legs import STAND_BACK, scripted, sit_stand_cycles
from tests.scoring.real_landmarks import astronaut_landmarks
from tests.scoring.squat_landmarks import squat_landmarks, upright_when_low


def _knee_by_arccos(world: np.ndarray) -> np.ndarray:
    """Independent knee flexion: 180 - arccos of the normalised dot product, per frame and leg,
    averaged over the two legs (the published definition, written without the game's code)."""
    out = []
    for hip, knee, ankle in ((23, 25, 27), (24, 26, 28)):
        u = world[:, hip, :3] - world[:, knee, :3]
        v = world[:, ankle, :3] - world[:, knee, :3]
        cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
        out.append(180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    return 0.5 * (out[0] + out[1])


def test_hysteresis_counts_a_noisy_crossing_once_and_drops_a_cut_off_rep() -> None:
    x = np.array([0, 0.4, 0.6, 0.4, 0.61, 1.0, 0.7, 0.45, 0.55, 0.2, 0.0, 0.9, 1.0, 0.8])
    assert hysteresis_states(x, 0.3, 0.6).tolist() == [0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1]
    start, peak, end = excursion_reps(x, 0.3, 0.6)
    assert start.tolist() == [0] and peak.tolist() == [5] and end.tolist() == [10]
    assert clip_thresholds(np.full(20, 3.0) + 0.1 * np.sin(np.arange(20)), 1.0) is None
    with pytest.raises(ValueError, match="low"):
        hysteresis_states(x, 0.6, 0.3)


def test_rises_known_signal() -> None:
    x = np.array([0, 0.7, 0.9, np.nan, 0.8, 0.2, 0.0, 0.65, 0.5, np.nan, 0.95, 0.1, 0.8, 0.99, 0.9])
    starts, peaks = rises(x, 0.3, 0.6)
    assert starts.tolist() == [1, 7, 12]  # the last one has not come back yet: still counted
    assert peaks.tolist() == [2, 10, 13]  # NaN skipped; the largest value until back at rest


def _rises_by_loop(x: np.ndarray, low: float, high: float) -> tuple[list[int], list[int]]:
    """Rises written out sample by sample: movement from ``high`` up, rest at ``low`` or below,
    NaN keeps the state; a rise starts where movement begins after the first sample, and its
    peak is the first largest value until rest."""
    state, starts, peaks = -1, [], []
    for i, v in enumerate(x.tolist()):
        before = state
        if v >= high:
            state = 1
        elif v <= low:
            state = 0
        if i > 0 and state == 1 and before != 1:
            starts.append(i)
            peaks.append(i)
        elif state == 1 and before == 1 and peaks and v > x[peaks[-1]]:
            peaks[-1] = i
    return starts, peaks


@pytest.mark.parametrize("seed", range(5))
def test_rises_match_a_sample_by_sample_count(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.sin(np.arange(3000) / 15.0) + rng.normal(0.0, 0.3, 3000)
    x[rng.random(x.size) < 0.03] = np.nan
    starts, peaks = rises(x, -0.2, 0.2)
    want_starts, want_peaks = _rises_by_loop(x, -0.2, 0.2)
    assert starts.size > 20
    assert starts.tolist() == want_starts
    assert peaks.tolist() == want_peaks


def test_the_real_squat_clip_has_the_two_squats_a_person_counts() -> None:
    t, _, world, _ = squat_landmarks()
    reps = analyze_reps("squat", t, world)
    assert len(reps) == 2
    frames = [(round(r["start_s"] * 5), round(r["peak_s"] * 5), round(r["end_s"] * 5)) for r in reps]
    (a1, p1, e1), (a2, p2, e2) = frames
    assert a1 <= 3 and 7 <= p1 <= 12 and 17 <= e1 <= 21  # the person: down from 3, up by 19
    assert 25 <= a2 <= 28 and 30 <= p2 <= 37 and 40 <= e2 <= 44  # down from 27, up by 42
    oracle = _knee_by_arccos(world.astype(np.float64))
    for r, (a, _, e) in zip(reps, frames, strict=True):
        assert r["reliable"]
        assert r["metrics"]["peak_knee_flexion_deg"] == pytest.approx(
            float(np.max(oracle[a : e + 1])), abs=1e-6
        )
        assert 85.0 <= r["metrics"]["peak_knee_flexion_deg"] <= 105.0  # a deep, parallel squat


def test_a_clip_built_from_the_real_frames_counts_its_squats_and_a_still_clip_none() -> None:
    """Frames 19 -> 10 -> 19 (standing to the bottom and up) three times with standing frames
    between: three squats. Standing frames 43-50 and the bottom frame 33 held still (with the
    clip's own jitter): none."""
    t, _, world, _ = squat_landmarks()
    one = [19, 19, 19] + list(range(19, 9, -1)) + list(range(10, 20)) + [20, 21, 22]
    built = world[one * 3]
    assert len(analyze_reps("squat", np.arange(len(built)) / 5.0, built)) == 3
    still = world[list(range(43, 51)) * 4]
    assert analyze_reps("squat", np.arange(32) / 5.0, still) == []
    bottom = world[[33, 34, 35, 34] * 8]
    assert analyze_reps("squat", np.arange(32) / 5.0, bottom) == []
    assert analyze_reps("sit-to-stand", np.arange(32) / 5.0, bottom) == []
    assert analyze_reps("sit-to-stand", np.arange(len(built)) / 5.0, built) == []  # squats, no chair


def test_the_real_squat_clip_has_no_sit_to_stands() -> None:
    """At the bottom of her squats the hips are as low as on a chair (1.1-1.3 shank lengths) but
    the trunk leans 23-29 deg forward and never comes upright while the hips are low: no seated
    posture, so 0 sit-to-stands (a person counts 0; before this rule the clip gave 2)."""
    t, _, world, _ = squat_landmarks()
    assert analyze_reps("sit-to-stand", t, world) == []
    check = seat_check(world[..., :3].astype(np.float64))
    assert not check.seated_upright
    assert 20.0 <= check.lowest_lean_deg <= 32.0  # measured 23-29 deg at the bottom
    assert check.lean_limit_deg < check.lowest_lean_deg


def test_the_trunk_decides_the_same_clip_sat_upright_has_its_two_stands() -> None:
    """The squat clip with only the trunk set upright at the bottom (hips and legs as filmed):
    the hips now rest low with an upright trunk, as on a chair, and sit-to-stand counts the two
    complete up-and-down movements again; the squats are still two."""
    t, _, world, _ = squat_landmarks()
    seated = upright_when_low(world)
    reps = analyze_reps("sit-to-stand", t, seated)
    assert len(reps) == 2
    for r in reps:
        assert r["metrics"]["seated_upright"] == 1.0
        assert r["metrics"]["seated_trunk_lean_deg"] == pytest.approx(0.0, abs=3.0)
    assert len(analyze_reps("squat", t, seated)) == 2


def test_the_astronaut_photograph_has_no_reps() -> None:
    t, _, world, _ = astronaut_landmarks(n_frames=30)
    assert analyze_reps("squat", t, world) == []
    assert analyze_reps("sit-to-stand", t, world) == []


@pytest.mark.parametrize("yaw", [0.0, 45.0, 90.0])
def test_sit_to_stand_counts_from_the_front_oblique_and_side(yaw: float) -> None:
    """Four stands from the chair every 3.5 s: four reps from any view, each stand (seat-off to
    seated again) about as long as scripted: the hips take 0.9 s each way after the lean."""
    clip = scripted(replace(MILD, view_yaw_deg=yaw), sit_stand_cycles(4, 3.5), 19.0)
    reps = analyze_reps("sit-to-stand", clip.t_s, clip.world)
    assert len(reps) == 4
    for r in reps:
        assert r["reliable"]
        assert 1.8 <= r["metrics"]["stand_time_s"] <= 3.5
        assert 0.4 <= r["metrics"]["rise_time_s"] <= 1.6
        assert 20.0 <= r["metrics"]["trunk_flexion_deg"] <= 50.0
        assert r["metrics"]["seated_upright"] == 1.0  # sat upright before and after the stand
        assert r["metrics"]["seated_trunk_lean_deg"] <= 5.0


@pytest.mark.parametrize("yaw", [0.0, 45.0, 90.0])
def test_a_quick_chair_stand_counts_every_stand(yaw: float) -> None:
    """Stands every 2.6 s with no rest between them (the simulated patient's trunk comes back
    only to about 11 deg between stands): the clip starts seated upright on the chair, so all
    five stands count, from every view."""
    clip = scripted(replace(MILD, view_yaw_deg=yaw), sit_stand_cycles(5, 2.6), 17.0)
    reps = analyze_reps("sit-to-stand", clip.t_s, clip.world)
    assert len(reps) == 5
    assert reps[0]["metrics"]["seated_trunk_lean_deg"] <= 3.0  # the rest before the first stand


def test_a_clip_seen_seated_once_counts_every_stand_and_flags_the_rest() -> None:
    """The squat clip with the trunk set upright only at the bottom of the first squat: the
    clip shows a seated posture, so both up-and-down movements count as stands, but the
    second, whose rests are the leaned bottoms of squats 2 and 3, is flagged
    (``seated_upright`` 0): a deep squat looks like sitting from landmarks."""
    t, _, world, _ = squat_landmarks()
    mixed = world.astype(np.float64).copy()
    mixed[:20] = upright_when_low(world)[:20]
    reps = analyze_reps("sit-to-stand", t, mixed)
    assert [r["metrics"]["seated_upright"] for r in reps] == [1.0, 0.0]
    assert reps[1]["metrics"]["seated_trunk_lean_deg"] >= 20.0


def _squats(n: int, knee_deg: float) -> list[tuple[float, Posture]]:
    steps: list[tuple[float, Posture]] = [(0.0, STAND_BACK)]
    for k in range(n):
        steps += [
            (2.0 + 3 * k, Posture(stand=True, knee_deg=knee_deg, back_m=1.0)),
            (3.5 + 3 * k, STAND_BACK),
        ]
    return steps


def _depth(world: np.ndarray, scale: float) -> np.ndarray:
    """World landmarks with the camera's depth axis squeezed (MediaPipe's depth is its least
    reliable axis and tends to be compressed from the front; sources §4.2)."""
    w = world.astype(np.float64).copy()
    w[..., 2] *= scale
    return w


@pytest.mark.parametrize("yaw", [0.0, 45.0, 90.0])
@pytest.mark.parametrize("depth", [1.0, 0.5])
def test_simulated_squats_are_not_stands_and_stands_stay_stands_with_squeezed_depth(
    yaw: float, depth: float
) -> None:
    """The simulated patient's deep squats (knees to 100 deg, hips 1.2 shank lengths above the
    ankles, trunk leaning about 40 deg) from the front, 45 deg and the side: 3 squats and no
    sit-to-stand, also with the depth axis halved; its sit-to-stands stay 4 of 4 with halved
    depth (squeezing depth can only make a seated trunk look more upright)."""
    model = replace(MILD, view_yaw_deg=yaw, standing=True)
    clip = scripted(model, _squats(3, 100.0), 12.0)
    world = _depth(clip.world, depth)
    assert len(analyze_reps("squat", clip.t_s, world)) == 3
    assert analyze_reps("sit-to-stand", clip.t_s, world) == []
    sts = scripted(replace(MILD, view_yaw_deg=yaw), sit_stand_cycles(4, 3.5), 19.0)
    assert len(analyze_reps("sit-to-stand", sts.t_s, _depth(sts.world, depth))) == 4


def test_a_slower_patient_takes_longer_per_stand() -> None:
    quick = analyze_reps("sit-to-stand", *_tw(scripted(MILD, sit_stand_cycles(3, 5.0), 20.0)))
    slow = analyze_reps("sit-to-stand", *_tw(scripted(MODERATE, sit_stand_cycles(3, 5.0), 20.0)))
    assert len(quick) == len(slow) == 3
    mean = [float(np.mean([r["metrics"]["rise_time_s"] for r in reps])) for reps in (quick, slow)]
    assert mean[1] > 1.4 * mean[0]
    assert not any(math.isnan(m) for m in mean)


def _tw(clip) -> tuple[np.ndarray, np.ndarray]:
    return clip.t_s, clip.world
