"""Repetitions of sit-to-stand and squats in a signal: the game counts them live with the same
two-threshold rule that offline analysis runs over a whole clip.

A rep is rest -> movement -> back to rest on a 1-D signal that rises during the movement:

- **squat**: mean knee flexion of the legs seen (world landmarks, 0 = straight): a rep is
  standing -> lowest point -> standing; its metric ``peak_knee_flexion_deg``;
- **sit-to-stand**: hip height above the ankles in shank lengths
  (game.scoring.lower_limb.hip_height_shanks): a rep is seated -> standing -> seated; its
  metric ``stand_time_s`` (from leaving the seat to sitting again).

The signal must cross ``high`` to be a movement and come back to ``low`` or below to end it
(hysteresis: noise around one threshold never counts twice). A movement still away from rest
when the clip ends is not a rep. Offline, the thresholds come from the clip itself
(:func:`clip_thresholds`: 30 % and 60 % of its range, when the range is at least the exercise's
smallest movement); live, each level type sets them.

:func:`analyze_reps` gives the reps in the JSON shape of ``main.py analyze`` (docs/metrics.md,
"Offline analysis"); the squat clip counted by a person is in docs/validation.md §12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.ndimage import median_filter

from game.scoring import _validate
from game.scoring.lower_limb import (
    hip_height_shanks,
    knee_flexion_deg,
    mean_knee_flexion_deg,
    trunk_flexion_deg,
)
from game.tracking import pose as P

LEG_LANDMARKS = (P.L_HIP, P.R_HIP, P.L_KNEE, P.R_KNEE, P.L_ANKLE, P.R_ANKLE)
"""Landmarks every leg signal needs (reliability is judged on these)."""
RELIABLE_FRACTION = 0.8
"""A rep is reliable when its legs were seen in at least this share of its frames."""


@dataclass(frozen=True)
class LegExercise:
    """One offline leg exercise: its signal, its smallest movement and its rep metrics."""

    id: str
    title: str
    signal_label: str
    min_swing: float
    """Smallest range of the signal that can hold a rep (its unit): below it, no reps."""


SQUAT = LegExercise("squat", "Squats", "mean knee flexion, deg (0 = straight)", 25.0)
SIT_TO_STAND = LegExercise("sit-to-stand", "Sit-to-stand", "hip height, shank lengths", 0.35)
EXERCISES = {e.id: e for e in (SQUAT, SIT_TO_STAND)}


def hysteresis_states(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """Rest (0) or movement (1) per sample, (N,) int8; -1 before the first threshold is met.

    A sample at or above ``high`` starts movement, at or below ``low`` rest; in between (and
    where ``x`` is NaN) the state stays what it was."""
    v = _validate.as_float_array(x, "x")
    if not low < high:
        raise ValueError(f"low ({low}) must be below high ({high})")
    with np.errstate(invalid="ignore"):
        mark = np.where(v >= high, 1, np.where(v <= low, 0, -1)).astype(np.int8)
    idx = np.where(mark >= 0, np.arange(v.size), -1)
    last = np.maximum.accumulate(idx) if v.size else idx
    return np.where(last >= 0, mark[np.maximum(last, 0)], -1).astype(np.int8)


def excursion_reps(x: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reps rest -> movement -> rest: (start, peak, end) sample indices, (R,) int each.

    ``start`` is the lowest rest sample just before the movement, ``end`` the lowest rest
    sample just after it, ``peak`` the largest value between them. A movement that never
    comes back is left out.
    """
    v = _validate.as_float_array(x, "x")
    s = hysteresis_states(v, low, high)
    ups = np.flatnonzero((s[1:] == 1) & (s[:-1] == 0)) + 1
    downs = np.flatnonzero((s[1:] == 0) & (s[:-1] == 1)) + 1
    starts, peaks, ends = [], [], []
    for u in ups:
        later = downs[downs > u]
        if not later.size:
            break
        d = int(later[0])
        rest = np.flatnonzero(v[:u] <= low)
        a = _settle(v, int(rest[-1]) if rest.size else int(u), -1)
        d = _settle(v, d, +1)
        seg = v[a : d + 1]
        starts.append(a)
        peaks.append(a + int(np.nanargmax(seg)))
        ends.append(d)
    return tuple(np.asarray(z, dtype=np.int64) for z in (starts, peaks, ends))  # type: ignore[return-value]


