"""Pack landmark recordings into float32 BLOB rows and back (pure numpy, no SQL).

One row per frame with two ``(33, 4) float32`` BLOBs (528 B each) measured fastest and
smallest for 30 Hz recordings; reading back is one ``np.frombuffer`` of the joined bytes
(docs/performance-notes.md §1.6 and §7).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.tracking.pose import N_LANDMARKS

FRAME_SHAPE = (N_LANDMARKS, 4)
"""Landmarks per frame: x, y, z, visibility for each of the 33 BlazePose points."""
FRAME_BYTES = N_LANDMARKS * 4 * 4
"""Bytes in one float32 frame BLOB (528)."""

FrameRow = tuple[int, int, float, bytes, bytes]


def _as_frames(value: object, name: str, n: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.shape != (n, *FRAME_SHAPE):
        raise ValueError(f"{name} must have shape ({n}, 33, 4), got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(f"{name} must hold floats, got dtype {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.float32)


def encode_frames(
    session_id: int, start_idx: int, t_s: object, image: object, world: object
) -> list[FrameRow]:
    """Validate a batch of frames and return rows ``(session, idx, t, image, world)``.

    Parameters
    ----------
    session_id : int
        Session the frames belong to.
    start_idx : int
        Index of the first frame in the session (frames are numbered 0, 1, 2, ...).
    t_s : (N,) float
        Frame times in seconds since the session started; finite.
    image, world : (N, 33, 4) float
        Image and world landmarks (see tracking/pose.py); stored as float32, NaN allowed
        for missing poses.
    """
    if isinstance(start_idx, bool) or not isinstance(start_idx, int | np.integer):
        raise ValueError(f"start_idx must be an integer, got {start_idx!r}")
    if start_idx < 0:
        raise ValueError(f"start_idx must be >= 0, got {start_idx}")
    t = np.asarray(t_s, dtype=np.float64)
    if t.ndim != 1:
        raise ValueError(f"t_s must have shape (N,), got {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ValueError("t_s must be finite (seconds since the session started)")
    img = _as_frames(image, "image", t.shape[0])
    wld = _as_frames(world, "world", t.shape[0])
    first = int(start_idx)
    return [
        (session_id, first + i, float(t[i]), img[i].tobytes(), wld[i].tobytes()) for i in range(t.shape[0])
    ]


def decode_frames(
    rows: Sequence[tuple[float, bytes, bytes]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn rows ``(t, image, world)`` ordered by frame index into arrays.

    Returns
    -------
    t_s : (N,) float64
        Frame times in seconds.
    image, world : (N, 33, 4) float32
        Writable copies of the stored landmarks, bit-exact.

    Raises
    ------
    ValueError
        If a BLOB does not hold exactly one ``(33, 4) float32`` frame.
    """
    for t, img, wld in rows:
        if len(img) != FRAME_BYTES or len(wld) != FRAME_BYTES:
            raise ValueError(f"frame at t={t} s has a BLOB of the wrong size")
    t_s = np.array([row[0] for row in rows], dtype=np.float64)
    image = np.frombuffer(bytearray().join(row[1] for row in rows), dtype=np.float32)
    world = np.frombuffer(bytearray().join(row[2] for row in rows), dtype=np.float32)
    return t_s, image.reshape(-1, *FRAME_SHAPE), world.reshape(-1, *FRAME_SHAPE)
