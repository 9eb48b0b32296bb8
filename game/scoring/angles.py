"""Angle arithmetic on the circle: wrapped angles and wrapped differences, in degrees.

A difference of two directions must be taken on the circle: -180 deg and 170 deg are 10 deg
apart, not 350 (issue 10 item 9: position matching reported a -350 deg error).
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate


def wrap_deg(angle_deg: np.ndarray | float) -> np.ndarray:
    """Angle wrapped into [-180, 180) degrees, NaN-aware, any shape."""
    a = _validate.as_float_array(angle_deg, "angle_deg", min_ndim=0)
    return np.mod(a + 180.0, 360.0) - 180.0


def angle_diff_deg(a_deg: np.ndarray | float, b_deg: np.ndarray | float) -> np.ndarray:
    """Signed smallest difference a - b on the circle, in [-180, 180) degrees (broadcasts)."""
    a = _validate.as_float_array(a_deg, "a_deg", min_ndim=0)
    b = _validate.as_float_array(b_deg, "b_deg", min_ndim=0)
    return wrap_deg(a - b)
