"""Proprioception: joint reposition error for position-matching tasks.

The patient sees a target arm position, the arm is then hidden and the patient reproduces
the position. Joint reposition error (JPE) is the difference between the reproduced and the
target joint angle, reported as absolute error (accuracy), signed/constant error (bias:
overshoot > 0) and variable error (SD of the signed errors across trials), the standard
triplet of position-matching studies ([M], docs/sources.md has no section on it).
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate
from game.scoring.angles import angle_diff_deg


def reposition_error_deg(reproduced_deg: np.ndarray, target_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Absolute and signed joint reposition error per trial, degrees.

    Parameters
    ----------
    reproduced_deg, target_deg : (...) float
        Reproduced and target joint angles (broadcastable), degrees.

    Returns
    -------
    absolute_deg, signed_deg : (...) float64
        |reproduced - target| and reproduced - target (> 0 is an overshoot), the difference
        taken on the circle (:func:`game.scoring.angles.angle_diff_deg`): a reproduced
        -180 deg against a target of 170 deg is +10 deg, not -350 deg.
    """
    r = _validate.as_float_array(reproduced_deg, "reproduced_deg", min_ndim=0)
    t = _validate.as_float_array(target_deg, "target_deg", min_ndim=0)
    signed = angle_diff_deg(r, t)
    return np.abs(signed), signed


def reposition_summary_deg(reproduced_deg: np.ndarray, target_deg: np.ndarray) -> dict[str, np.ndarray]:
    """Absolute, constant and variable error over trials (the last axis), NaN-aware.

    Parameters
    ----------
    reproduced_deg, target_deg : (..., K) float
        K trials; NaN trials are ignored.

    Returns
    -------
    dict of (...) float64: ``absolute_error_deg`` (mean |e|), ``constant_error_deg``
    (mean e), ``variable_error_deg`` (SD of e, ddof=1; NaN with fewer than 2 trials).
    """
    absolute, signed = reposition_error_deg(reproduced_deg, target_deg)
    if signed.ndim < 1:
        raise ValueError("reproduced_deg must have a trial axis (..., K)")
    n = np.isfinite(signed).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_abs = np.nansum(absolute, axis=-1) / n
        mean_signed = np.nansum(signed, axis=-1) / n
        dev = np.where(np.isfinite(signed), signed - mean_signed[..., None], 0.0)
        sd = np.sqrt(np.sum(dev**2, axis=-1) / (n - 1))
    return {
        "absolute_error_deg": np.where(n > 0, mean_abs, np.nan),
        "constant_error_deg": np.where(n > 0, mean_signed, np.nan),
        "variable_error_deg": np.where(n > 1, sd, np.nan),
    }
