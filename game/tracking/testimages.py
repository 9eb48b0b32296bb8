"""Real-photo test frames for the tracker: ``skimage.data.astronaut()`` on a grey canvas.

MediaPipe finds a pose in this photo reliably (nose at x≈0.44, y≈0.25, visibility 1.0;
docs/performance-notes.md §1.1), so tests and benchmarks use it instead of a webcam.
scikit-image is a dev dependency only, so it is imported lazily.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import cv2
import numpy as np

CANVAS_GREY = 128
"""Background level of the canvas around the photo (uint8)."""


@lru_cache(maxsize=1)
def _astronaut_bgr() -> np.ndarray:
    try:
        from skimage import data
    except ImportError as exc:  # pragma: no cover - dev dependency
        raise RuntimeError("astronaut_frame needs scikit-image (a dev dependency)") from exc
    rgb = data.astronaut()
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    bgr.flags.writeable = False
    return bgr


def astronaut_frame(
    width: int, height: int, shift_px: float = 0.0, scale: float = 1.0, flip: bool = False
) -> np.ndarray:
    """The astronaut photo resized to ``scale * height``, centred on a grey canvas.

    Parameters
    ----------
    width, height : int
        Canvas size in pixels.
    shift_px : float
        Horizontal shift of the photo to the right, in pixels (sub-pixel allowed).
    scale : float
        Photo height as a fraction of the canvas height (> 0).
    flip : bool
        Mirror the photo horizontally (the anatomical sides then swap in the picture).

    Returns
    -------
    (height, width, 3) uint8
        BGR frame, as a camera would deliver it.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"width and height must be > 0, got {width}x{height}")
    if scale <= 0:
        raise ValueError(f"scale must be > 0, got {scale}")
    photo = _astronaut_bgr()
    if flip:
        photo = photo[:, ::-1]
    side_px = scale * height
    zoom = side_px / photo.shape[0]
    # Affine warp: scale about the photo's origin, then move its centre to the canvas centre.
    tx = width / 2.0 + shift_px - zoom * photo.shape[1] / 2.0
    ty = height / 2.0 - zoom * photo.shape[0] / 2.0
    matrix = np.array([[zoom, 0.0, tx], [0.0, zoom, ty]], dtype=np.float64)
    return cv2.warpAffine(
        np.ascontiguousarray(photo),
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(CANVAS_GREY, CANVAS_GREY, CANVAS_GREY),
    )


def sinusoid_shifts_px(n_frames: int, amplitude_px: float = 6.0, period_frames: int = 16) -> np.ndarray:
    """Horizontal shifts ``(n_frames,) float64`` in pixels: ``A sin(2π i / period)``."""
    if n_frames < 0 or period_frames <= 0:
        raise ValueError(f"need n_frames >= 0 and period_frames > 0, got {n_frames}, {period_frames}")
    i = np.arange(n_frames)
    return amplitude_px * np.sin(2.0 * np.pi * i / period_frames)


def sinusoid_frames(
    width: int = 640,
    height: int = 480,
    n_frames: int = 300,
    amplitude_px: float = 6.0,
    period_frames: int = 16,
) -> Iterator[np.ndarray]:
    """Astronaut frames shifted sinusoidally by ±``amplitude_px`` to exercise ROI tracking.

    One period of frames is built once and then cycled (as in docs/performance-notes.md §1.1),
    so generating frames costs nothing during a benchmark.
    """
    shifts = sinusoid_shifts_px(period_frames, amplitude_px, period_frames)
    cycle = [astronaut_frame(width, height, float(s)) for s in shifts]
    for i in range(n_frames):
        yield cycle[i % period_frames]


def still_clip(photo: np.ndarray, n_frames: int, seed: int = 0) -> list[np.ndarray]:
    """A real photograph as a still clip with real-camera-like jitter: random sub-pixel
    shifts (SD 0.3 px, a camera on a table) and Gaussian sensor noise (SD 2 grey levels).

    Parameters
    ----------
    photo : (H, W, 3) uint8
        BGR picture.
    n_frames : int
        Frames to make.
    seed : int
        Seed of the jitter (deterministic clips).

    Returns
    -------
    list of (H, W, 3) uint8 frames
    """
    rng = np.random.default_rng(seed)
    h, w = photo.shape[:2]
    frames = []
    for dx, dy in rng.normal(0.0, 0.3, (n_frames, 2)):
        m = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]])
        f = cv2.warpAffine(photo, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        f = f.astype(np.float32) + rng.normal(0.0, 2.0, f.shape).astype(np.float32)
        frames.append(np.clip(f, 0, 255).astype(np.uint8))
    return frames
