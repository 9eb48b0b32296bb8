"""Boundary checks shared by the scoring functions.

Every public scoring function validates its inputs here first, so a bad call fails with one
clear ``ValueError`` that names the offending argument instead of a deep numpy traceback.
"""

from __future__ import annotations

import numpy as np

from game.tracking.pose import N_LANDMARKS


def as_float_array(value: object, name: str, *, min_ndim: int = 1) -> np.ndarray:
    """``value`` as a float64 array with at least ``min_ndim`` dimensions."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from exc
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}")
    return arr


def landmarks(value: object, name: str, *, convert: bool = True) -> np.ndarray:
    """Landmark array ``(..., T, 33, 4)``: float64, or as given (numeric) with convert=False."""
    if convert:
        arr = as_float_array(value, name, min_ndim=3)
    else:
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or arr.ndim < 3:
            raise ValueError(f"{name} must be a numeric (..., T, 33, 4) array, got {arr.dtype} {arr.shape}")
    if arr.shape[-2:] != (N_LANDMARKS, 4):
        raise ValueError(f"{name} must have shape (..., T, 33, 4), got {arr.shape}")
    if arr.shape[-3] < 1:
        raise ValueError(f"{name} must hold at least one frame, got shape {arr.shape}")
    return arr


def timestamps(
    value: object, name: str, n_frames: int | None = None, *, allow_nan: bool = False
) -> np.ndarray:
    """``(T,)`` timestamps in seconds, strictly increasing over the finite entries.

    With ``allow_nan`` a NaN timestamp marks a frame to drop (a missing frame); at least one
    timestamp must be finite.
    """
    arr = as_float_array(value, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (T,), got shape {arr.shape}")
    if n_frames is not None and arr.shape[0] != n_frames:
        raise ValueError(f"{name} has {arr.shape[0]} timestamps but the data has {n_frames} frames")
    finite = np.isfinite(arr)
    if np.any(np.isinf(arr)) or not (allow_nan or finite.all()):
        raise ValueError(f"{name} must be finite (mark missing frames with NaN landmarks instead)")
    if not finite.any():
        raise ValueError(f"{name} has no finite timestamp")
    if not np.all(np.diff(arr[finite]) > 0):
        raise ValueError(f"{name} must be strictly increasing")
    return arr


def positive(value: object, name: str) -> float:
    """A finite, strictly positive scalar."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not np.isfinite(out) or out <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return out


def fraction(value: object, name: str) -> float:
    """A scalar in the open interval (0, 1)."""
    out = positive(value, name)
    if out >= 1:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}")
    return out


def side(value: object, name: str = "side") -> str:
    """``"left"`` or ``"right"`` (the patient's anatomical side)."""
    if value not in ("left", "right"):
        raise ValueError(f"{name} must be 'left' or 'right', got {value!r}")
    return str(value)


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} {a.shape} and {name_b} {b.shape} must have the same shape")
