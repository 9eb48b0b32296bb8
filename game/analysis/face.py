"""Face exercises of offline analysis: ``--exercise mouth-opening`` and ``--exercise smile``.

The face is tracked on every frame with MediaPipe Face Mesh (refined landmarks, tracking mode;
no pixels kept), beside the pose, whose hands tell when a hand hides the face (those frames
are not observations of the face: :func:`hand_over_face`). The face is turned into its own
frame in millimetres (game.scoring.face: the person's own sides, scaled by the iris) and put
through the same preprocessing as every other signal (uniform grid, short gaps filled,
zero-phase low-pass; game.scoring.preprocess).
The exercises then use the shared machinery of game.analysis.core: a rep is an excursion of
the exercise's signal (start position -> movement -> back), reliable when the face was seen.

- ``mouth-opening``: the signal is the gap between the inner lips (mm); a rep is closed ->
  open by at least :data:`MIN_OPENING_MM` -> closed. Metrics: the widest opening
  (``peak_mouth_opening_mm``), the chin's sideways deviation on the way open and deflection at
  the widest opening (game.scoring.face.jaw_deviation_mm), the opening at the start.
- ``smile``: the signal is the lift of the higher mouth corner above the middle of the upper
  lip (mm; a smile lifts the corners, a one-sided smile, as in a facial palsy, lifts one); a rep
  is neutral -> smile by at least :data:`MIN_SMILE_MM` -> neutral. Metrics: each corner's
  movement from the start of the rep to its peak (``smile_left_mm``, ``smile_right_mm``), their
  symmetry (``smile_symmetry_pct``) and the left-minus-right difference.

For face exercises the :class:`~game.analysis.exercises.Prepared` record carries the face:
``face_mm`` ``(N, 478, 2)``, and ``observed`` / ``long_gap`` are per face landmark.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from game.analysis.exercises import Exercise, Metrics, Prepared, register
from game.analysis.track import Progress, Track
from game.scoring import face as FM
from game.scoring.preprocess import MAX_GAP_S, preprocess_signals
from game.tracking.errors import VideoUnavailable
from game.tracking.face import CHIN, LEFT_EYE_INNER, LOWER_LIP_INNER, RIGHT_EYE_INNER, UPPER_LIP_INNER
from game.tracking.face_mesh import FACE_OVAL
from game.tracking.mediapipe_parts import MediaPipeTracker
from game.tracking.pose import (
    L_INDEX,
    L_PINKY,
    L_THUMB,
    L_WRIST,
    N_FACE_LANDMARKS,
    N_LANDMARKS,
    R_INDEX,
    R_PINKY,
    R_THUMB,
    R_WRIST,
    VISIBLE,
    Picture,
)
from game.tracking.quiet import quiet_native_stderr
from game.tracking.video_file import MAX_SIDE_PX, FrameStream, shrink

MIN_OPENING_MM = 10.0
"""Smallest opening and closing counted as a mouth opening: far above the inner-lip gap's noise
(docs/validation.md §11) and above the lip gaps of speech and lip movements (under 2 mm on
the real face clip), a quarter of a normal maximal opening (40-50 mm, docs/sources.md §13)."""
MIN_SMILE_MM = 2.5
"""Smallest rise and return of the corner lift counted as a smile: several times its noise on
still real footage (docs/validation.md §11); the corner of a healthy smile moves 9.3 ± 2.8 mm
(Jorge et al. 2012, docs/sources.md §13), of which the lift above the lip's middle is a part."""
HAND_MARGIN = 0.1
"""A hand this close to the face's box (a fraction of the face's size) counts as over it."""
HAND_POINTS = [L_WRIST, R_WRIST, L_PINKY, R_PINKY, L_INDEX, R_INDEX, L_THUMB, R_THUMB]
GAP_FRAMES = 1.5
"""As in game.analysis.core: one missing frame is bridged at any frame rate."""
BODY_FACE = frozenset({"body", "face"})


