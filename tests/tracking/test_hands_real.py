"""Hands on real footage: each hand goes to the person's own side, in a clip and its mirror.

Expected answers (both clips show the person's right hand) and how they were decided by
looking at the frames: tests/data/README.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking import hands as H
from game.tracking.mediapipe_parts import HAND_LITE, HandsConfig, HandsGraph
from game.tracking.mediapipe_source import to_rgb
from game.tracking.pose import MISSING_HAND, Side
from tests.tracking.footage import FIST_THUMBS_UP, closeup_frames, read_frames, track

BODY_HANDS = frozenset({"body", "hands"})
CLIPS = {"closeup": closeup_frames, "thumbs_up": lambda flip: read_frames(FIST_THUMBS_UP, flip)}
CASES = [(clip, flip) for clip in CLIPS for flip in (False, True)]


def truth(flip: bool) -> Side:
    return "left" if flip else "right"


@pytest.fixture(scope="module")
def tracked() -> dict[tuple[str, bool], list]:
    return {(clip, flip): track(CLIPS[clip](flip), BODY_HANDS) for clip, flip in CASES}


@pytest.mark.parametrize(("clip", "flip"), CASES)
def test_the_hand_is_on_the_persons_own_side(tracked, clip: str, flip: bool) -> None:
    frames = tracked[(clip, flip)]
    side, other = truth(flip), H.other_side(truth(flip))
    found = [f for f in frames if f.hand_found(side) or f.hand_found(other)]
    assert len(found) >= 0.9 * len(frames), "the hand is in view in (nearly) every frame"
    right_side = sum(f.hand_found(side) for f in found)
    wrong_side = sum(f.hand_found(other) for f in found)
    assert right_side == len(found)
    assert wrong_side == 0  # also: one hand is never reported twice (once per side)
    for f in frames:
        assert f.parts == BODY_HANDS
        assert f.hand(other) is MISSING_HAND  # not found: the shared constant, no new array


def test_hand_landmarks_in_image_and_metres(tracked) -> None:
    frame = next(f for f in tracked[("thumbs_up", False)] if f.hand_found("right"))
    image, world = frame.right_hand, frame.right_hand_world
    assert image is not None and world is not None
    assert image.shape == world.shape == (21, 4) and image.dtype == world.dtype == np.float32
    assert (image[:, 3] >= 0.5).all() and (image[:, 3] == world[:, 3]).all()  # the hand's score
    # the hand lies where the pose's right wrist is (the forearm rises at the picture's left)
    assert image[H.WRIST, 0] < 0.5
    # palm length (wrist to middle-finger knuckle) of an adult hand: roughly 0.08-0.12 m
    palm_m = float(np.linalg.norm(world[H.WRIST, :3] - world[H.MIDDLE_MCP, :3]))
    assert 0.07 < palm_m < 0.13
    # metres about the hand's own centre, not the hips: the landmarks' mean is near 0
    assert float(np.linalg.norm(world[:, :3].mean(axis=0))) < 0.05


@pytest.mark.parametrize("flip", [False, True])
def test_pose_wrists_decide_before_mediapipes_label(tracked, flip: bool) -> None:
    """With the handedness label deliberately turned round, the frames in which the pose's
    wrists decide still come out right: the label is only the fallback."""
    side = truth(flip)
    decided_by_wrists = 0
    frames = tracked[("thumbs_up", flip)]
    for frame in frames:
        if not frame.hand_found(side):
            continue
        # MediaPipe's own label for this hand is the mirror of `side`; give it `side` instead.
        wrong = H.DetectedHand(frame.hand(side), frame.hand_world(side), side, 0.99)
        by_label = H.assign_sides([wrong], np.full((33, 4), np.nan, np.float32), (640, 360))
        assert list(by_label) == [H.other_side(side)]  # the wrong label alone would be wrong
        sides = H.assign_sides([wrong], frame.image, (640, 360))
        if list(sides) == [side]:
            decided_by_wrists += 1
    assert decided_by_wrists >= 0.4 * len(frames)


def _hand(x: float, y: float, label: Side, score: float = 0.9, size: float = 0.1) -> H.DetectedHand:
    """A synthetic hand: wrist at (x, y), the fingers spread ``size`` above it."""
    rng = np.random.default_rng(int(x * 1000 + y * 10))
    image = np.zeros((21, 4), np.float32)
    image[:, 0] = x + rng.uniform(-size / 2, size / 2, 21)
    image[:, 1] = y - rng.uniform(0, size, 21)
    image[H.WRIST, :2] = (x, y)
    image[:, 3] = score
    return H.DetectedHand(image, image.copy(), label, score)


def _pose(left_wrist: tuple[float, float] | None, right_wrist: tuple[float, float] | None) -> np.ndarray:
    """A body facing the camera: left shoulder at the larger x, shoulders 0.4 apart."""
    pose = np.full((33, 4), np.nan, np.float32)
    pose[:, 3] = 0.0
    pose[H.L_SHOULDER] = (0.7, 0.4, 0.0, 0.99)
    pose[H.R_SHOULDER] = (0.3, 0.4, 0.0, 0.99)
    for idx, xy in ((H.L_WRIST, left_wrist), (H.R_WRIST, right_wrist)):
        if xy is not None:
            pose[idx] = (*xy, 0.0, 0.9)
    return pose


SIZE = (640, 480)


def test_mediapipe_label_is_the_mirror_of_the_persons_side() -> None:
    assert H.anatomical_side("Left") == "right"
    assert H.anatomical_side("Right") == "left"
    with pytest.raises(ValueError, match="handedness label"):
        H.anatomical_side("up")


def test_two_hands_go_to_the_nearer_wrists_whatever_the_labels() -> None:
    pose = _pose(left_wrist=(0.75, 0.6), right_wrist=(0.25, 0.6))
    a, b = _hand(0.26, 0.61, label="right"), _hand(0.74, 0.59, label="right")  # labels both wrong
    sides = H.assign_sides([a, b], pose, SIZE)
    assert sides["right"] is a and sides["left"] is b


def test_a_tie_or_no_body_falls_back_to_the_label() -> None:
    hand = _hand(0.5, 0.6, label="left")  # MediaPipe "Left" = the person's right
    equidistant = _pose(left_wrist=(0.6, 0.6), right_wrist=(0.4, 0.6))
    assert list(H.assign_sides([hand], equidistant, SIZE)) == ["right"]
    no_body = np.full((33, 4), np.nan, np.float32)
    assert list(H.assign_sides([hand], no_body, SIZE)) == ["right"]


def test_one_visible_wrist_claims_only_a_hand_right_at_it() -> None:
    pose = _pose(left_wrist=(0.7, 0.6), right_wrist=None)
    at_wrist = _hand(0.7, 0.6, label="left")  # label says right: the wrist overrules it
    assert list(H.assign_sides([at_wrist], pose, SIZE)) == ["left"]
    far = _hand(0.3, 0.6, label="left")  # far from the one visible wrist: the label decides
    assert list(H.assign_sides([far], pose, SIZE)) == ["right"]


def test_a_tiny_body_beside_a_big_hand_is_not_its_owner() -> None:
    pose = _pose(left_wrist=(0.5, 0.6), right_wrist=None)
    pose[H.L_SHOULDER, :2], pose[H.R_SHOULDER, :2] = (0.52, 0.4), (0.48, 0.4)  # 26 px apart
    big = _hand(0.5, 0.6, label="left", size=0.5)
    assert not H.body_fits_hands(pose, [big], SIZE)
    assert list(H.assign_sides([big], pose, SIZE)) == ["right"]  # the label, not the wrist


def test_the_same_hand_detected_twice_is_kept_once() -> None:
    first = _hand(0.3, 0.6, label="left", score=0.97)
    again = _hand(0.305, 0.61, label="left", score=0.9)
    other = _hand(0.7, 0.6, label="right", score=0.95)
    kept = H.merge_duplicates([again, first, other], SIZE)
    assert kept == [first, other]
    sides = H.assign_sides([first, again], _pose((0.75, 0.6), (0.3, 0.6)), SIZE)
    assert list(sides) == ["right"] and sides["right"] is first


def test_the_lite_hand_model_ships_in_the_wheel_and_finds_the_hand() -> None:
    # model_complexity 0 must not download anything (offline) and must see the same hand
    graph = HandsGraph(HandsConfig(model_complexity=HAND_LITE))
    try:
        found = [graph.process_rgb(to_rgb(bgr)) for bgr in closeup_frames()[:10]]
    finally:
        graph.close()
    assert all(len(hands) == 1 for hands in found)
    assert all(H.anatomical_side(hands[0].label) == "right" for hands in found)
