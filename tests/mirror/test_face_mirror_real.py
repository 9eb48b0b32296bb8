"""The half-face mirror is a true reflection on real faces (tests/data, Apache-2.0, see its
README): MediaPipe Face Mesh run again on the composited picture finds each landmark of the
mirrored half where the reflection of its partner on the healthy half puts it, and the healthy
half's pixels are untouched, on the original frames, their horizontally flipped copies and
copies rotated by 20 degrees.

Tolerance (docs/validation.md §11): the median error of the mirrored half's inner landmarks
(the face oval left out: Face Mesh places the face's edge from the whole head, which the
composite changes) within 0.15 of the distance between the inner eye corners (about 5 mm; 5-7
pixels on these faces), 90 % within 0.35. MediaPipe itself, run again on the composite, finds
the untouched half up to 0.1 of that distance from where it found it before.

Frames (looked at): webcam clip 10 (facing the camera), 60 and 85 (head tilted to one side);
the full expression clip at half size, 220 (left eye winked, left mouth corner pulled up) and
250 (right eye winked, right corner up); the gesture clip 0 (neutral) and 15 (fist raised
beside the face, smiling).
"""

from __future__ import annotations

from functools import cache, lru_cache

import cv2
import numpy as np
import pytest

from game.mirror.face import LEFT_HALF, RIGHT_HALF, HalfFace, half_face_mirror, reflect_px
from game.scoring.face import UPPER_MIDLINE
from game.tracking.face_mesh import FACE_OVAL, PARTNER
from game.tracking.mediapipe_parts import FaceGraph
from game.tracking.mediapipe_source import to_rgb
from tests.tracking.footage import DATA, FACE_WEBCAM, FIST_THUMBS_UP, read_frames

FACE_EXPRESSIONS = DATA / "face_expressions_half.mp4"
CASES = [(FACE_WEBCAM, 10), (FACE_WEBCAM, 60), (FACE_WEBCAM, 85), (FACE_EXPRESSIONS, 220),
         (FACE_EXPRESSIONS, 250), (FIST_THUMBS_UP, 0), (FIST_THUMBS_UP, 15)]  # fmt: skip
VARIANTS = ("original", "flipped", "rotated")
MEDIAN_ICD, P90_ICD = 0.15, 0.35
INNER = {side: np.array([i for i in half if i not in set(FACE_OVAL[0])])
         for side, half in (("left", LEFT_HALF), ("right", RIGHT_HALF))}  # fmt: skip
PARTNERS = np.asarray(PARTNER)


@lru_cache(maxsize=1)
def graph() -> FaceGraph:
    return FaceGraph(static_image_mode=True)


def detect(bgr: np.ndarray) -> np.ndarray:
    face = graph().process_rgb(to_rgb(bgr))
    assert face is not None, "MediaPipe found no face"
    return face.astype(np.float64)


@cache
def picture(path: str, index: int, variant: str) -> np.ndarray:
    frame = read_frames(DATA / path, stop=index + 1)[index]
    if variant == "flipped":
        return cv2.flip(frame, 1)
    if variant == "rotated":
        h, w = frame.shape[:2]
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), 20.0, 1.0)
        return cv2.warpAffine(frame, turn, (w, h), borderMode=cv2.BORDER_REPLICATE)
    return frame


@cache
def composite(path: str, index: int, variant: str, weak: str) -> tuple[np.ndarray, HalfFace, np.ndarray]:
    """(landmarks before, the mirror, landmarks MediaPipe finds on the mirror) in pixels."""
    bgr = picture(path, index, variant)
    size = np.array([bgr.shape[1], bgr.shape[0]], dtype=np.float64)
    before = detect(bgr)
    mirror = half_face_mirror(bgr, before, weak)  # type: ignore[arg-type]
    return before[:, :2] * size, mirror, detect(mirror.bgr)[:, :2] * size


def icd_px(px: np.ndarray) -> float:
    return float(np.linalg.norm(px[362] - px[133]))


def errors(path: str, index: int, variant: str, weak: str) -> tuple[np.ndarray, np.ndarray, float]:
    """Distances (in inner-eye-corner distances) of the mirrored half's inner landmarks from
    where the reflection puts them: on the composite, and on the picture before mirroring."""
    before, mirror, after = composite(path, index, variant, weak)
    assert mirror.midline is not None and mirror.weight == 1.0
    inner = INNER[weak]
    expected = reflect_px(before[PARTNERS[inner]], mirror.midline)
    icd = icd_px(before)
    return (np.linalg.norm(after[inner] - expected, axis=1) / icd,
            np.linalg.norm(before[inner] - expected, axis=1) / icd, icd)  # fmt: skip


@pytest.mark.parametrize("weak", ["left", "right"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("path", "index"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_mediapipe_finds_the_mirrored_half_where_the_reflection_puts_it(path, index, variant, weak) -> None:
    err, _, icd = errors(path.name, index, variant, weak)
    assert np.median(err) <= MEDIAN_ICD, f"median {np.median(err) * icd:.1f} px"
    assert np.percentile(err, 90) <= P90_ICD, f"90th percentile {np.percentile(err, 90) * icd:.1f} px"


@pytest.mark.parametrize("weak", ["left", "right"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("path", "index"), CASES[:4], ids=lambda v: getattr(v, "stem", str(v)))
def test_the_healthy_half_is_untouched_and_the_line_is_the_faces_own(path, index, variant, weak) -> None:
    bgr = picture(path.name, index, variant)
    before, mirror, after = composite(path.name, index, variant, weak)
    assert mirror.midline is not None
    changed = np.argwhere(np.any(mirror.bgr != bgr, axis=2))[:, ::-1].astype(np.float64)
    depth = (changed - mirror.midline.point) @ mirror.midline.towards(weak)  # type: ignore[arg-type]
    assert changed.shape[0] > icd_px(before) ** 2 and depth.min() > 0.0  # only the weak half changed
    # the line runs through the upper face's midline (forehead to the nose's back)
    off = np.abs((before[list(UPPER_MIDLINE)] - mirror.midline.point) @ mirror.midline.normal)
    assert np.median(off) < 0.05 * icd_px(before)
    kept = INNER["right" if weak == "left" else "left"]
    assert np.median(np.linalg.norm(after[kept] - before[kept], axis=1)) < 0.1 * icd_px(before)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_mirror_makes_an_asymmetric_face_symmetric(variant: str) -> None:
    # Frame 220: the left eye winked and the left mouth corner pulled up. Before mirroring the
    # right half is far from the reflection of the left; after, it is where the reflection is.
    for weak in ("left", "right"):
        err, before, _ = errors(FACE_EXPRESSIONS.name, 220, variant, weak)
        assert np.median(before) > 0.15
        assert np.median(err) < 0.5 * np.median(before)
