"""Real MediaPipe Pose on a real photograph (skimage astronaut); no camera needed.

If MediaPipe fails to load, these tests fail (nothing is skipped).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from game.tracking.mediapipe_source import MODEL_COMPLEXITY, MediaPipeConfig, MediaPipeEstimator
from game.tracking.pose import L_SHOULDER, L_WRIST, NOSE, R_SHOULDER, VISIBLE, Picture, PoseFrame
from game.tracking.testimages import astronaut_frame
from game.tracking.tracker import estimate_pose

W, H = 640, 480


@pytest.fixture(scope="module")
def still_estimator() -> Iterator[MediaPipeEstimator]:
    # Detector on every frame: the photos below are unrelated stills, not a video.
    est = MediaPipeEstimator(MediaPipeConfig(static_image_mode=True))
    yield est
    est.close()


def landmarks(est: MediaPipeEstimator, frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    result = est.process(frame)
    assert result is not None, "MediaPipe found no person in the astronaut photo"
    return result


def test_only_the_bundled_model_is_used() -> None:
    assert MODEL_COMPLEXITY == 1  # 0 and 2 download a model at start and fail offline


def test_astronaut_found_with_high_visibility(still_estimator: MediaPipeEstimator) -> None:
    image, world = landmarks(still_estimator, astronaut_frame(W, H))
    assert image.shape == world.shape == (33, 4)
    assert image.dtype == world.dtype == np.float32
    upper = [NOSE, L_SHOULDER, R_SHOULDER]
    assert (image[upper, 3] > 0.9).all()
    assert (image[upper, :2] > 0).all() and (image[upper, :2] < 1).all()
    # nose above the shoulders (y grows downwards) and between them
    assert image[NOSE, 1] < image[[L_SHOULDER, R_SHOULDER], 1].min()
    assert image[R_SHOULDER, 0] < image[NOSE, 0] < image[L_SHOULDER, 0]
    # shoulder width in metres is anatomically plausible (adults ~0.3-0.45 m)
    width_m = float(np.linalg.norm(world[L_SHOULDER, :3] - world[R_SHOULDER, :3]))
    assert 0.2 < width_m < 0.5


def test_raw_frame_has_left_shoulder_at_larger_x(still_estimator: MediaPipeEstimator) -> None:
    # pose.py convention: facing the camera, the patient's left shoulder is at the larger x
    # of the raw frame, and world x points to the patient's left.
    image, world = landmarks(still_estimator, astronaut_frame(W, H))
    assert image[L_SHOULDER, 0] > image[R_SHOULDER, 0]
    assert world[L_SHOULDER, 0] > world[R_SHOULDER, 0]


def test_flipping_the_photo_swaps_anatomical_sides(still_estimator: MediaPipeEstimator) -> None:
    # Why inference must run on the raw frame: on the mirrored photo MediaPipe labels the
    # astronaut's real right shoulder as "left" (it lands where a left shoulder would be).
    raw, _ = landmarks(still_estimator, astronaut_frame(W, H))
    flipped, _ = landmarks(still_estimator, astronaut_frame(W, H, flip=True))
    assert flipped[L_SHOULDER, 0] == pytest.approx(1.0 - raw[R_SHOULDER, 0], abs=0.03)
    assert flipped[R_SHOULDER, 0] == pytest.approx(1.0 - raw[L_SHOULDER, 0], abs=0.03)
    assert flipped[NOSE, 0] == pytest.approx(1.0 - raw[NOSE, 0], abs=0.02)
    assert flipped[L_SHOULDER, 1] == pytest.approx(raw[R_SHOULDER, 1], abs=0.05)


def test_landmarks_follow_a_shift_of_the_photo(still_estimator: MediaPipeEstimator) -> None:
    shift_px = 40.0
    a, _ = landmarks(still_estimator, astronaut_frame(W, H))
    b, _ = landmarks(still_estimator, astronaut_frame(W, H, shift_px=shift_px))
    assert b[NOSE, 0] - a[NOSE, 0] == pytest.approx(shift_px / W, abs=0.01)
    assert b[NOSE, 1] == pytest.approx(a[NOSE, 1], abs=0.01)


def test_estimate_pose_keeps_capture_time_and_missing_on_blank(
    still_estimator: MediaPipeEstimator,
) -> None:
    pose = estimate_pose(still_estimator, Picture(1, 12.5, astronaut_frame(W, H)))
    assert pose.t_s == 12.5 and pose.present
    blank = estimate_pose(still_estimator, Picture(2, 13.0, np.full((H, W, 3), 128, np.uint8)))
    assert blank.t_s == 13.0 and not blank.present
    assert np.isnan(blank.image[L_WRIST, :3]).all()
    assert isinstance(blank, PoseFrame) and blank.image[NOSE, 3] < VISIBLE


def test_rejects_non_bgr_input(still_estimator: MediaPipeEstimator) -> None:
    with pytest.raises(ValueError, match="bgr"):
        still_estimator.process(np.zeros((10, 10), np.uint8))
