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

**A chair, not a squat** (:func:`seat_check`): from landmarks the bottom of a deep squat puts
the hips as low as a chair does, so a sit-to-stand clip must also show the person *seated*: the
hips down at seat height with the trunk upright (no more forward lean than the person's own
standing tilt plus :data:`UPRIGHT_MARGIN_DEG`) at least once. Quiet sitting before a stand is
upright, the forward lean comes only with the flexion-momentum phase just before seat-off
(Schenkman 1990), and the chair tests start seated with the back straight or against the
chair; at the bottom of a squat nothing holds the hips, so the trunk must lean forward to keep
the centre of mass over the feet (docs/sources.md §6.7). A clip that never shows it has no
sit-to-stands (offline; the live levels know there is a chair: they ask for one first); each
stand also reports the lean of its own seated rest (``seated_upright``).

:func:`analyze_reps` gives the reps in the JSON shape of ``main.py analyze`` (docs/metrics.md,
"Offline analysis"); the squat clip counted by a person is in docs/validation.md §12.
"""

from __future__ import annotations

import math
import warnings
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
    trunk_forward_lean_deg,
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


SEATED_MAX_SHANKS = 1.45
"""Hips at most this high above the ankles (shank lengths) can rest on a seat: the live level's
seated line (game.leveltypes.standing.SIT_SHANKS; 1.0-1.3 on a chair, sources §6.7)."""
SEAT_BAND = 0.15
"""Seated frames lie within this share of the clip's hip-height range above its lowest value
(a seat stops the hips at one height; 0.15 of a 0.9-1.0 shank-length range is about 3 SD of the
hip height's 0.044 noise on real footage, docs/validation.md §12.2)."""
UPRIGHT_MARGIN_DEG = 10.0
"""Seated upright: forward trunk lean at most the person's own standing tilt plus this (design:
above the 6.8 deg MDC95 of trunk tilt on real footage, validation §12.2, and well below the
30-40 deg lean of seat-off and the 23-29 deg measured at the bottom of the real squats)."""
STANDING_PERCENTILE = 10.0
"""The person's own upright: this percentile of the trunk tilt over the standing frames (standing
tall; the frames just after seat-off, still leaning, are above it)."""
REST_WINDOW_S = 1.5
"""A stand's own seated rest: the seated frames this long before it leaves the seat and after
it is back."""


@dataclass(frozen=True)
class SeatCheck:
    """Whether a clip shows someone seated upright (see the module doc).

    Attributes
    ----------
    seated_upright : bool
        Some seated frame had a forward trunk lean at most ``lean_limit_deg``.
    lowest_lean_deg : float
        The smallest forward lean over the seated frames (NaN when the hips never came down
        to seat height).
    lean_limit_deg : float
        The person's standing trunk tilt (:data:`STANDING_PERCENTILE`, degrees) plus
        :data:`UPRIGHT_MARGIN_DEG`.
    seated : (T,) bool
        Hips down at seat height.
    lean_deg : (T,) float
        Forward trunk lean, 3-sample median (one-frame glitches out).
    """

    seated_upright: bool
    lowest_lean_deg: float
    lean_limit_deg: float
    seated: np.ndarray
    lean_deg: np.ndarray


def _median3(x: np.ndarray) -> np.ndarray:
    """NaN-aware 3-sample running median, (N,) float (the ends use the samples they have)."""
    pad = np.concatenate([[np.nan], x, [np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a window of NaN only gives NaN
        return np.nanmedian(np.stack([pad[:-2], pad[1:-1], pad[2:]]), axis=0)


def seat_check(world: np.ndarray) -> SeatCheck:
    """Seated frames, forward trunk lean and whether the person was seen seated upright.

    ``world``: (T, 33, 3) metres, y down, NaN where not seen."""
    w = _validate.as_float_array(world, "world", min_ndim=3)[..., :3]
    h = hip_height_shanks(w)
    lean = _median3(trunk_forward_lean_deg(w))
    fin = np.isfinite(h)
    if fin.sum() < 3:
        return SeatCheck(False, math.nan, math.nan, np.zeros(h.shape, bool), lean)
    smooth = median_filter(h[fin], size=3, mode="nearest")
    lo, hi = float(np.min(smooth)), float(np.max(smooth))
    with np.errstate(invalid="ignore"):
        seated = h <= min(lo + SEAT_BAND * (hi - lo), SEATED_MAX_SHANKS)
        standing = h >= lo + 0.6 * (hi - lo)
    tilt = trunk_flexion_deg(w)[standing]
    own = float(np.nanpercentile(tilt, STANDING_PERCENTILE)) if np.isfinite(tilt).any() else 0.0
    limit = own + UPRIGHT_MARGIN_DEG
    low = lean[seated]
    lowest = float(np.nanmin(low)) if np.isfinite(low).any() else math.nan
    return SeatCheck(bool(lowest <= limit), lowest, limit, seated, lean)


def rest_lean_deg(check: SeatCheck, t_s: np.ndarray, start: int, end: int) -> float:
    """The smallest forward trunk lean over a stand's own seated rest (the seated frames within
    :data:`REST_WINDOW_S` before ``start`` and after ``end``), NaN when none was seen."""
    t = np.asarray(t_s, dtype=np.float64)
    near = ((t >= t[start] - REST_WINDOW_S) & (t <= t[start])) | (
        (t >= t[end]) & (t <= t[end] + REST_WINDOW_S)
    )
    lean = check.lean_deg[near & check.seated]
    return float(np.nanmin(lean)) if np.isfinite(lean).any() else math.nan


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
    exercise: LegExercise,
    world: np.ndarray,
    t_s: np.ndarray,
    start: int,
    peak: int,
    end: int,
    seat: SeatCheck | None = None,
) -> dict[str, float | None]:
    """One rep's metrics (units in the names; None where undefined). A stand's seated rest is
    judged on ``seat`` (the whole clip's :func:`seat_check`; computed when not given)."""
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
    check = seat if seat is not None else seat_check(w)
    rest = rest_lean_deg(check, t, start, end)
    return {
        "stand_time_s": float(t[end] - t[start]),
        "rise_time_s": _num(rise),
        "trunk_flexion_deg": _num(trunk),
        "seated_trunk_lean_deg": _num(rest),
        "seated_upright": float(rest <= check.lean_limit_deg),
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

    A sit-to-stand clip that never shows the person seated upright (:func:`seat_check`) has
    no reps.
    """
    if exercise_id not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise_id!r} (known: {', '.join(EXERCISES)})")
    ex = EXERCISES[exercise_id]
    w = _validate.as_float_array(world, "world", min_ndim=3).copy()
    seen = w[..., 3] >= P.VISIBLE if w.shape[-1] == 4 else np.isfinite(w[..., 0])
    w[..., :3][~seen] = np.nan
    x = signal(ex, w)
    thresholds = clip_thresholds(x, ex.min_swing)
    seat = seat_check(w[..., :3]) if ex is SIT_TO_STAND else None
    if thresholds is None or (seat is not None and not seat.seated_upright):
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
                "metrics": rep_metrics(ex, w, t, int(a), int(p), int(e), seat),
            }
        )
    return out
