"""Fall detection (game.scoring.falls): a simulated fall is found; a simulated sit-down on the
chair, a fast squat, a squat with the real woman of the squat clip and plain standing are not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from game.scoring.falls import fall_detected, fall_frames, fall_signals
from game.tracking.motor import Posture
from game.tracking.simulated import MILD, MODERATE
from tests.legs import STAND_BACK, scripted
from tests.scoring.squat_landmarks import squat_landmarks

STANDING_START = [(0.0, Posture(back_m=1.0)), (0.5, STAND_BACK)]


def _detected(clip) -> bool:
    return fall_detected(clip.t_s, clip.image_px, clip.world_seen)


@pytest.mark.parametrize("yaw", [0.0, 90.0])
def test_a_fall_is_detected_from_the_front_and_the_side(yaw: float) -> None:
    clip = scripted(
        replace(MILD, view_yaw_deg=yaw),
        [*STANDING_START, (5.0, Posture(stand=True, fallen=True, back_m=1.0))],
        8.0,
    )
    h, tilt = fall_signals(clip.image_px, clip.world_seen)
    hits = np.flatnonzero(fall_frames(clip.t_s, h, tilt))
    assert hits.size, "the fall was missed"
    first = clip.t_s[hits[0]]
    assert 5.4 < first < 6.6  # reaction 0.45 s + 0.6 s down + 0.3 s held
    assert not np.any(fall_frames(clip.t_s, h, tilt)[clip.t_s < 5.0])  # nothing before it


@pytest.mark.parametrize("model", [MILD, MODERATE], ids=["mild", "moderate"])
def test_sitting_down_on_the_chair_is_not_a_fall(model) -> None:
    steps = [*STANDING_START, (5.0, Posture(back_m=1.0)), (8.0, STAND_BACK), (11.0, Posture(back_m=1.0))]
    clip = scripted(model, steps, 14.0)
    h, _ = fall_signals(clip.image_px, clip.world_seen)
    assert np.nanmax(h) - np.nanmin(h[clip.t_s > 5.0]) > 0.7  # the hips really dropped
    assert not _detected(clip)


def test_a_fast_deep_squat_is_not_a_fall() -> None:
    fast = replace(MILD, leg_speed=3.0)
    steps = [*STANDING_START]
    for k in range(4):
        steps += [(4.0 + 2 * k, Posture(stand=True, knee_deg=110.0, back_m=1.0)), (5.0 + 2 * k, STAND_BACK)]
    clip = scripted(fast, steps, 13.0)
    h, _ = fall_signals(clip.image_px, clip.world_seen)
    speed = -np.gradient(h, clip.t_s)
    assert np.nanmax(speed) > 1.5  # as fast as a fall on the way down
    assert not _detected(clip)


def test_the_real_squats_and_standing_are_not_falls() -> None:
    t, image, world, size = squat_landmarks()
    px = image[..., :2].astype(np.float64) * np.array(size, dtype=np.float64)
    assert not fall_detected(t, px, world[..., :3].astype(np.float64))
    clip = scripted(MILD, STANDING_START, 6.0)
    assert not _detected(clip)


def test_a_rise_reversed_at_once_leans_once_and_is_not_a_fall() -> None:
    """A stand asked and taken back a frame later (a timed test ending mid-stand): the trunk
    leans forward once, as in any transfer, not twice (a lying trunk after the hips dropped
    would read as a fall)."""
    steps = [(0.0, Posture(back_m=1.0))]
    for k in range(4):  # seated → stand → sit, then a stand cancelled at once, four times
        t0 = 3.0 + 6.0 * k
        steps += [(t0, STAND_BACK), (t0 + 2.5, Posture(back_m=1.0)), (t0 + 2.52, STAND_BACK)]
        steps += [(t0 + 2.54, Posture(back_m=1.0))]
    clip = scripted(MILD, steps, 28.0)
    _, tilt = fall_signals(clip.image_px, clip.world_seen)
    assert np.nanmax(tilt) < 50.0
    assert not _detected(clip)
