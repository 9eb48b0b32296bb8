"""Finger and hand measures from MediaPipe hand landmarks (pure numpy, NaN-aware, vectorised).

Input is one hand's landmarks ``(..., 21, 3)`` (any leading axes: frames, reps) in metres
(MediaPipe ``hand_world_landmarks``) or any other isotropic unit; every measure here is an
angle or a ratio of lengths of the same hand, so the unit and the hand's position cancel.
Landmark indices: game/tracking/hands.py (0 wrist, 1-4 thumb CMC..tip, 5-8 index MCP..tip,
... 17-20 little finger). A missing landmark (NaN) gives NaN in every measure that uses it.

Conventions (docs/sources.md §12): flexion 0 deg = a straight joint, positive when the joint
bends; it is the angle between the two bones that meet at the joint, atan2(|a x b|, a . b),
so hyperextension also reads positive (MediaPipe's depth cannot tell the two apart reliably).
The index to little fingers have MCP, PIP and DIP; the thumb MCP and IP (its CMC is not a
hinge and is not measured). The metacarpal of each long finger is the line wrist -> its MCP.
Hand size is the palm length, wrist -> middle-finger MCP, which finger movement does not
change.

Measures (each with its formula and source in docs/metrics.md and docs/sources.md §12):
:func:`finger_flexion_deg`, :func:`total_flexion_deg` (the ASSH total active motion, TAM),
:func:`hand_aperture_norm`, :func:`pinch_aperture_norm`, :func:`active_range_deg`,
:func:`tap_events` and :func:`tapping_metrics` (MDS-UPDRS 3.4 finger tapping: rate,
amplitude, decrements, rhythm, hesitations), :func:`touch_times_s` (thumb opposition) and
:func:`individuation_index` (Häger-Ross & Schieber 2000).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.scoring import _validate
from game.scoring.signal_lib import scipy_signal
from game.tracking.hands import FINGERS, MIDDLE_MCP, WRIST

LONG_FINGERS = ("index", "middle", "ring", "pinky")
"""The four fingers with three joints (MCP, PIP, DIP)."""
FINGER_NAMES = ("thumb", *LONG_FINGERS)
TIPS = tuple(FINGERS[f][3] for f in FINGER_NAMES)
"""Fingertip landmarks, thumb first."""
PALM = (WRIST, *(FINGERS[f][0] for f in LONG_FINGERS))
"""Landmarks whose mean is the palm centre: the wrist and the four long fingers' MCPs."""


def _joints() -> dict[str, tuple[int, int, int]]:
    """Joint name -> (proximal, vertex, distal) landmarks of the two bones meeting there."""
    out: dict[str, tuple[int, int, int]] = {}
    for name in LONG_FINGERS:
        mcp, pip, dip, tip = FINGERS[name]
        out[f"{name}_mcp"] = (WRIST, mcp, pip)
        out[f"{name}_pip"] = (mcp, pip, dip)
        out[f"{name}_dip"] = (pip, dip, tip)
    cmc, mcp, ip, tip = FINGERS["thumb"]
    out["thumb_mcp"] = (cmc, mcp, ip)
    out["thumb_ip"] = (mcp, ip, tip)
    return out


JOINTS = _joints()
"""Every measured joint: ``<finger>_<mcp|pip|dip|ip>`` -> (proximal, vertex, distal)."""
TAP_CONTACT_NORM = 0.18
"""Offline analysis: the thumb-index gap, palm lengths, at or below which the fingers touch
(the two finger pads lie between the landmark tips: 1-1.5 cm, 0.1-0.16 palm lengths; the
simulated touch reads 0.13; on the real close-up the gap falls to 0.15 only where the index
curls onto the thumb in passing; docs/validation.md §10)."""
TAP_MIN_AMPLITUDE_NORM = 0.25
"""Smallest opening of the thumb-index gap, in palm lengths, that counts as a tap: above the
pinch-aperture noise of a still hand on real footage (docs/validation.md §10) and about a
sixth of a healthy tap's opening (1.2-1.6 palm lengths)."""
HESITATION_FACTOR = 2.0
"""An interval between taps longer than this many times the median interval is a hesitation
(design choice operationalising the MDS-UPDRS 3.4 "hesitations or halts", §12.2)."""


def hand_xyz(value: object, name: str = "hand") -> np.ndarray:
    """Validate ``(..., 21, 3|4)`` hand landmarks; returns the x, y, z columns as float64."""
    arr = _validate.as_float_array(value, name, min_ndim=2)
    if arr.shape[-2] != 21 or arr.shape[-1] not in (3, 4):
        raise ValueError(f"{name} must have shape (..., 21, 3) or (..., 21, 4), got {arr.shape}")
    return arr[..., :3]


