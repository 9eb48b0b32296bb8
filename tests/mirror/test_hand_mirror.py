"""The hand mirror's maths: reflection (involution, sides, tilt), the line it reflects across,
shared control of the fingers, the video mirror, and all of it on real hand footage."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import cv2
import numpy as np
import pytest

from game.leveltypes.hand_common import SLOT_ASPECT, SLOT_MARGIN, stage_region
from game.mirror import hand as M
from game.mirror.hand_picture import hand_mirror_crop, hand_mirror_picture, source_box
from game.mirror.picture import reflection_matrix
from game.scoring import hand as SH
from game.tracking import hands as H
from game.tracking import sim_hands as S
from game.tracking.motor import Fingers, Motor
from game.tracking.pose import MISSING_HAND, PoseFrame, empty_landmarks
from game.tracking.simulated import MILD, SimulatedPatient
from tests.tracking.footage import FIST_THUMBS_UP, closeup_frames, read_frames, track

SIZE = (1280, 720)


def sim_frame(motor: Motor, seconds: float = 2.0) -> PoseFrame:
    """A frame of a patient whose affected arm moves as fully as the other (symmetric hands)."""
    sim = SimulatedPatient(replace(MILD, affected_range=1.0), seed=5)
    sim.request_parts(frozenset({"hands"}))
    sim.set_goal(motor)
    frame = None
    for i in range(int(seconds * 30)):
        frame = sim.poll(i / 30) or frame
    assert frame is not None
    return frame


def test_reflection_is_an_involution_and_keeps_z_and_score() -> None:
    rng = np.random.default_rng(0)
    hand = rng.uniform(0, 1, (5, 21, 4))
    point, normal = np.array([600.0, 300.0]), np.array([np.cos(0.3), np.sin(0.3)])
    once = M.reflect_hand(hand, point, normal, SIZE)
    np.testing.assert_allclose(M.reflect_hand(once, point, normal, SIZE), hand, atol=1e-12)
    np.testing.assert_array_equal(once[..., 2:], hand[..., 2:])
    assert not np.allclose(once, hand)


def test_reflection_across_a_tilted_line_matches_the_affine_reflection() -> None:
    """Against the picture mirror's own matrix (x' = (I - 2nn^T)x + 2(n.p)n), for a midline
    tilted 12 degrees."""
    rng = np.random.default_rng(1)
    hand = rng.uniform(0, 1, (21, 4))
    tilt = np.radians(12.0)
    point, normal = np.array([640.0, 360.0]), np.array([np.cos(tilt), np.sin(tilt)])
    m = reflection_matrix(point, normal)
    px = hand[:, :2] * SIZE
    want = (px @ m[:, :2].T + m[:, 2]) / SIZE
    np.testing.assert_allclose(M.reflect_hand(hand, point, normal, SIZE)[:, :2], want, atol=1e-12)


def test_the_good_hand_lands_on_the_affected_side_as_the_other_hand() -> None:
    frame = sim_frame(
        Motor(hand_xy=(0.6, 0.45), unaffected_xy=(0.4, 0.45), fingers=Fingers(curl=(0, 0, 0, 0, 0)))
    )
    shown = M.mirrored_hand(frame, "left", SIZE)  # MILD's affected side is the left
    assert shown is not None
    right, left = frame.right_hand, frame.left_hand
    assert right is not None and left is not None
    # the reflected right hand is near where the own left hand is (hands held symmetrically)
    assert np.linalg.norm((shown[H.WRIST, :2] - left[H.WRIST, :2]) * SIZE) < 40
    # and it is shaped as a left hand: thumb towards the midline, i.e. at smaller raw x
    assert shown[H.THUMB_TIP, 0] < shown[H.PINKY_TIP, 0]
    assert right[H.THUMB_TIP, 0] > right[H.PINKY_TIP, 0]
    # a reflection changes no finger angle
    px = lambda h: h[:, :3] * np.array([SIZE[0], SIZE[1], SIZE[0]])  # noqa: E731
    a, b = SH.finger_flexion_deg(px(right)), SH.finger_flexion_deg(px(shown))
    assert all(a[k] == pytest.approx(b[k], abs=1e-6) for k in a)


def test_without_shoulders_the_line_is_the_wrists_bisector() -> None:
    frame = sim_frame(Motor(fingers=Fingers(curl=(0, 0, 0, 0, 0))), 0.5)
    hands = M.hands_of(frame)
    line = M.mirror_line_px(empty_landmarks(), hands, "left", SIZE)
    assert line is not None and not line.from_body
    left, right = (hands[s][H.WRIST, :2] * SIZE for s in ("left", "right"))  # type: ignore[index]
    np.testing.assert_allclose(line.point_px, 0.5 * (left + right))
    assert float(line.normal @ (left - right)) > 0  # into the affected (left) hand's side
    good = M.reflect_hand(hands["right"], line.point_px, line.normal, SIZE)  # type: ignore[arg-type]
    np.testing.assert_allclose(good[H.WRIST, :2] * SIZE, left, atol=1e-9)
    assert (
        M.mirror_line_px(empty_landmarks(), {"left": MISSING_HAND, "right": hands["right"]}, "left", SIZE)
        is None
    )


def test_shared_control_blends_the_finger_flexion() -> None:
    frame = sim_frame(Motor(fingers=Fingers(curl=(0, 0, 0, 0, 0))), 0.5)
    mirrored = M.mirrored_hand(frame, "left", SIZE)
    assert mirrored is not None
    # the own hand: the same hand shape bent into a fist, noise-free, placed at the left wrist
    wrist = np.zeros(3)
    fr = S.hand_frame(wrist, np.array([0.0, 0.25, 0.0]), "left")
    fist_m = S.hand_points(S.shape_vector(Fingers(curl=(0.0, 0.8, 0.8, 0.8, 0.8))), wrist, fr)
    flat_m = S.hand_points(S.shape_vector(Fingers(curl=(0, 0, 0, 0, 0))), wrist, fr)
    project = lambda p: 0.5 + p[..., :2] * 1.5  # noqa: E731 - any similarity will do
    own = S.to_frame_arrays(fist_m, project)[0].astype(np.float64)
    mirror = S.to_frame_arrays(flat_m, project)[0].astype(np.float64)
    px = lambda h: h[:, :3] * np.array([SIZE[0], SIZE[1], SIZE[0]])  # noqa: E731
    f_own, f_mir = SH.finger_flexion_deg(px(own)), SH.finger_flexion_deg(px(mirror))
    for gain in (0.0, 0.3, 0.5, 1.0):
        shown = SH.finger_flexion_deg(px(M.blend_hand(own, mirror, gain, SIZE)))
        for joint in ("index_mcp", "middle_pip", "ring_dip", "pinky_pip"):
            want = (1 - gain) * f_mir[joint] + gain * f_own[joint]
            assert shown[joint] == pytest.approx(want, abs=1e-4), (gain, joint)
    np.testing.assert_allclose(M.blend_hand(own, mirror, 0.0, SIZE), mirror, atol=1e-9)
    with pytest.raises(ValueError, match="gain"):
        M.blend_hand(own, mirror, 1.5, SIZE)
    assert M.displayed_hand(frame, "left", SIZE, 1.0) is not None


# ------------------------------------------------------------------------- real footage
@lru_cache(maxsize=2)
def closeup(flip: bool) -> list[PoseFrame]:
    return track(closeup_frames(flip)[:12], frozenset({"body", "hands"}))


def test_on_real_footage_the_reflected_hand_is_what_the_tracker_sees_in_the_mirrored_clip() -> None:
    """Reflecting the tracked right hand across the picture's vertical centre line gives
    (nearly) the left hand MediaPipe finds in the horizontally flipped clip, with the same
    finger angles (tests/data/README.md says which hand each clip shows)."""
    w, h = 310, 540
    for orig, flipped in zip(closeup(False), closeup(True), strict=True):
        right, left = orig.right_hand, flipped.left_hand
        if not (orig.hand_found("right") and flipped.hand_found("left")):
            continue
        assert right is not None and left is not None
        shown = M.reflect_hand(right, np.array([w / 2, 0.0]), np.array([1.0, 0.0]), (w, h))
        size = H.hand_size_px(right, (w, h))
        err = np.linalg.norm((shown[:, :2] - left[:, :2]) * (w, h), axis=1)
        assert float(np.median(err)) < 0.05 * size
        # MediaPipe's own finger angles of a picture and of its mirror image differ by a median
        # of 5.5 deg, p95 16 deg (its world landmarks are a model's guess; docs/validation.md §10)
        a = SH.finger_flexion_deg(orig.right_hand_world)
        b = SH.finger_flexion_deg(flipped.left_hand_world)
        assert np.median([abs(float(a[k]) - float(b[k])) for k in a]) < 15.0


def test_the_hand_video_mirror_on_a_real_picture() -> None:
    """On a real frame (a fist raised beside the face): the good (right) side is the
    picture's own, the affected (left) side is its reflection across the body midline."""
    bgr = read_frames(FIST_THUMBS_UP, stop=30)[25]
    (frame,) = track([bgr], frozenset({"body", "hands"}))
    out = hand_mirror_picture(bgr, frame, "left")
    h, w = bgr.shape[:2]
    line = M.mirror_line_px(frame.image, M.hands_of(frame), "left", (w, h))
    assert line is not None and line.from_body
    m = reflection_matrix(line.point_px, line.normal)
    ys, xs = np.mgrid[40 : h - 40 : 37, 0:w:23]
    pts = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)
    depth = (pts - line.point_px) @ line.normal
    good, deep = pts[depth < -60], pts[depth > 60]
    gi = good.astype(int)
    np.testing.assert_array_equal(out[gi[:, 1], gi[:, 0]], bgr[gi[:, 1], gi[:, 0]])
    src = deep @ m[:, :2].T + m[:, 2]
    inside = (src[:, 0] >= 1) & (src[:, 0] < w - 2) & (src[:, 1] >= 1) & (src[:, 1] < h - 2)
    di, si = deep[inside].astype(int), np.round(src[inside]).astype(int)
    diff = np.abs(out[di[:, 1], di[:, 0]].astype(int) - bgr[si[:, 1], si[:, 0]].astype(int))
    assert float(np.median(diff)) <= 2.0 and deep[inside].shape[0] > 50
    plain = cv2.flip(bgr, 1)  # no body and no hands: the picture is returned as it is
    nobody = PoseFrame.missing(0.0, frozenset({"hands"}))
    assert hand_mirror_picture(plain, nobody, "left") is plain


