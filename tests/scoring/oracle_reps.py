"""Per-rep part of the scoring oracle (tests/scoring/oracle.py): rep windows, the movement
toward the target, every metric of one rep and the part of the rep each depends on.

Plain Python, one rep at a time, on the filtered per-sample series of oracle.session_series;
the definitions are docs/validation.md §2-§3 and the functions of oracle_metrics.py. Nothing
here imports ``game.scoring``.
"""

from __future__ import annotations

import math
import statistics

from tests.scoring.oracle_metrics import (
    NAN,
    dwell_entry,
    dwell_samples,
    forward_only,
    interjoint_r,
    isnan,
    ldlj,
    movement_units,
    nanmax,
    path_length_ratio,
    reach_onset_offset,
    reach_toward_units,
    shoulder_hiking_mm,
    sparc,
    trunk_displacement_mm,
)

PERSISTENCE_S = 0.1
"""A run above the onset threshold counts only if it lasts this long (§3 video adaptation)."""
PRE_CUE_S = 1.0
"""Each rep is searched from 1 s before its cue, so a movement already under way at the cue
is found and flagged instead of read as a reaction time of 0."""
DWELL_S = 0.2
"""Default dwell in the target for success (§3: 200-500 ms)."""
REST_S = 0.25
"""The trunk's rest position is its mean over the 0.25 s before onset."""
END_S = 0.2
"""End-point error depends on the last 0.2 s of the movement."""
NOISE_REST_S = 1.0
"""The movement-unit noise is the speed SD over the 1 s before onset (§2.4)."""
MIN_VALID_FRACTION = 0.8
"""A metric is reliable when this share of its window was observed (design choice)."""
METRIC_WINDOWS = {
    "reaction_time_s": ("hand", "onset"), "movement_time_s": ("hand", "movement"),
    "peak_speed_m_s": ("hand", "movement"), "time_to_peak_s": ("hand", "movement"),
    "path_length_ratio": ("hand", "movement"), "endpoint_error_m": ("image", "end"),
    "success": ("image", "rep"), "time_to_target_s": ("image", "rep"),
    "reach_pct_arm": ("hand", "movement"), "peak_shoulder_elevation_deg": ("arm", "rom"),
    "plane_of_elevation_deg": ("arm", "rom"), "peak_shoulder_flexion_deg": ("arm", "rom"),
    "peak_shoulder_abduction_deg": ("arm", "rom"), "elbow_min_flexion_deg": ("arm", "rom"),
    "interjoint_r": ("arm", "movement"), "trunk_displacement_mm": ("trunk", "trunk"),
    "shoulder_hiking_mm": ("trunk", "trunk"), "sparc": ("hand", "movement"),
    "ldlj": ("hand", "movement"), "nmu": ("hand", "movement"),
}  # fmt: skip
"""Landmark group and part of the rep each metric depends on (docs/validation.md §2,
"Reliability"): its flag is computed over that part only."""


def window(series, a: int, b: int):
    """series[a:b], NaN (or NaN points) for indices outside the session."""
    blank = [NAN] * len(series[0]) if isinstance(series[0], list) else NAN
    return [series[k] if 0 <= k < len(series) else blank for k in range(a, b)]


def median_scale(ser, a: int, b: int) -> float:
    """Median metres per frame-width unit (world / picture shoulder width) over [a, b)."""
    ratios = [v for v in ser["m_per_unit"][a:b] if not isnan(v)]
    return statistics.median(ratios) if ratios else NAN


def approach_m_s(ser, target, a: int, b: int, fs: float):
    """How fast the hand point closes in on the target in the picture over [a, b), m/s:
    -d/dt |hand - target| (central differences on the session, one-sided at its ends),
    scaled to metres by the median shoulder-width ratio of the window."""
    n = len(ser["hand_img"])
    scale = median_scale(ser, a, b)

    def dist(k: int) -> float:
        p = ser["hand_img"][k]
        return math.hypot(p[0] - target[0], p[1] - target[1])

    out = []
    for k in range(a, b):
        lo, hi = max(k - 1, 0), min(k + 1, n - 1)
        out.append(NAN if hi == lo else -(dist(hi) - dist(lo)) / (hi - lo) * fs * scale)
    return out


def movement_metrics(ser, m0: int, m1: int, target, scale: float, arm_m: float, fs: float, rest_n: int):
    """Metrics of the movement window [onset, offset] (the trunk's from rest_n before)."""
    hand = ser["hand"][m0:m1]
    return {
        "path_length_ratio": path_length_ratio(hand),
        "reach_pct_arm": 100.0 * reach_toward_units(ser["hand_img"][m0:m1], target) * scale / arm_m,
        "interjoint_r": interjoint_r(ser["elev"][m0:m1], [180.0 - e for e in ser["elbow"][m0:m1]]),
        "trunk_displacement_mm": trunk_displacement_mm(window(ser["trunk"], m0 - rest_n, m1), rest_n),
        "shoulder_hiking_mm": shoulder_hiking_mm(
            window(ser["shoulder"], m0 - rest_n, m1), window(ser["hip"], m0 - rest_n, m1), rest_n
        ),
        "sparc": sparc(ser["speed"][m0:m1], fs),
        "ldlj": ldlj(ser["vel"][m0:m1], fs),
    }


