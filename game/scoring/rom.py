"""Range of motion: session envelope and comparison with the other side and age norms.

Absolute norms (AAOS 180°) are unattainable for most older adults (Gill 2020, §4.1); the
primary comparison is the patient's calibrated unaffected side, recorded with the same
camera so systematic markerless bias cancels (§4.3, §10 item 6).
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate

# Norkin & White, Measurement of Joint Motion, Table A.1 (docs/sources.md §4.1, [V]):
# Boone & Azen (1-54 y, men) and Walker et al. (65-85 y). Degrees.
_NORMS_DEG = {
    "shoulder_flexion": (167.0, 165.0),
    "shoulder_abduction": (184.0, 165.0),
    "elbow_flexion": (143.0, 143.0),
}
_OLDER_FROM_YEARS = 55.0
"""Ages from here use the 65-85 y (Walker) row: the nearer of the two published bands."""


def rom_envelope_deg(angle_deg: np.ndarray) -> dict[str, np.ndarray]:
    """Session envelope of an angle over the last axis (reps or frames), NaN-aware.

    Returns
    -------
    dict of (...) float64: ``max_deg``, ``min_deg``, ``range_deg`` (NaN if none finite).
    """
    a = _validate.as_float_array(angle_deg, "angle_deg")
    hi = np.where(np.isfinite(a), a, -np.inf).max(axis=-1)
    lo = np.where(np.isfinite(a), a, np.inf).min(axis=-1)
    ok = np.isfinite(hi)
    return {
        "max_deg": np.where(ok, hi, np.nan),
        "min_deg": np.where(ok, lo, np.nan),
        "range_deg": np.where(ok, hi - lo, np.nan),
    }


def percent_of_reference(value_deg: np.ndarray, reference_deg: np.ndarray) -> np.ndarray:
    """100 * value / reference: e.g. affected-side ROM as % of the unaffected side or norm.

    NaN where the reference is not positive.
    """
    v = _validate.as_float_array(value_deg, "value_deg", min_ndim=0)
    r = _validate.as_float_array(reference_deg, "reference_deg", min_ndim=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(r > 0, 100.0 * v / r, np.nan)


def age_norm_deg(motion: str, age_years: float) -> float:
    """Normative active ROM for an age, degrees (Norkin & White Table A.1, §4.1).

    Parameters
    ----------
    motion : {"shoulder_flexion", "shoulder_abduction", "elbow_flexion"}
    age_years : float

    Returns
    -------
    float, degrees: Boone & Azen below 55 years, Walker et al. (65-85 y) from 55 on.
    """
    if motion not in _NORMS_DEG:
        raise ValueError(f"motion must be one of {sorted(_NORMS_DEG)}, got {motion!r}")
    age = _validate.positive(age_years, "age_years")
    young, old = _NORMS_DEG[motion]
    return old if age >= _OLDER_FROM_YEARS else young
