"""analyze's hand exercises count what a person counts on real hand footage, and the taps of
a hand whose taps are known.

How the close-up (tests/data/hand_finger_shapes_closeup_tfjs.mp4, 25 fps, one right hand
palm to the camera spelling hand shapes) was counted by a person, every frame looked at: an
open-close cycle counts when the hand goes from a fist (every fingertip on the palm or on the
thumb) to a hand with every fingertip off the palm, and back to a fist; one or two fingers
raised from a fist do not open the hand. Frames 0-8 fist; 12-44 index and middle raised
(the others on the palm); 48-52 changing; 56-84 little finger raised; 88-124 a fist with the
fingertips on the thumb; 126-131 the fingers uncurl (all tips off the palm) and 132-168 the
index stands up while the other three curve onto the thumb in an "O", tips off the palm; 172
a fist again: cycle 1. 204-208 the fist loosens into a claw, every tip off the palm, and
closes by 212: cycle 2. 212-288 fists; 292-298 the hand opens into a claw with spread
fingers and closes into a fist by 300: cycle 3; 300-324 fist. Three cycles; the last 85
frames (240-324) hold one (292-298). Thumb-index taps (the two tips touching, parting and
touching again): none; the tips never touch in this clip. The thumbs-up clip: a fist raised
beside the face, then a thumb raised and held: no cycle, no tap.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from game.analysis.core import Analysis, analyze_track
from game.analysis.exercises import get
from game.analysis.report import summary, to_json
from game.analysis.track import Track, track_clip
from game.tracking.motor import Fingers, Motor
from game.tracking.pose import PoseFrame
from game.tracking.recorder import HAND_KEYS
from game.tracking.simulated import MILD, MODERATE, PatientModel, SimulatedPatient
from game.tracking.testimages import still_clip
from game.tracking.video_file import read_frames as read_video
from tests.tracking.footage import HAND_CLOSEUP

FPS = 25.0
HANDS = frozenset({"pose", "hands"})
CYCLE_FIST, CYCLE_OPEN = 286, 296
"""Close-up frames (looked at): 286 a fist; 292-298 the claw, widest at 296."""


@lru_cache(maxsize=1)
def closeup_tail() -> tuple[np.ndarray, ...]:
    """The close-up's frames 240-324 (fists, and the claw cycle at 292-298)."""
    frames, _ = read_video(HAND_CLOSEUP, 240, 325)
    return tuple(frames)


@lru_cache(maxsize=8)
def tracked(name: str) -> Track:
    frames = closeup_tail()
    fist, opening = frames[CYCLE_FIST - 240], list(frames[CYCLE_FIST - 240 : CYCLE_OPEN - 240 + 1])
    clips = {
        "tail": lambda: list(frames),
        # a real fist -> claw -> fist, played forward and back three times, fist frames between
        "three_cycles": lambda: [fist] * 6 + (opening + opening[-2::-1] + [fist] * 6) * 3,
        "still_fist": lambda: still_clip(fist, 40, seed=3),
    }
    return track_clip(clips[name](), FPS, HANDS)


def analyze(track: Track, exercise: str) -> Analysis:
    return analyze_track(track, get(exercise), "right")


def test_the_close_ups_last_seconds_hold_the_one_cycle_a_person_counts() -> None:
    out = analyze(tracked("tail"), "hand-open-close")
    assert len(out.reps) == 1
    (rep,) = out.reps
    assert 290 <= 240 + rep.peak_s * FPS <= 300 and rep.reliable
    m = rep.metrics
    assert m["peak_aperture_norm"] is not None and m["min_aperture_norm"] is not None
    assert m["peak_aperture_norm"] > m["min_aperture_norm"] + 0.2  # the claw is wider than the fist
    assert analyze(tracked("tail"), "finger-tapping").reps == ()  # the tips never touch


def test_a_clip_of_three_real_cycles_gives_three() -> None:
    out = analyze(tracked("three_cycles"), "hand-open-close")
    assert len(out.reps) == 3 and all(r.reliable for r in out.reps)


@pytest.mark.parametrize("exercise", ["hand-open-close", "finger-tapping"])
def test_a_still_hand_gives_nothing(exercise: str) -> None:
    assert analyze(tracked("still_fist"), exercise).reps == ()


# ---------------------------------------------------------------- known taps (simulated hand)
def simulated_track(model: PatientModel, side: str, taps: int) -> tuple[Track, int]:
    """A Track of the simulated patient tapping with one hand, cut at the contact that ends its
    ``taps``-th tap (the model's own tap schedule says when), and that number."""
    sim = SimulatedPatient(model, seed=4)
    sim.request_parts(frozenset({"body", "hands"}))
    sim.set_goal(Motor(fingers=Fingers(tap=side)))  # type: ignore[arg-type]
    sim.poll(0.0)
    schedule = sim._fingers._taps[side]  # noqa: SLF001 - the model's own record of its taps
    end_s = float(schedule[taps, 0])  # the next tap starts: the fingers touch
    frames: list[PoseFrame] = [f for i in range(int(end_s * 30) + 1) if (f := sim.poll(i / 30)) is not None]
    made = taps
    hands = {k: np.stack([getattr(f, k) for f in frames]).astype(np.float64) for k in HAND_KEYS}
    track = Track(
        np.array([f.t_s for f in frames]),
        np.stack([f.image for f in frames]).astype(np.float64),
        np.stack([f.world for f in frames]).astype(np.float64),
        30.0,
        (1280, 720),
        hands=hands,
    )
    return track, made


@pytest.mark.parametrize(("model", "side"), [(MILD, "right"), (MODERATE, "right"), (MILD, "left")])
def test_finger_tapping_counts_the_taps_made(model: PatientModel, side: str) -> None:
    track, made = simulated_track(model, side, 10)
    out = analyze_track(track, get("finger-tapping"), side)
    assert len(out.reps) == made
    intervals = [r.metrics["interval_s"] for r in out.reps]
    rate = model.fingers.tap_rate_hz * (model.fingers.speed if side == model.affected_side else 1.0)
    assert np.median(intervals) == pytest.approx(1.0 / rate, rel=0.15)
    assert all(r.metrics["amplitude_norm"] > 0.25 for r in out.reps)
    text = summary(out)
    assert "Tapping rate" in text and "decrement" in text
    assert set(to_json(out)) == {"video", "exercise", "side", "fps", "frames", "frames_tracked", "reps"}


def test_the_side_is_the_persons_own_hand() -> None:
    track, _ = simulated_track(MILD, "right", 8)
    assert len(analyze_track(track, get("finger-tapping"), "left").reps) == 0  # the left hand rests
    assert analyze_track(track, get("finger-tapping")).side == "right"  # chosen: it moves more
