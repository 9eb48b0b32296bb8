"""Dot products, lengths and cross products over a short last axis (2 or 3 coordinates).

numpy's reductions (``np.sum(u * v, axis=-1)``, ``np.linalg.norm(v, axis=-1)``) and
``np.cross`` are slow on a last axis of 2 or 3: they set up a reduction loop per row, several
times the cost of the arithmetic on a 10-minute session's 18,000 frames. Written out per
coordinate they add the same products in the same order, ``(x0 y0 + x1 y1) + x2 y2``, so the
results are bit for bit those of the numpy calls (tests/scoring/test_vec.py), only faster.
All functions take ``(..., D)`` arrays (D = 2 or 3, broadcasting over the leading axes).
"""

from __future__ import annotations

import numpy as np


def dot(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Dot product over the last axis, ``(...)``: ``np.sum(u * v, axis=-1)``."""
    out = u[..., 0] * v[..., 0]
    for d in range(1, u.shape[-1]):
        out += u[..., d] * v[..., d]
    return out


def norm(v: np.ndarray) -> np.ndarray:
    """Euclidean length over the last axis, ``(...)``: ``np.linalg.norm(v, axis=-1)``."""
    return np.sqrt(dot(v, v))


def cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Cross product of ``(..., 3)`` vectors, ``(..., 3)``: ``np.cross(u, v)``."""
    u0, u1, u2 = u[..., 0], u[..., 1], u[..., 2]
    v0, v1, v2 = v[..., 0], v[..., 1], v[..., 2]
    return np.stack([u1 * v2 - u2 * v1, u2 * v0 - u0 * v2, u0 * v1 - u1 * v0], axis=-1)


def cross_norm(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Length of the cross product of ``(..., 3)`` vectors, ``(...)``:
    ``np.linalg.norm(np.cross(u, v), axis=-1)`` without forming the product vector."""
    u0, u1, u2 = u[..., 0], u[..., 1], u[..., 2]
    v0, v1, v2 = v[..., 0], v[..., 1], v[..., 2]
    c0, c1, c2 = u1 * v2 - u2 * v1, u2 * v0 - u0 * v2, u0 * v1 - u1 * v0
    out = c0 * c0
    out += c1 * c1
    out += c2 * c2
    return np.sqrt(out)
