"""The MediaPipe tracker that runs the parts a level asks for: pose, and on request hands, face.

- body: ``solutions.pose`` (mediapipe_source.py), on every picture.
- hands: ``solutions.hands``, at most two hands, on the raw unflipped frame. Both landmark
  models ship in the 0.10.21 wheel (``hand_landmark_full.tflite`` for ``model_complexity=1``,
  ``hand_landmark_lite.tflite`` for 0, with the matching palm detectors), so neither
  downloads anything. Each hand is given the person's own side from the pose's wrists
  (hands.py).
- face: ``solutions.face_mesh`` with ``refine_landmarks=True`` (478 landmarks with irises),
  one face.

The hands and face graphs are built the first time a picture is processed with that part
requested (on the tracker's thread, so the game loop never waits for it) and are skipped,
not closed, while the part is not requested: a level that comes back to hands does not pay
the start-up again. A body-only run never builds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from game.tracking.hands import SIDES, DetectedHand, assign_sides
from game.tracking.mediapipe_source import (
    MediaPipeConfig,
    MediaPipeEstimator,
    landmarks_to_array,
    load_solution,
    to_rgb,
)
from game.tracking.pose import (
    MISSING_FACE,
    MISSING_HAND,
    N_FACE_LANDMARKS,
    N_HAND_LANDMARKS,
    Parts,
    Picture,
    PoseFrame,
    empty_landmarks,
)
from game.tracking.quiet import quiet_native_stderr

G = TypeVar("G")
EXTRA_PARTS: Parts = frozenset({"hands", "face"})
"""The parts run beside the pose on request."""
HAND_FULL, HAND_LITE = 1, 0
"""``model_complexity`` of the hand landmark model: both are bundled in the wheel."""


def _check_confidence(owner: str, **values: float) -> None:
    for name, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{owner}.{name} must be in [0, 1], got {value}")


@dataclass(frozen=True)
class HandsConfig:
    """Options passed to ``mp.solutions.hands.Hands``.

    Attributes
    ----------
    model_complexity : {0, 1}
        1 the full landmark model (default), 0 the lite one (faster, less precise).
    max_num_hands : int
        Hands looked for; 2 (both of the person's hands).
    min_detection_confidence, min_tracking_confidence : float
        MediaPipe defaults (0.5).
    """

    model_complexity: int = HAND_FULL
    max_num_hands: int = 2
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5

    def __post_init__(self) -> None:
        if self.model_complexity not in (HAND_LITE, HAND_FULL):
            raise ValueError(f"HandsConfig.model_complexity must be 0 or 1, got {self.model_complexity}")
        if not 1 <= self.max_num_hands <= 2:
            raise ValueError(f"HandsConfig.max_num_hands must be 1 or 2, got {self.max_num_hands}")
        _check_confidence(
            "HandsConfig",
            min_detection_confidence=self.min_detection_confidence,
            min_tracking_confidence=self.min_tracking_confidence,
        )


@dataclass(frozen=True)
class FaceConfig:
    """Options passed to ``mp.solutions.face_mesh.FaceMesh`` (refined landmarks, one face)."""

    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5

    def __post_init__(self) -> None:
        _check_confidence(
            "FaceConfig",
            min_detection_confidence=self.min_detection_confidence,
            min_tracking_confidence=self.min_tracking_confidence,
        )


class _Graph:
    """One legacy MediaPipe solution graph (``_graph``), closed once."""

    _graph: Any = None

    def close(self) -> None:
        """Release the graph. Safe to call twice."""
        if self._graph is not None:
            self._graph.close()
            self._graph = None


class HandsGraph(_Graph):
    """One ``mp.solutions.hands.Hands`` graph. Not thread-safe."""

    def __init__(self, config: HandsConfig | None = None, static_image_mode: bool = False) -> None:
        cfg = config or HandsConfig()
        self.config = cfg
        self._graph = load_solution("hands").Hands(
            static_image_mode=static_image_mode,
            max_num_hands=cfg.max_num_hands,
            model_complexity=cfg.model_complexity,
            min_detection_confidence=cfg.min_detection_confidence,
            min_tracking_confidence=cfg.min_tracking_confidence,
        )

    def process_rgb(self, rgb: np.ndarray) -> list[DetectedHand]:
        """The hands in an RGB frame (see :func:`to_rgb`), with MediaPipe's labels, unassigned."""
        result = self._graph.process(rgb)
        if not result.multi_hand_landmarks:
            return []
        worlds = result.multi_hand_world_landmarks or [None] * len(result.multi_hand_landmarks)
        out = []
        for lms, world, handedness in zip(
            result.multi_hand_landmarks, worlds, result.multi_handedness, strict=True
        ):
            best = handedness.classification[0]
            score = float(best.score)
            image = landmarks_to_array(lms, N_HAND_LANDMARKS, fourth=score)
            w = MISSING_HAND if world is None else landmarks_to_array(world, N_HAND_LANDMARKS, fourth=score)
            out.append(DetectedHand(image, w, best.label.lower(), score))
        return out


class FaceGraph(_Graph):
    """One ``mp.solutions.face_mesh.FaceMesh`` graph with refined landmarks. Not thread-safe."""

    def __init__(self, config: FaceConfig | None = None, static_image_mode: bool = False) -> None:
        cfg = config or FaceConfig()
        self.config = cfg
        self._graph = load_solution("face_mesh").FaceMesh(
            static_image_mode=static_image_mode,
            max_num_faces=1,
            refine_landmarks=True,
            min_detection_confidence=cfg.min_detection_confidence,
            min_tracking_confidence=cfg.min_tracking_confidence,
        )

    def process_rgb(self, rgb: np.ndarray) -> np.ndarray | None:
        """``(478, 4) float32`` face landmarks (4th column 1.0), or None when no face."""
        result = self._graph.process(rgb)
        if not result.multi_face_landmarks:
            return None
        return landmarks_to_array(result.multi_face_landmarks[0], N_FACE_LANDMARKS, fourth=1.0)


def hand_fields(
    detected: list[DetectedHand], pose_image: np.ndarray, frame_size_px: tuple[int, int]
) -> dict[str, np.ndarray]:
    """PoseFrame hand fields for one frame's detections: each side found or MISSING_HAND."""
    sides = assign_sides(detected, pose_image, frame_size_px)
    out: dict[str, np.ndarray] = {}
    for side in SIDES:
        hand = sides.get(side)
        out[f"{side}_hand"] = MISSING_HAND if hand is None else hand.image
        out[f"{side}_hand_world"] = MISSING_HAND if hand is None else hand.world
    return out


@dataclass
class MediaPipeTracker:
    """Pose on every picture, hands and face when requested: a ``PartsEstimator``.

    Also a plain ``PoseEstimator`` (:meth:`process`), so it can stand wherever the pose-only
    :class:`MediaPipeEstimator` did. Not thread-safe: call it from one thread (the tracker's);
    it may run the hands and face graphs on its own helper thread.

    Attributes
    ----------
    parallel : bool
        Run hands and face on a helper thread beside the pose (see :meth:`process_parts`).
    runs : Counter
        How many pictures each part's model has run on ("body", "hands", "face").
    builds : Counter
        How many times each part's graph was built (kept after :meth:`close`).
    """

    config: MediaPipeConfig = field(default_factory=MediaPipeConfig)
    hands_config: HandsConfig = field(default_factory=HandsConfig)
    face_config: FaceConfig = field(default_factory=FaceConfig)
    parallel: bool = True
    runs: Counter[str] = field(default_factory=Counter)
    builds: Counter[str] = field(default_factory=Counter)
    _pose: MediaPipeEstimator | None = field(default=None, init=False)
    _hands: HandsGraph | None = field(default=None, init=False)
    _face: FaceGraph | None = field(default=None, init=False)
    _pool: ThreadPoolExecutor | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._pose = MediaPipeEstimator(self.config)
        self.builds["body"] += 1

    @property
    def built(self) -> frozenset[str]:
        """The parts whose graph exists (built on first request, kept until close)."""
        names = {"body"} if self._pose is not None else set()
        names |= {"hands"} if self._hands is not None else set()
        names |= {"face"} if self._face is not None else set()
        return frozenset(names)

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Body landmarks only, as :meth:`MediaPipeEstimator.process`."""
        return self._pose_graph().process(bgr)

    def process_parts(self, picture: Picture, parts: Parts) -> PoseFrame:
        """Run the pose, and the hands and face models if in ``parts``, on one raw picture.

        With :attr:`parallel` the hands and face run on a helper thread while the pose runs on
        this one (MediaPipe releases the GIL while it infers), so the frame is ready after the
        slower of the two instead of their sum.
        """
        rgb = to_rgb(picture.bgr)
        extras = parts & EXTRA_PARTS
        if extras and self.parallel:
            pending = self._helper().submit(self._run_extras, rgb, extras)
            body = self._run_pose(rgb)
            detected, face = pending.result()
        else:
            body = self._run_pose(rgb)
            detected, face = self._run_extras(rgb, extras)
        image, world = body if body is not None else (empty_landmarks(), empty_landmarks())
        hands = {} if detected is None else hand_fields(detected, image, (rgb.shape[1], rgb.shape[0]))
        return PoseFrame(picture.t_s, image, world, face=face, **hands)

    def _run_pose(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        body = self._pose_graph().process_rgb(rgb)
        self.runs["body"] += 1
        return body

    def _run_extras(
        self, rgb: np.ndarray, extras: Parts
    ) -> tuple[list[DetectedHand] | None, np.ndarray | None]:
        """(hands found, unassigned; face landmarks or MISSING_FACE), None for a part not asked."""
        detected = face = None
        if "hands" in extras:
            with self._quiet_first("hands"):
                detected = self._hands_graph().process_rgb(rgb)
            self.runs["hands"] += 1
        if "face" in extras:
            with self._quiet_first("face"):
                face = self._face_graph().process_rgb(rgb)
            self.runs["face"] += 1
            face = MISSING_FACE if face is None else face
        return detected, face

    def _quiet_first(self, part: str) -> AbstractContextManager[None]:
        """Native start-up lines silenced while a part's graph is built and runs its first
        picture (game/tracking/quiet.py); nothing afterwards."""
        return quiet_native_stderr() if self.runs[part] == 0 else nullcontext()

    def _helper(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-parts")
        return self._pool

    def _pose_graph(self) -> MediaPipeEstimator:
        if self._pose is None:
            raise RuntimeError("MediaPipeTracker used after close()")
        return self._pose

    def _hands_graph(self) -> HandsGraph:
        if self._hands is None:
            self._hands = self._build("hands", lambda: HandsGraph(self.hands_config))
        return self._hands

    def _face_graph(self) -> FaceGraph:
        if self._face is None:
            self._face = self._build("face", lambda: FaceGraph(self.face_config))
        return self._face

    def _build(self, part: str, make: Callable[[], G]) -> G:
        """Build one part's graph on first request (never after :meth:`close`)."""
        self._pose_graph()
        self.builds[part] += 1
        return make()

    def close(self) -> None:
        """Stop the helper thread and release every graph. Safe to call twice."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for graph in (self._pose, self._hands, self._face):
            if graph is not None:
                graph.close()
        self._pose = self._hands = self._face = None


@dataclass(frozen=True)
class MediaPipeTrackerFactory:
    """Callable that builds a :class:`MediaPipeTracker` with fixed configs (on the worker)."""

    config: MediaPipeConfig = field(default_factory=MediaPipeConfig)
    hands_config: HandsConfig = field(default_factory=HandsConfig)
    face_config: FaceConfig = field(default_factory=FaceConfig)
    parallel: bool = True

    def __call__(self) -> MediaPipeTracker:
        return MediaPipeTracker(self.config, self.hands_config, self.face_config, self.parallel)


def tracker_factory(
    config: MediaPipeConfig | None = None,
    hands_config: HandsConfig | None = None,
    face_config: FaceConfig | None = None,
    parallel: bool = True,
) -> MediaPipeTrackerFactory:
    """The default estimator factory of camera and video sources: pose plus parts on request."""
    return MediaPipeTrackerFactory(
        config or MediaPipeConfig(), hands_config or HandsConfig(), face_config or FaceConfig(), parallel
    )