@lru_cache(maxsize=1)
def two_fists() -> tuple[np.ndarray, PoseFrame]:
    """A real woman with two fists raised beside her face (the thumbs-up clip's frame 40, its
    left 300 columns beside their mirror image, as benchmarks/pipeline.py's person picture)
    and its tracked pose and hands."""
    pictures = [
        np.ascontiguousarray(np.hstack([f[:, :300], f[:, 299::-1]]))
        for f in read_frames(FIST_THUMBS_UP, stop=41)
    ]
    frames = track(pictures, frozenset({"body", "hands"}))  # in order: the hand tracking settles
    return pictures[-1], frames[-1]


@pytest.mark.parametrize("affected", ["left", "right"])
@pytest.mark.parametrize("line_from", ["body", "hands"])
def test_the_close_up_mirror_is_the_whole_pictures_mirror_there(affected: str, line_from: str) -> None:
    """The hands' close-up composites the mirror on its region only (cheaper than the frame):
    it must show the same pixels as the whole picture's mirror there, the good hand's
    reflection included, though that comes from across the line, outside the region (it once
    repeated the region's border there: half of the close-up smeared, seen in a real window)."""
    bgr, frame = two_fists()
    if line_from == "hands":  # shoulders out of view: the wrists' bisector, a tilted line
        no_shoulders = frame.image.copy()
        no_shoulders[[11, 12], 3] = 0.0
        frame = replace(frame, image=no_shoulders)
    h, w = bgr.shape[:2]
    hand = frame.left_hand if affected == "left" else frame.right_hand
    assert hand is not None and frame.hand_found(affected)  # type: ignore[arg-type]
    region = tuple(int(v) for v in stage_region([hand], (w, h), SLOT_ASPECT, margin=SLOT_MARGIN))
    x, y, rw, rh = region
    crop = hand_mirror_crop(bgr, frame, affected, region)  # type: ignore[arg-type]
    whole = hand_mirror_picture(bgr, frame, affected)  # type: ignore[arg-type]
    assert whole is not bgr  # there is a mirror line
    expected = whole[max(y, 0) : y + rh, max(x, 0) : x + rw]
    assert crop.shape == expected.shape
    diff = np.abs(crop.astype(int) - expected.astype(int))
    # the same warp from another origin may round a level or two apart, nothing more
    assert int(diff.max()) <= 3 and float((diff > 1).mean()) < 0.001


def test_the_source_box_holds_the_reflection_of_the_box() -> None:
    vertical = source_box((120, 10, 160, 50), np.array([100.0, 0.0]), np.array([1.0, 0.0]), (640, 480))
    assert vertical == (39, 9, 160, 52)  # x 40..80 reflected, and a pixel or two for the bilinear
    on_border = source_box((20, 10, 60, 50), np.array([10.0, 0.0]), np.array([1.0, 0.0]), (640, 480))
    assert on_border[0] == 0  # the reflection leaves the picture: clipped to it
    tilted = source_box((200, 200, 240, 240), np.array([100.0, 100.0]), np.array([1.0, 1.0]), (640, 480))
    assert tilted[0] == 0 and tilted[1] == 0 and tilted[2:] == (240, 240)  # far across a diagonal
