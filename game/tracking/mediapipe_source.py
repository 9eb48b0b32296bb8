"""MediaPipe Pose (``solutions.pose``, mediapipe 0.10.21) behind the PoseEstimator protocol.

This module and mediapipe_import.py are the only ones that import mediapipe, and they do so
lazily (inside :func:`load_pose_module` and :func:`load_solution`), so ``import game.tracking``
stays cheap; mediapipe_import.py loads the solutions without MediaPipe's package ``__init__``,
which would import matplotlib (about 36 MB resident) for drawing helpers the game never uses.
The hands and face graphs, and the tracker that runs the parts a level asks for, are in
mediapipe_parts.py.

- ``model_complexity=1`` only: its model ships inside the 0.10.21 wheel; complexities 0 and 2
  download a model at construction and fail offline (docs/performance-notes.md §0.1, §3).
- Inference runs on the raw, unflipped frame: flipping first would swap the patient's left
  and right labels (see pose.py).
- ``smooth_landmarks=False`` by default: the game smooths once, with its own One-Euro filter
  on real timestamps (smoothing.py). MediaPipe's built-in filter runs on a simulated 30 fps
  clock, so its real-time lag grows when inference is slower than 30 Hz, and it would be a
  second stage on top of ours (docs/performance-notes.md §1.5, §3, §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import cv2
import numpy as np

from game.tracking.mediapipe_import import import_solution
from game.tracking.pose import N_LANDMARKS

MODEL_COMPLEXITY = 1
"""The only complexity whose model ships in the mediapipe 0.10.21 wheel."""


def load_pose_module() -> ModuleType:
    """Import ``mediapipe.python.solutions.pose`` quietly (GLOG_minloglevel=2 unless set)."""
    return import_solution("pose")


def load_solution(name: str) -> ModuleType:
    """Import ``mediapipe.python.solutions.<name>`` ("hands", "face_mesh") quietly."""
    if name not in ("hands", "face_mesh"):
        raise ValueError(f"unknown MediaPipe solution {name!r}")
    return import_solution(name)


def landmarks_to_array(landmark_list: Any, n: int = N_LANDMARKS, fourth: float | None = None) -> np.ndarray:
    """Convert a MediaPipe landmark list to ``(n, 4) float32``: x, y, z and the 4th column.

    The 4th column is each landmark's visibility, or ``fourth`` for every row when given
    (hands and face carry no per-landmark visibility in the legacy API).
    """
    if fourth is None:
        rows = [(lm.x, lm.y, lm.z, lm.visibility) for lm in landmark_list.landmark]
    else:
        rows = [(lm.x, lm.y, lm.z, fourth) for lm in landmark_list.landmark]
    out = np.asarray(rows, dtype=np.float32)
    if out.shape != (n, 4):
        raise ValueError(f"expected {n} landmarks from MediaPipe, got shape {out.shape}")
    return out


def to_rgb(bgr: np.ndarray) -> np.ndarray:
    """The read-only RGB copy of a raw BGR frame ``(H, W, 3) uint8`` that MediaPipe takes."""
    if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.dtype != np.uint8:
        raise ValueError(f"bgr must be (H, W, 3) uint8, got {bgr.shape} {bgr.dtype}")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    rgb.flags.writeable = False
    return rgb


@dataclass(frozen=True)
class MediaPipeConfig:
    """Options passed to ``mp.solutions.pose.Pose``.

    Attributes
    ----------
    smooth_landmarks : bool
        MediaPipe's built-in One-Euro; off because the game smooths once itself.
    min_detection_confidence, min_tracking_confidence : float
        MediaPipe defaults (0.5); raising tracking confidence re-runs the slower detector.
    static_image_mode : bool
        Detector on every frame (+60-75 % time, §1.2); only for unrelated still photos.
    """

    smooth_landmarks: bool = False
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    static_image_mode: bool = False

    def __post_init__(self) -> None:
        for name in ("min_detection_confidence", "min_tracking_confidence"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"MediaPipeConfig.{name} must be in [0, 1], got {value}")


class MediaPipeEstimator:
    """One ``mp.solutions.pose.Pose`` graph. Not thread-safe: use it from one thread."""

    def __init__(self, config: MediaPipeConfig | None = None) -> None:
        cfg = config or MediaPipeConfig()
        mp_pose = load_pose_module()
        self.config = cfg
        self._pose: Any = mp_pose.Pose(
            static_image_mode=cfg.static_image_mode,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=cfg.smooth_landmarks,
            enable_segmentation=False,
            min_detection_confidence=cfg.min_detection_confidence,
            min_tracking_confidence=cfg.min_tracking_confidence,
        )

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Landmarks of the person in a raw BGR frame ``(H, W, 3) uint8``, or None.

        Returns
        -------
        image : (33, 4) float32
            Normalised image landmarks of the raw (unflipped) frame, visibility last.
        world : (33, 4) float32
            World landmarks in metres, hip-centred, visibility last.
        """
        return self.process_rgb(to_rgb(bgr))

    def process_rgb(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """:meth:`process` on a frame already converted by :func:`to_rgb` (shared by models)."""
        if self._pose is None:
            raise RuntimeError("MediaPipeEstimator used after close()")
        result = self._pose.process(rgb)
        if result.pose_landmarks is None or result.pose_world_landmarks is None:
            return None
        return (
            landmarks_to_array(result.pose_landmarks),
            landmarks_to_array(result.pose_world_landmarks),
        )

    def close(self) -> None:
        """Release the MediaPipe graph. Safe to call twice."""
        if self._pose is not None:
            self._pose.close()
            self._pose = None


def mediapipe_factory(config: MediaPipeConfig | None = None) -> MediaPipeEstimatorFactory:
    """An estimator factory for the tracker worker, building :class:`MediaPipeEstimator`."""
    return MediaPipeEstimatorFactory(config or MediaPipeConfig())


@dataclass(frozen=True)
class MediaPipeEstimatorFactory:
    """Callable that builds a :class:`MediaPipeEstimator` with a fixed config."""

    config: MediaPipeConfig

    def __call__(self) -> MediaPipeEstimator:
        return MediaPipeEstimator(self.config)
