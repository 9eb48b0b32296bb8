"""Face Mesh with irises on real footage, and the millimetre scale from the iris.

The oracle for the scale is anatomical, not our own numbers: the distance between the inner
eye corners, measured with the iris scale, must fall within the published adult range
(Bouhadana et al. 2022, pooled White adults 31.4 ± 2.5 mm; game/tracking/face.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking import face as F
from game.tracking.pose import MISSING_FACE, PoseFrame
from tests.tracking.footage import FACE_WEBCAM, FIST_THUMBS_UP, read_frames, track

BODY_FACE = frozenset({"body", "face"})
ICD_MEAN_MM, ICD_SD_MM = 31.4, 2.5
"""Intercanthal distance of White adults (both women in the clips), Bouhadana et al. 2022."""


@pytest.fixture(scope="module")
def clips() -> dict[str, tuple[list[PoseFrame], tuple[int, int]]]:
    out = {}
    for name, path, flip, scale in (
        ("webcam", FACE_WEBCAM, False, 1.0),
        ("webcam_flipped", FACE_WEBCAM, True, 1.0),
        ("webcam_half", FACE_WEBCAM, False, 0.5),
        ("thumbs_up", FIST_THUMBS_UP, False, 1.0),
    ):
        frames = read_frames(path, flip, scale)
        size = (frames[0].shape[1], frames[0].shape[0])
        out[name] = (track(frames, BODY_FACE, fps=30.0), size)
    return out


def faces(frames: list[PoseFrame]) -> np.ndarray:
    assert all(f.face is not None for f in frames)
    return np.stack([f.face for f in frames])  # type: ignore[misc]


def inner_eye_corners_mm(stack: np.ndarray, size: tuple[int, int], mm_per_px: float) -> float:
    """Median distance between the inner eye corners (endocanthion) over the frames, in mm."""
    inner = (F.RIGHT_EYE_INNER, F.LEFT_EYE_INNER)
    return float(np.median([F.distance_mm(f, *inner, size, mm_per_px) for f in stack]))


@pytest.mark.parametrize("name", ["webcam", "webcam_flipped", "webcam_half", "thumbs_up"])
def test_face_found_in_every_frame_with_irises(clips, name: str) -> None:
    frames, _ = clips[name]
    assert all(f.face_found and f.parts == BODY_FACE and f.left_hand is None for f in frames)
    face = frames[0].face
    assert face is not None and face.shape == (478, 4) and face.dtype == np.float32
    assert (face[:, 3] == 1.0).all()
    assert np.isfinite(face[:, :3]).all() and ((face[:, :2] > 0) & (face[:, :2] < 1)).all()


@pytest.mark.parametrize("name", ["webcam", "webcam_flipped", "thumbs_up"])
def test_face_sides_are_the_persons_own(clips, name: str) -> None:
    # Facing the camera, the person's right eye is at the left of the raw picture, also in
    # the mirrored copy (which shows a mirrored person); the pose agrees with the face.
    frames, _ = clips[name]
    stack = faces(frames)
    assert (stack[:, F.RIGHT_IRIS_CENTRE, 0] < stack[:, F.LEFT_IRIS_CENTRE, 0]).all()
    assert (stack[:, F.RIGHT_EYE_OUTER, 0] < stack[:, F.LEFT_EYE_OUTER, 0]).all()
    # BlazePose's own eyes (2 left, 5 right) agree: the face's right iris is nearer its right eye
    body = np.stack([f.image for f in frames])
    to_right = np.abs(stack[:, F.RIGHT_IRIS_CENTRE, 0] - body[:, 5, 0])
    to_left = np.abs(stack[:, F.RIGHT_IRIS_CENTRE, 0] - body[:, 2, 0])
    assert (to_right < to_left).all()


@pytest.mark.parametrize("name", ["webcam", "thumbs_up"])
def test_iris_scale_gives_an_anatomically_plausible_eye_distance(clips, name: str) -> None:
    frames, size = clips[name]
    stack = faces(frames)
    icd_mm = inner_eye_corners_mm(stack, size, F.iris_scale_mm_per_px(stack, size))
    assert abs(icd_mm - ICD_MEAN_MM) < 2.5 * ICD_SD_MM, f"inner eye corners {icd_mm:.1f} mm apart"
    widths = np.stack([F.iris_widths_px(f, size) for f in stack])
    assert (widths > F.MIN_IRIS_PX).all()


def test_the_scale_follows_the_picture_size_and_the_millimetres_do_not(clips) -> None:
    (full, full_size), (half, half_size) = clips["webcam"], clips["webcam_half"]
    full_scale = F.iris_scale_mm_per_px(faces(full), full_size)
    half_scale = F.iris_scale_mm_per_px(faces(half), half_size)
    assert half_scale / full_scale == pytest.approx(2.0, rel=0.05)
    full_mm = inner_eye_corners_mm(faces(full), full_size, full_scale)
    assert inner_eye_corners_mm(faces(half), half_size, half_scale) == pytest.approx(full_mm, rel=0.05)


def test_no_wide_mouth_opening_where_there_is_none(clips) -> None:
    # The clip's description: lip movements, but the mouth never opens wide.
    frames, size = clips["webcam"]
    stack = faces(frames)
    scale = F.iris_scale_mm_per_px(stack, size)
    gaps_mm = [F.distance_mm(f, F.UPPER_LIP_INNER, F.LOWER_LIP_INNER, size, scale) for f in stack]
    assert max(gaps_mm) < 5.0


def test_scale_closed_form_and_missing_faces() -> None:
    face = np.zeros((478, 4), np.float32)
    w, h = 1000, 500
    for (a, b), x in zip(F.IRIS_HORIZONTAL.values(), (0.3, 0.6), strict=True):
        face[a, :2] = (x + 0.01, 0.5)  # 20 px wide at 1000 px
        face[b, :2] = (x - 0.01, 0.5)
    assert F.iris_widths_px(face, (w, h)) == pytest.approx([20.0, 20.0], rel=1e-5)
    assert F.mm_per_px_from_iris(face, (w, h)) == pytest.approx(F.IRIS_DIAMETER_MM / 20.0, rel=1e-5)
    assert np.isnan(F.mm_per_px_from_iris(MISSING_FACE, (w, h)))
    assert np.isnan(F.mm_per_px_from_iris(face, (100, 50)))  # 2 px irises: too small to trust
    stack = np.stack([face, MISSING_FACE, face])
    assert F.iris_scale_mm_per_px(stack, (w, h)) == pytest.approx(F.IRIS_DIAMETER_MM / 20.0, rel=1e-5)
    assert np.isnan(F.iris_scale_mm_per_px(np.stack([MISSING_FACE]), (w, h)))
    with pytest.raises(ValueError, match="478"):
        F.iris_scale_mm_per_px(np.zeros((2, 468, 4)), (w, h))