def _bone_angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle between two bone vectors ``(..., 3)``: atan2(|a x b|, a . b), degrees."""
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.degrees(np.arctan2(cross, np.sum(a * b, axis=-1)))


def finger_flexion_deg(hand: object) -> dict[str, np.ndarray]:
    """Flexion of every finger joint, degrees (0 = straight), keys as :data:`JOINTS`.

    Parameters
    ----------
    hand : (..., 21, 3) or (..., 21, 4) float
        One hand's landmarks.

    Returns
    -------
    dict of str to (...) float64
    """
    xyz = hand_xyz(hand)
    out = {}
    for joint, (p, v, d) in JOINTS.items():
        out[joint] = _bone_angle_deg(xyz[..., v, :] - xyz[..., p, :], xyz[..., d, :] - xyz[..., v, :])
    return out


def total_flexion_deg(hand: object) -> dict[str, np.ndarray]:
    """Sum of one finger's joint flexions, degrees (MCP + PIP + DIP; thumb MCP + IP): the
    ASSH total active motion of a finger held in that posture (§12.1). Keys FINGER_NAMES."""
    flex = finger_flexion_deg(hand)
    return {
        name: sum((flex[j] for j in JOINTS if j.startswith(f"{name}_")), np.zeros(()))
        for name in FINGER_NAMES
    }


def hand_closure_deg(hand: object) -> np.ndarray:
    """How closed the hand is: the total flexion of its most bent long finger, degrees (...).

    The hand is only as open as its most closed finger: raising one or two fingers from a
    fist (pointing, signing) leaves it high; it falls only when every finger opens (below
    about 150 deg every fingertip is off the palm; a fist reads 200-280, a hand opened flat
    under 60). NaN if any long finger is missing."""
    total = total_flexion_deg(hand)
    return np.max(np.stack([total[f] for f in LONG_FINGERS], axis=-1), axis=-1)


def palm_length(hand: object) -> np.ndarray:
    """Hand size: the wrist -> middle-finger MCP distance, in the landmarks' unit, (...)."""
    xyz = hand_xyz(hand)
    return np.linalg.norm(xyz[..., MIDDLE_MCP, :] - xyz[..., WRIST, :], axis=-1)