def track_face_frames(
    frames: Iterable[np.ndarray], fps: float, *, expected: int = 0, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pose image and world landmarks ``(T, 33, 4)`` and Face Mesh landmarks ``(T, 478, 4)``
    of BGR frames (NaN where nothing was found). The pose runs beside the face (on a helper
    thread, game.tracking.mediapipe_parts) because its hands tell when the face is hidden
    (:func:`hand_over_face`)."""
    with quiet_native_stderr():
        tracker = MediaPipeTracker()
    image: list[np.ndarray] = []
    world: list[np.ndarray] = []
    faces: list[np.ndarray] = []
    try:
        for i, frame in enumerate(frames):
            with quiet_native_stderr():
                out = tracker.process_parts(Picture(i, i / fps, frame), BODY_FACE)
            image.append(out.image)
            world.append(out.world)
            faces.append(np.asarray(out.face, dtype=np.float64))
            if progress is not None:
                progress(len(faces), expected)
    finally:
        tracker.close()
    n = len(faces)
    shape = (n, N_LANDMARKS, 4)
    return (
        np.asarray(image, dtype=np.float64).reshape(shape),
        np.asarray(world, dtype=np.float64).reshape(shape),
        np.asarray(faces, dtype=np.float64).reshape(n, N_FACE_LANDMARKS, 4),
    )


def face_track(
    image: np.ndarray, world: np.ndarray, face: np.ndarray, fps: float, frame_size: tuple[int, int]
) -> Track:
    """A Track with the face (see :func:`track_face_frames`)."""
    return Track(np.arange(face.shape[0]) / fps, image, world, fps, frame_size, face=face)


def track_face_video(
    path: str | Path, *, progress: Progress | None = None, max_side_px: int = MAX_SIDE_PX
) -> Track:
    """Track the face (and the pose) in every frame of a video file (VideoUnavailable for a
    bad file)."""
    stream = FrameStream(path, max_side_px)
    image, world, face = track_face_frames(
        stream, stream.fps, expected=stream.expected_frames, progress=progress
    )
    if face.shape[0] == 0:
        raise VideoUnavailable(f"video file has no readable frames: {str(Path(path))!r}")
    return face_track(image, world, face, stream.fps, stream.frame_size)


def track_face_clip(frames: list[np.ndarray], fps: float) -> Track:
    """Track the face (and the pose) in frames already in memory (tests)."""
    image, world, face = track_face_frames((shrink(f) for f in frames), fps)
    if face.shape[0] == 0:
        raise VideoUnavailable("clip has no frames")
    h, w = frames[0].shape[:2]
    return face_track(image, world, face, fps, (w, h))


def hand_over_face(image: np.ndarray, face: np.ndarray, margin: float = HAND_MARGIN) -> np.ndarray:
    """``(T,)`` True where a hand of the pose (wrist, index, pinky or thumb, visibility >= 0.5)
    lies inside the face's box (the face oval's bounding box grown by ``margin`` of its size
    on every side): the hand may hide part of the face, whose landmarks Face Mesh then still
    places, from the rest of the face, where they are not (on the real thumbs-up clip a thumb
    in front of the cheek moved the mouth corners by several millimetres)."""
    oval = np.asarray(face, dtype=np.float64)[:, list(FACE_OVAL[0]), :2]
    lo, hi = np.nanmin(oval, axis=1), np.nanmax(oval, axis=1)
    pad = (hi - lo) * margin
    lo, hi = lo - pad, hi + pad
    hands = np.asarray(image, dtype=np.float64)[:, HAND_POINTS, :]
    with np.errstate(invalid="ignore"):
        seen = hands[..., 3] >= VISIBLE
        inside = np.all((hands[..., :2] >= lo[:, None, :]) & (hands[..., :2] <= hi[:, None, :]), axis=-1)
    return np.any(seen & inside, axis=-1)


def prepare_face(track: Track) -> Prepared:
    """The clip's face in the face frame (mm) on a uniform grid, gap-filled and filtered
    (game.scoring.preprocess.preprocess_signals: the coordinates are linear in the landmarks
    of each frame, so they are filtered directly)."""
    assert track.face is not None
    coords = FM.face_frame_mm(track.face, track.frame_size)
    coords[hand_over_face(track.image, track.face)] = np.nan  # a hidden face is not seen
    found = np.isfinite(coords).all(axis=-1)
    if track.frames < 2:
        return Prepared(track.t_s, track.fps, np.zeros((track.frames, 33, 3)), found, ~found, face_mm=coords)
    grid, smooth, observed, gap = preprocess_signals(
        track.t_s, coords, fs_hz=track.fps, max_gap_s=max(MAX_GAP_S, GAP_FRAMES / track.fps)
    )
    world = np.full((len(grid), 33, 3), np.nan)
    return Prepared(grid, track.fps, world, observed.all(axis=-1), gap.any(axis=-1), face_mm=smooth)


def _face(prep: Prepared) -> np.ndarray:
    if prep.face_mm is None:
        raise ValueError("this exercise needs the face: the clip was tracked without it")
    return prep.face_mm


def mouth_opening(prep: Prepared, side: str) -> np.ndarray:
    """Gap between the inner lips, mm (both sides alike)."""
    return FM.mouth_opening_mm(_face(prep))


def corner_lift_mm(prep: Prepared, side: str) -> np.ndarray:
    """Height of the higher mouth corner above the middle of the upper lip (13), mm: a smile
    lifts one or both corners above the mouth's middle, while a nod, which moves the whole
    mouth up or down in the picture, does not."""
    c = _face(prep)
    mid = c[:, UPPER_LIP_INNER, 1]
    return np.fmax(c[:, FM.CORNER["left"], 1] - mid, c[:, FM.CORNER["right"], 1] - mid)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _opening_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    c = _face(prep)
    opening = FM.mouth_opening_mm(c)
    deviation, deflection = FM.jaw_deviation_mm(
        opening[start : end + 1], FM.jaw_lateral_mm(c[start : end + 1])
    )
    return {
        "peak_mouth_opening_mm": _num(opening[peak]),
        "start_mouth_opening_mm": _num(opening[start]),
        "jaw_deviation_mm": _num(deviation),
        "jaw_deflection_mm": _num(deflection),
        "duration_s": float((end - start) / prep.fs_hz),
    }


def _smile_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    c = _face(prep)
    exc = FM.corner_excursion_mm(c[peak], c[start])
    left, right = float(exc["left"]), float(exc["right"])
    return {
        "smile_left_mm": _num(left),
        "smile_right_mm": _num(right),
        "smile_symmetry_pct": _num(float(FM.symmetry_pct(np.asarray(left), np.asarray(right)))),
        "smile_left_minus_right_mm": _num(left - right),
        "duration_s": float((end - start) / prep.fs_hz),
    }


MOUTH_OPENING = register(
    Exercise(
        id="mouth-opening",
        title="mouth opening: open the mouth along the midline and close it again",
        parts=frozenset({"face"}),
        landmarks=lambda side: (UPPER_LIP_INNER, LOWER_LIP_INNER, CHIN, RIGHT_EYE_INNER, LEFT_EYE_INNER),
        signal=mouth_opening,
        signal_label="inner-lip gap, mm",
        min_amplitude=MIN_OPENING_MM,
        metrics=_opening_metrics,
        headline="peak_mouth_opening_mm",
    )
)
SMILE = register(
    Exercise(
        id="smile",
        title="smile: from a neutral face to a smile (one-sided counts) and back",
        parts=frozenset({"face"}),
        landmarks=lambda side: (FM.CORNER["left"], FM.CORNER["right"], RIGHT_EYE_INNER, LEFT_EYE_INNER),
        signal=corner_lift_mm,
        signal_label="lift of the higher mouth corner above the middle of the upper lip, mm",
        min_amplitude=MIN_SMILE_MM,
        metrics=_smile_metrics,
        headline="smile_symmetry_pct",
    )
)
