"""The mirror on real MediaPipe landmarks of a real photo (skimage's astronaut).

Checks the geometry of ``mirror_pose`` on real landmarks, the left/right convention against a
flipped photo, and that MediaPipe re-run on the video mirror finds the affected shoulder
where ``mirror_pose`` put it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from game.mirror import body_midline_px, mirror_pose
from game.mirror.picture import mirror_picture
from game.tracking import pose as P
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator
from game.tracking.testimages import astronaut_frame

W, H = 640, 480


@lru_cache(maxsize=4)
def detect(flip: bool = False) -> tuple[np.ndarray, np.ndarray]:
    return _run(astronaut_frame(W, H, flip=flip))


def _run(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    est = MediaPipeEstimator(MediaPipeConfig(static_image_mode=True))
    try:
        out = est.process(bgr)
    finally:
        est.close()
    assert out is not None, "MediaPipe found nobody in the astronaut photo"
    return out


def test_patient_left_is_raw_right_and_flips_with_the_photo() -> None:
    image, _ = detect()
    assert image[P.L_SHOULDER, 0] > image[P.R_SHOULDER, 0]  # facing the camera (pose.py)
    flipped, _ = detect(flip=True)
    # Mirroring the photo swaps the anatomical labels: left shoulder lands where right was.
    assert flipped[P.L_SHOULDER, 0] == pytest.approx(1 - image[P.R_SHOULDER, 0], abs=0.02)


@pytest.mark.parametrize("side", ["left", "right"])
def test_mirror_pose_reflects_across_the_real_midline(side: str) -> None:
    image, _ = detect()
    mirrored = mirror_pose(image, side, (W, H))  # type: ignore[arg-type]
    px = image.astype(np.float64).copy()
    px[:, :2] *= [W, H]
    point, normal = body_midline_px(px)
    dst, src = (P.LEFT_ARM, P.RIGHT_ARM) if side == "left" else (P.RIGHT_ARM, P.LEFT_ARM)
    got = mirrored[list(dst), :2] * [W, H]
    orig = px[list(src), :2]
    # Midpoints on the midline, displacement along its normal, distances equal.
    assert np.allclose((0.5 * (got + orig) - point) @ normal, 0.0, atol=1e-3)
    d = got - orig
    assert np.allclose(d - np.outer(d @ normal, normal), 0.0, atol=1e-3)
    # The reflected shoulder sits on the affected side of the body.
    sign = 1 if side == "left" else -1
    assert sign * (mirrored[dst[0], 0] - 0.5 * (image[11, 0] + image[12, 0])) > 0
    untouched = [i for i in range(33) if i not in dst]
    assert np.array_equal(mirrored[untouched], image[untouched])


def test_world_mirror_keeps_arm_lengths_of_real_landmarks() -> None:
    _, world = detect()
    mirrored = mirror_pose(world, "left")
    good = np.linalg.norm(world[P.R_ELBOW, :3] - world[P.R_SHOULDER, :3])
    shown = np.linalg.norm(mirrored[P.L_ELBOW, :3] - mirrored[P.L_SHOULDER, :3])
    assert shown == pytest.approx(good, rel=1e-5)


def test_mediapipe_sees_the_mirrored_shoulder_in_the_video_mirror() -> None:
    image, _ = detect()
    composite = mirror_picture(astronaut_frame(W, H), image, "left")
    seen, _ = _run(composite)
    predicted = mirror_pose(image, "left", (W, H))
    # Across the picture (the left/right question) the match is tight. Vertically MediaPipe
    # places a shoulder from the whole torso, which the composite makes symmetric, so its y
    # moves towards the mean of the two real shoulders: a looser bound there.
    assert seen[P.L_SHOULDER, 0] == pytest.approx(predicted[P.L_SHOULDER, 0], abs=0.03)
    assert seen[P.L_SHOULDER, 1] == pytest.approx(predicted[P.L_SHOULDER, 1], abs=0.1)
    assert seen[P.R_SHOULDER, 0] == pytest.approx(image[P.R_SHOULDER, 0], abs=0.03)