def _per_palm(length: np.ndarray, palm: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(palm > 0, length / palm, np.nan)


def hand_aperture_norm(hand: object) -> np.ndarray:
    """How open the hand is: the mean distance of the five fingertips from the palm centre
    (mean of the wrist and the four long fingers' MCPs), in palm lengths, (...).

    About 1.3-1.5 for a hand opened flat and 0.4-0.6 for a fist (§12.1)."""
    xyz = hand_xyz(hand)
    centre = np.mean(xyz[..., PALM, :], axis=-2)
    tips = np.linalg.norm(xyz[..., TIPS, :] - centre[..., None, :], axis=-1)
    return _per_palm(np.mean(tips, axis=-1), palm_length(xyz))


def pinch_aperture_norm(hand: object, finger: str = "index") -> np.ndarray:
    """Distance from the thumb tip to one fingertip, in palm lengths, (...): the gap of a
    pinch and of a thumb-index tap (MDS-UPDRS 3.4 amplitude, §12.2)."""
    if finger not in LONG_FINGERS:
        raise ValueError(f"finger must be one of {LONG_FINGERS}, got {finger!r}")
    xyz = hand_xyz(hand)
    gap = np.linalg.norm(xyz[..., FINGERS[finger][3], :] - xyz[..., FINGERS["thumb"][3], :], axis=-1)
    return _per_palm(gap, palm_length(xyz))


def active_range_deg(total_flexion: object) -> np.ndarray:
    """Active range of motion over time: largest minus smallest total flexion, degrees.

    ``total_flexion`` is ``(..., T)`` (time last); NaN frames are ignored; all-NaN -> NaN.
    """
    x = _validate.as_float_array(total_flexion, "total_flexion")
    finite = np.isfinite(x)
    lo = np.min(np.where(finite, x, np.inf), axis=-1)
    hi = np.max(np.where(finite, x, -np.inf), axis=-1)
    return np.where(finite.any(axis=-1), hi - lo, np.nan)


# ---------------------------------------------------------------------------- tapping
@dataclass(frozen=True)
class Taps:
    """Thumb-index taps found in an aperture signal (sample indices, time order).

    ``peak`` is the widest opening of each tap; ``before`` / ``after`` the closest approach
    of the fingers (the contact) before and after it.
    """

    peak: np.ndarray
    before: np.ndarray
    after: np.ndarray

    def __len__(self) -> int:
        return int(self.peak.size)


def _fill_gaps(x: np.ndarray) -> np.ndarray:
    """Linear interpolation over NaN samples (ends held); all-NaN stays NaN."""
    finite = np.isfinite(x)
    if finite.all() or not finite.any():
        return x
    idx = np.arange(x.size)
    return np.interp(idx, idx[finite], x[finite])


def tap_events(
    aperture: object, min_amplitude: float = TAP_MIN_AMPLITUDE_NORM, contact: float | None = None
) -> Taps:
    """The taps of a thumb-index aperture signal: each opening that rises at least
    ``min_amplitude`` from the contact before it and falls at least as much to the contact
    after it (open -> close; MDS-UPDRS 3.4, §12.2).

    Parameters
    ----------
    aperture : (T,) float
        Thumb-index gap per frame (palm lengths); NaN frames are bridged linearly.
    min_amplitude : float
        Smallest rise and fall, in the signal's unit.
    contact : float, optional
        When given, the fingers must also come this close (the signal at or below it) before
        and after the opening: a tap ends in a touch (offline analysis of free movement,
        where a hand changing shape also opens and closes the gap).
    """
    x = _validate.as_float_array(aperture, "aperture")
    if x.ndim != 1:
        raise ValueError(f"aperture must be 1-D (T,), got shape {x.shape}")
    amp = _validate.positive(min_amplitude, "min_amplitude")
    empty = np.zeros(0, np.int64)
    x = _fill_gaps(x)
    if x.size < 3 or not np.isfinite(x).all():
        return Taps(empty, empty, empty)
    peaks, _ = scipy_signal().find_peaks(x, prominence=amp)
    if not peaks.size:
        return Taps(empty, empty, empty)
    bounds = np.concatenate([[0], peaks, [x.size - 1]])
    minima = np.array(
        [a + int(np.argmin(x[a : b + 1])) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    )
    before, after = minima[:-1], minima[1:]
    keep = (x[peaks] - x[before] >= amp) & (x[peaks] - x[after] >= amp)
    if contact is not None:
        keep &= (x[before] <= contact) & (x[after] <= contact)
    return Taps(peaks[keep], before[keep], after[keep])


def decrement_pct(values: np.ndarray) -> float:
    """Fall of a least-squares line through ``values`` (one per tap, in order) from the first
    tap to the last, in % of its value at the first tap (> 0: a decrement, §12.2)."""
    v = values[np.isfinite(values)]
    if v.size < 3:
        return math.nan
    k = np.arange(v.size, dtype=np.float64)
    slope, first = np.polyfit(k, v, 1)
    return float(-100.0 * slope * (v.size - 1) / first) if first > 0 else math.nan


def tapping_metrics(
    t_s: object, aperture: object, min_amplitude: float = TAP_MIN_AMPLITUDE_NORM
) -> dict[str, float]:
    """MDS-UPDRS 3.4-style measures of one hand's thumb-index tapping (§12.2).

    Parameters
    ----------
    t_s : (T,) float
        Frame times, seconds, increasing.
    aperture : (T,) float
        Thumb-index gap per frame, palm lengths (:func:`pinch_aperture_norm`).

    Returns
    -------
    dict with ``tap_count``; ``tap_rate_hz`` (taps per second between the first and the last
    opening); ``tap_amplitude_norm`` (mean opening from the contact before it, palm lengths);
    ``tap_amplitude_decrement_pct`` and ``tap_speed_decrement_pct`` (fall of the fitted line
    over the taps, % of the first); ``tap_interval_cv_pct`` (rhythm: SD / mean of the
    intervals between openings, %); ``tap_hesitations`` (intervals longer than
    :data:`HESITATION_FACTOR` x their median). NaN where too few taps define a value.
    """
    x = _validate.as_float_array(aperture, "aperture")
    t = _validate.timestamps(t_s, "t_s", x.shape[0] if x.ndim == 1 else None)
    taps = tap_events(x, min_amplitude)
    amp, speed = tap_sizes(t, _fill_gaps(x), taps)
    return tap_summary(t[taps.peak], amp, speed)


def tap_sizes(t_s: np.ndarray, x: np.ndarray, taps: Taps) -> tuple[np.ndarray, np.ndarray]:
    """Each tap's amplitude (opening from the contact before it, the signal's unit) and mean
    speed (rise plus fall over the contact-to-contact time, the unit per second)."""
    amp = x[taps.peak] - x[taps.before]
    cycle_s = t_s[taps.after] - t_s[taps.before]
    speed = (2.0 * x[taps.peak] - x[taps.before] - x[taps.after]) / np.where(cycle_s > 0, cycle_s, np.nan)
    return amp, speed


def tap_summary(peak_t_s: np.ndarray, amplitude: np.ndarray, speed: np.ndarray) -> dict[str, float]:
    """The measures of :func:`tapping_metrics` from each tap's time of widest opening,
    amplitude and speed (``(n,)`` each, in tap order)."""
    t = np.asarray(peak_t_s, dtype=np.float64)
    n = int(t.size)
    intervals = np.diff(t)
    two = intervals.size >= 2
    cv = float(100.0 * np.std(intervals, ddof=1) / np.mean(intervals)) if two else math.nan
    slow = float(np.sum(intervals > HESITATION_FACTOR * np.median(intervals))) if two else math.nan
    return {
        "tap_count": float(n),
        "tap_rate_hz": float((n - 1) / (t[-1] - t[0])) if n >= 2 and t[-1] > t[0] else math.nan,
        "tap_amplitude_norm": float(np.mean(amplitude)) if n else math.nan,
        "tap_amplitude_decrement_pct": decrement_pct(np.asarray(amplitude, dtype=np.float64)),
        "tap_speed_decrement_pct": decrement_pct(np.asarray(speed, dtype=np.float64)),
        "tap_interval_cv_pct": cv,
        "tap_hesitations": slow,
    }


# ------------------------------------------------------------------ opposition, individuation
def touch_times_s(t_s: object, hand: object, order: Sequence[str], touch_norm: float) -> np.ndarray:
    """When the thumb tip first touched each fingertip of ``order``, one after the other.

    A touch is the first frame, after the previous finger's touch, in which the thumb tip
    lies within ``touch_norm`` palm lengths of that fingertip. Returns ``(len(order),)``
    seconds, NaN from the first finger never touched on.
    """
    xyz = hand_xyz(hand)
    t = _validate.timestamps(t_s, "t_s", xyz.shape[0] if xyz.ndim == 3 else None)
    if xyz.ndim != 3:
        raise ValueError(f"hand must be (T, 21, 3|4), got {xyz.shape}")
    out = np.full(len(order), np.nan)
    start = 0
    for k, finger in enumerate(order):
        gap = pinch_aperture_norm(xyz[start:], finger)
        hits = np.flatnonzero(gap <= touch_norm)
        if not hits.size:
            break
        start += int(hits[0])
        out[k] = t[start]
    return out


def individuation_index(total_flexion: object, instructed: int) -> float:
    """Individuation index of the instructed finger (Häger-Ross & Schieber 2000, §12.3).

    ``I = 1 - (sum over the other fingers i of |C_i|) / (n - 1)``, where ``C_i`` is the slope
    of the least-squares line of finger i's flexion against the instructed finger's flexion
    over the movement (Schieber's relative coactivation) and n the number of fingers. 1 = the
    other fingers stayed still, 0 = they moved as much as the instructed one.

    Parameters
    ----------
    total_flexion : (T, n) float
        Flexion of each finger per frame (e.g. :func:`total_flexion_deg`), degrees; frames
        with any NaN are left out.
    instructed : int
        Column of the instructed finger.

    Returns
    -------
    float, NaN when the instructed finger did not move (no slope to take) or n < 2.
    """
    x = _validate.as_float_array(total_flexion, "total_flexion", min_ndim=2)
    if x.ndim != 2:
        raise ValueError(f"total_flexion must be (T, n), got {x.shape}")
    n = x.shape[1]
    if not 0 <= instructed < n:
        raise ValueError(f"instructed must be a column of total_flexion (0..{n - 1}), got {instructed}")
    x = x[np.isfinite(x).all(axis=1)]
    if n < 2 or x.shape[0] < 3:
        return math.nan
    lead = x[:, instructed] - x[:, instructed].mean()
    var = float(np.sum(lead**2))
    if var <= 1e-9:
        return math.nan
    slopes = (lead @ (x - x.mean(axis=0))) / var
    others = np.delete(np.abs(slopes), instructed)
    return float(1.0 - others.sum() / (n - 1))