def range_metrics(ser, m0: int, b: int) -> dict[str, float]:
    """Peak angles from onset to the end of the rep (a slow final creep still counts); the
    plane of elevation where the elevation peaked."""
    elev = ser["elev"][m0:b]
    top = nanmax(elev)
    at = next((k for k, v in enumerate(elev) if v == top), None)
    return {
        "peak_shoulder_elevation_deg": top,
        "plane_of_elevation_deg": NAN if at is None else ser["plane"][m0 + at],
        "peak_shoulder_flexion_deg": nanmax(ser["flex"][m0:b]),
        "peak_shoulder_abduction_deg": nanmax(ser["abd"][m0:b]),
        "elbow_min_flexion_deg": -nanmax([-e for e in ser["elbow"][m0:b]]),
    }


def target_metrics(ser, a: int, b: int, target, radius: float, fs: float, dwell_s: float):
    """Success and time to target over [cue, end]."""
    inside = [math.hypot(p[0] - target[0], p[1] - target[1]) <= radius for p in ser["hand_img"][a:b]]
    entry = dwell_entry(inside, dwell_samples(dwell_s, fs))
    return {"success": entry is not None, "time_to_target_s": NAN if entry is None else entry / fs}


def timing_metrics(ser, grid, cue: float, m0: int, m1: int, fs: float) -> dict[str, float]:
    """Reaction, movement and peak times, peak speed and movement units."""
    speed = ser["speed"][m0:m1]
    rest = [v for v in ser["speed"][max(m0 - max(round(NOISE_REST_S * fs), 1), 0) : m0] if not isnan(v)]
    top = nanmax(speed)
    return {
        "onset_s": grid[m0],
        "reaction_time_s": grid[m0] - cue,
        "movement_time_s": (m1 - 1 - m0) / fs,
        "time_to_peak_s": next(k for k, v in enumerate(speed) if v == top) / fs,
        "peak_speed_m_s": top,
        "nmu": movement_units(speed, fs, statistics.pstdev(rest) if len(rest) >= 3 else 0.0),
    }


def rep_windows(a: int, b: int, m0: int, m1: int, n: int, fs: float, pad: int):
    """[start, stop) on the grid of each part of the rep a metric may depend on."""
    off = m1 - 1

    def span(lo: int, hi: int) -> tuple[int, int]:
        lo = min(max(lo, 0), n)
        return lo, max(min(max(hi, 0), n - 1) + 1, lo)

    return {
        "rep": (a, b),
        "onset": span(min(a, m0), m0 + pad),
        "movement": span(m0 - pad, off + pad),
        "end": span(off - round(END_S * fs), off),
        "rom": span(m0, b - 1),
        "trunk": span(m0 - round(REST_S * fs), off),
    }


def rep_metrics(ser, grid, rep, target, radius: float, arm_m: float, fs: float, dwell_s: float):
    """Every metric of one rep and the windows they depend on; rep = (a, b, sa, sb, cue)
    with [a, b) the cue to the end and [sa, sb) the search window from PRE_CUE_S before."""
    a, b, sa, sb, cue = rep
    out = target_metrics(ser, a, b, target, radius, fs, dwell_s)
    min_run = max(1, round(PERSISTENCE_S * fs))
    approach = approach_m_s(ser, target, sa, sb, fs)
    inside = [math.hypot(p[0] - target[0], p[1] - target[1]) <= radius for p in ser["hand_img"][sa:sb]]
    seg = reach_onset_offset(ser["speed"][sa:sb], approach, a - sa, min_run, inside) if sb > sa else None
    if seg is None:
        out.update({name: NAN for name in METRIC_WINDOWS if name not in out})
        out.update({"onset_s": NAN, "offset_s": NAN, "started_before_cue": False})
        return out, {"rep": (a, b)}
    on, off, _, before, censored = seg
    m0, m1 = sa + on, sa + off + 1
    out.update(movement_metrics(ser, m0, m1, target, median_scale(ser, a, b), arm_m, fs, round(REST_S * fs)))
    out.update(range_metrics(ser, m0, b))
    out["interjoint_r"] = forward_only(out["interjoint_r"], out["plane_of_elevation_deg"])
    last = ser["hand_img"][m1 - 1]
    out["endpoint_error_m"] = math.hypot(last[0] - target[0], last[1] - target[1]) * median_scale(ser, a, b)
    out.update(timing_metrics(ser, grid, cue, m0, m1, fs))
    out["offset_s"] = out["onset_s"] + out["movement_time_s"]
    out["started_before_cue"] = before or censored
    if before or censored:
        out["reaction_time_s"] = NAN
    return out, rep_windows(a, b, m0, m1, len(grid), fs, min_run)


def window_flag(value, observed, gaps, span) -> tuple[float, bool]:
    """Observed share of the window and the reliable flag (finite, >= 80 % seen, no long gap)."""
    lo, hi = span
    if hi <= lo:
        return 0.0, False
    frac = sum(observed[lo:hi]) / (hi - lo)
    finite = isinstance(value, bool) or not isnan(value)
    return frac, finite and frac >= MIN_VALID_FRACTION and not any(gaps[lo:hi])
