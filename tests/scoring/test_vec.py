"""game.scoring.vec: the written-out dot, length and cross products give numpy's bits.

The scoring pipeline swapped ``np.sum(u * v, axis=-1)``, ``np.linalg.norm`` and ``np.cross``
for these to be faster; the benchmark and the oracle tests hold it to the same answers only
within a tolerance, so here the equality is exact, on the shapes and dtypes scoring uses
(float32 landmarks, float64 signals, NaN for unseen points, broadcasting a target)."""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring import vec


def _points(rng: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """Scaled normal values with some NaN and some exact zeros (signs of zero included)."""
    x = (rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 3, shape)).astype(dtype)
    x[rng.random(shape) < 0.05] = np.nan
    x[rng.random(shape) < 0.05] = 0.0
    x[rng.random(shape) < 0.02] = -0.0
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3,), (500, 3), (7, 40, 3), (500, 2), (7, 40, 2)])
def test_dot_and_norm_match_numpy_bit_for_bit(shape: tuple[int, ...], dtype: type) -> None:
    rng = np.random.default_rng(sum(shape))
    u, v = _points(rng, shape, dtype), _points(rng, shape, dtype)
    d = vec.dot(u, v)
    assert np.asarray(d).dtype == np.sum(u * v, axis=-1).dtype
    np.testing.assert_array_equal(d, np.sum(u * v, axis=-1), strict=True)
    np.testing.assert_array_equal(vec.norm(u), np.linalg.norm(u, axis=-1), strict=True)


def test_dot_and_norm_on_strided_views_and_broadcast_targets() -> None:
    rng = np.random.default_rng(3)
    landmarks = _points(rng, (300, 33, 3), np.float64)
    a, b = landmarks[:, 11], landmarks[:, 12]  # non-contiguous rows, as the pipeline cuts them
    np.testing.assert_array_equal(vec.norm(a - b), np.linalg.norm(a - b, axis=-1))
    target = np.array([0.25, -0.5, 1.0])
    np.testing.assert_array_equal(vec.dot(a, target), np.sum(a * target, axis=-1))
    np.testing.assert_array_equal(vec.dot(target, a), np.sum(target * a, axis=-1))
    transposed = np.asfortranarray(a)
    np.testing.assert_array_equal(vec.norm(transposed), np.linalg.norm(transposed, axis=-1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_matches_numpy_bit_for_bit(dtype: type) -> None:
    rng = np.random.default_rng(5)
    u, v = _points(rng, (400, 3), dtype), _points(rng, (400, 3), dtype)
    np.testing.assert_array_equal(vec.cross(u, v), np.cross(u, v), strict=True)
    np.testing.assert_array_equal(vec.cross_norm(u, v), np.linalg.norm(np.cross(u, v), axis=-1), strict=True)
    up = np.array([0.0, -1.0, 0.0])
    np.testing.assert_array_equal(vec.cross(up, u), np.cross(up, u))


def test_known_values() -> None:
    x, y = np.array([1.0, 0.0, 0.0]), np.array([0.0, 2.0, 0.0])
    assert vec.dot(x, y) == 0.0
    assert vec.norm(np.array([3.0, 4.0])) == 5.0
    np.testing.assert_array_equal(vec.cross(x, y), [0.0, 0.0, 2.0])
    assert vec.cross_norm(x, y) == 2.0
    assert np.isnan(vec.norm(np.array([np.nan, 1.0, 0.0])))