def rises(x: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Every move from rest past ``high`` (as the game counts live, the return need not have
    happened yet): (start, peak) sample indices, (R,) int each; the peak is the largest value
    until the signal is back at rest (or the end)."""
    v = _validate.as_float_array(x, "x")
    s = hysteresis_states(v, low, high)
    ups = np.flatnonzero((s[1:] == 1) & (s[:-1] != 1)) + 1
    downs = np.flatnonzero((s[1:] == 0) & (s[:-1] == 1)) + 1
    after = np.searchsorted(downs, ups, side="right")  # the first return to rest after each rise
    stops = np.append(downs, v.size)[after]
    # np.nanargmax per rise, its NaN filled once: a rise starts at a finite sample >= high
    filled = np.where(np.isnan(v), -np.inf, v)
    peaks = [u + int(np.argmax(filled[u:stop])) for u, stop in zip(ups.tolist(), stops.tolist(), strict=True)]
    return ups.astype(np.int64), np.asarray(peaks, dtype=np.int64)


def _settle(v: np.ndarray, i: int, step: int) -> int:
    """Walk from a rest sample away from the movement while the signal keeps falling: the
    movement starts (or ends) at the bottom of the rest level, not where it crossed ``low``."""
    j = i + step
    while 0 <= j < v.size and np.isfinite(v[j]) and v[j] <= v[i]:
        i, j = j, j + step
    return i


def clip_thresholds(x: np.ndarray, min_swing: float) -> tuple[float, float] | None:
    """Thresholds from a clip's own range (30 % and 60 % of it above its lowest value, after a
    3-sample median filter against single-frame glitches), or None when the range is below
    ``min_swing`` (nothing moved enough to be a rep)."""
    v = _validate.as_float_array(x, "x")
    fin = np.isfinite(v)
    if fin.sum() < 3:
        return None
    smooth = median_filter(v[fin], size=3, mode="nearest")
    lo, hi = float(np.min(smooth)), float(np.max(smooth))
    if hi - lo < min_swing:
        return None
    return lo + 0.3 * (hi - lo), lo + 0.6 * (hi - lo)


def signal(exercise: LegExercise, world: np.ndarray) -> np.ndarray:
    """The exercise's signal from world landmarks (T, 33, 3|4), (T,) float."""
    w = _validate.as_float_array(world, "world", min_ndim=3)[..., :3]
    if exercise.id == "squat":
        return mean_knee_flexion_deg(w)
    return hip_height_shanks(w)


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def rep_metrics(
    exercise: LegExercise, world: np.ndarray, t_s: np.ndarray, start: int, peak: int, end: int
) -> dict[str, float | None]:
    """One rep's metrics (units in the names; None where undefined)."""
    w = _validate.as_float_array(world, "world", min_ndim=3)[..., :3]
    t = np.asarray(t_s, dtype=np.float64)
    seg = slice(start, end + 1)
    trunk = float(np.nanmax(trunk_flexion_deg(w[seg]))) if end >= start else math.nan
    if exercise.id == "squat":
        return {
            "peak_knee_flexion_deg": _num(float(mean_knee_flexion_deg(w[peak]))),
            "peak_knee_flexion_left_deg": _num(float(np.nanmax(knee_flexion_deg(w[seg], "left")))),
            "peak_knee_flexion_right_deg": _num(float(np.nanmax(knee_flexion_deg(w[seg], "right")))),
            "trunk_flexion_deg": _num(trunk),
            "duration_s": float(t[end] - t[start]),
        }
    h = hip_height_shanks(w)
    standing = np.flatnonzero(h[start : peak + 1] >= h[start] + 0.9 * (h[peak] - h[start]))
    rise = float(t[start + int(standing[0])] - t[start]) if standing.size else math.nan
    return {
        "stand_time_s": float(t[end] - t[start]),
        "rise_time_s": _num(rise),
        "trunk_flexion_deg": _num(trunk),
    }


def analyze_reps(exercise_id: str, t_s: np.ndarray, world: np.ndarray) -> list[dict[str, Any]]:
    """The reps of a tracked clip in the ``analyze`` JSON shape (``start_s``, ``peak_s``,
    ``end_s``, ``reliable``, ``metrics``).

    Parameters
    ----------
    exercise_id : {"squat", "sit-to-stand"}
    t_s : (T,) float
        Frame times, seconds.
    world : (T, 33, 4) float
        World landmarks with visibility (column 3); poorly seen ones (< 0.5) are left out.
    """
    if exercise_id not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise_id!r} (known: {', '.join(EXERCISES)})")
    ex = EXERCISES[exercise_id]
    w = _validate.as_float_array(world, "world", min_ndim=3).copy()
    seen = w[..., 3] >= P.VISIBLE if w.shape[-1] == 4 else np.isfinite(w[..., 0])
    w[..., :3][~seen] = np.nan
    x = signal(ex, w)
    thresholds = clip_thresholds(x, ex.min_swing)
    if thresholds is None:
        return []
    t = np.asarray(t_s, dtype=np.float64)
    legs_seen = np.all(seen[:, list(LEG_LANDMARKS)], axis=-1)
    out = []
    for a, p, e in zip(*excursion_reps(x, *thresholds), strict=True):
        out.append(
            {
                "start_s": float(t[a]),
                "peak_s": float(t[p]),
                "end_s": float(t[e]),
                "reliable": bool(np.mean(legs_seen[a : e + 1]) >= RELIABLE_FRACTION),
                "metrics": rep_metrics(ex, w, t, int(a), int(p), int(e)),
            }
        )
    return out
