"""Independent oracle of the reaching scorer: per frame, per rep, in plain Python.

A second implementation of :func:`game.scoring.score_reps` and
:func:`game.scoring.quick_rep_score`, written from the definitions in docs/sources.md and the
pipeline documented in docs/metrics.md, one sample and one rep at a time with Python lists.
It never imports ``game.scoring`` (nor shares its helpers), so a mistake in the vectorised
code shows up as a disagreement. Library calls are used only where the maths has no sensible
pure-Python form: the Butterworth coefficients and initial filter state
(``scipy.signal.butter``, ``sosfilt_zi``), the FFT of SPARC (``numpy.fft.rfft``) and the
peak prominences of the movement-unit count (``scipy.signal.find_peaks``).

Conventions (MediaPipe BlazePose, docs/sources.md §4.2): world landmarks in metres, x to the
patient's left, y down, z away from the camera; image landmarks normalised to the raw frame;
"left"/"right" are the patient's own sides. The metric definitions, one small function each,
are in tests/scoring/oracle_metrics.py; this module is the pipeline around them (visibility,
resampling, gap filling, filtering, rep windows, confidence).

Also the slow baseline of the speed comparison in benchmarks/scoring.py.
"""

from __future__ import annotations

import bisect
import math
import statistics

import numpy as np
from scipy import signal

from tests.scoring.oracle_metrics import (
    NAN,
    dwell_entry,
    dwell_samples,
    elbow_flexion_deg,
    forward_only,
    interjoint_r,
    isnan,
    ldlj,
    mid,
    movement_units,
    nanmax,
    norm,
    path_length_ratio,
    ratio,
    reach_onset_offset,
    reach_toward_units,
    shoulder_angles_deg,
    shoulder_hiking_mm,
    sparc,
    sub,
    trunk_displacement_mm,
)

# BlazePose landmark indices (MediaPipe pose topology; docs/sources.md §4.2).
SHOULDER = {"left": 11, "right": 12}
ELBOW = {"left": 13, "right": 14}
WRIST = {"left": 15, "right": 16}
PINKY = {"left": 17, "right": 18}
INDEX = {"left": 19, "right": 20}
HIP = {"left": 23, "right": 24}

VISIBLE = 0.5
"""A landmark below this visibility is missing (MediaPipe's default, §2.6)."""
MAX_GAP_S = 0.15
"""Longest gap bridged by interpolation (§2.6: 100-150 ms)."""
CUTOFF_HZ, FILTER_ORDER, NYQUIST_FRACTION = 6.0, 2, 0.8
"""Zero-phase Butterworth low-pass before differentiation (§2.6), at 6 Hz or, at low pose
rates, 0.8 x the Nyquist frequency (a digital cut-off must stay below fs / 2)."""
TRUNK_CUTOFF_HZ, TRUNK_NYQUIST_FRACTION = 1.5, 0.8
"""The trunk point (trunk displacement, shoulder hiking) is low-passed again at 1.5 Hz."""
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
WORLD_ROWS = ("l_sh", "r_sh", "l_hip", "r_hip", "elbow", "wrist", "hand")
IMAGE_ROWS = ("l_sh", "r_sh", "hand")
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
GROUP_ROWS = {"hand": ("hand",), "arm": WORLD_ROWS[:6], "trunk": WORLD_ROWS[:4]}


# ------------------------------------------------------------------ landmarks per frame
def point(frame, index: int, dims: int):
    """One landmark's coordinates, NaN when visibility < 0.5 or NaN."""
    row = frame[index]
    return [float(row[d]) for d in range(dims)] if row[3] >= VISIBLE else [NAN] * dims


def hand_point(frame, side: str, dims: int):
    """Centroid of wrist, index and pinky (§3); NaN if any of them is missing."""
    pts = [point(frame, i[side], dims) for i in (WRIST, INDEX, PINKY)]
    return [(pts[0][d] + pts[1][d] + pts[2][d]) / 3.0 for d in range(dims)]


def world_points(frame, side: str):
    """The seven world points the metrics use, in WORLD_ROWS order."""
    rows = [SHOULDER["left"], SHOULDER["right"], HIP["left"], HIP["right"], ELBOW[side], WRIST[side]]
    return [point(frame, i, 3) for i in rows] + [hand_point(frame, side, 3)]


def image_points(frame, side: str, aspect: float):
    """Shoulders and hand point in frame-width units (y divided by width / height)."""
    pts = [point(frame, SHOULDER["left"], 2), point(frame, SHOULDER["right"], 2), hand_point(frame, side, 2)]
    return [[p[0], p[1] / aspect] for p in pts]


# -------------------------------------------------------------------- one signal channel
def resample(t, x, grid):
    """Linear interpolation at each grid time; NaN across frames more than MAX_GAP_S apart."""
    out = []
    for g in grid:
        i = min(max(bisect.bisect_right(t, g) - 1, 0), len(t) - 2)
        span = t[i + 1] - t[i]
        w = (g - t[i]) / span
        w = 0.0 if w < 1e-9 else (1.0 if w > 1 - 1e-9 else w)
        if w in (0.0, 1.0):
            out.append(x[i] if w == 0.0 else x[i + 1])
        else:
            out.append(NAN if span > MAX_GAP_S + 1e-9 else x[i] * (1 - w) + x[i + 1] * w)
    return out


def nan_runs(x):
    """(start, stop) of every maximal run of NaN samples."""
    runs, i = [], 0
    while i < len(x):
        if isnan(x[i]):
            j = i
            while j < len(x) and isnan(x[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def interpolate_runs(x, fs: float, *, short_only: bool):
    """Fill NaN runs linearly between their neighbours (held at the ends, 0 if all NaN).

    ``short_only``: only runs bounded on both sides and at most MAX_GAP_S long (§2.6).
    """
    y = list(x)
    for a, b in nan_runs(x):
        left, right = a > 0, b < len(x)
        if short_only and not (left and right and (b - a) / fs <= MAX_GAP_S + 1e-9):
            continue
        for k in range(a, b):
            if left and right:
                y[k] = x[a - 1] + (x[b] - x[a - 1]) * (k - a + 1) / (b - a + 1)
            elif left or right:
                y[k] = x[a - 1] if left else x[b]
            else:
                y[k] = 0.0
    return y


def sosfilt(sos, x, zi):
    """Direct-form II transposed biquad cascade, one sample at a time."""
    z = [list(r) for r in zi]
    out = []
    for v in x:
        for s, (b0, b1, b2, _a0, a1, a2) in enumerate(sos):
            y = b0 * v + z[s][0]
            z[s][0] = b1 * v - a1 * y + z[s][1]
            z[s][1] = b2 * v - a2 * y
            v = y
        out.append(v)
    return out


def cutoff_hz(fs: float, wanted: float) -> float:
    """The cut-off used at rate fs: the wanted one, or 0.8 x Nyquist when that is lower."""
    return min(wanted, NYQUIST_FRACTION * fs / 2.0)


def filtfilt(x, fs: float, fc: float):
    """Forward-backward Butterworth with odd extension of 3 (2 sections + 1) samples."""
    sos = signal.butter(FILTER_ORDER, fc, fs=fs, output="sos").tolist()
    zi = signal.sosfilt_zi(np.array(sos)).tolist()
    n, pad = len(x), min(3 * (2 * len(sos) + 1), len(x) - 1)
    ext = [2 * x[0] - x[k] for k in range(pad, 0, -1)] + list(x)
    ext += [2 * x[-1] - x[n - 2 - k] for k in range(pad)]
    y = sosfilt(sos, ext, [[z * ext[0] for z in r] for r in zi])
    y = sosfilt(sos, y[::-1], [[z * y[-1] for z in r] for r in zi])[::-1]
    return y[pad : pad + n]


def smooth_bridged(x, fs: float, fc: float):
    """Low-pass with every NaN run bridged while filtering and NaN again afterwards."""
    if len(x) < 2:
        return list(x)
    y = filtfilt(interpolate_runs(x, fs, short_only=False), fs, fc)
    return [NAN if isnan(a) else b for a, b in zip(x, y, strict=True)]


def channel(t, x, grid, fs: float):
    """Resample, fill short gaps, low-pass (long gaps bridged only while filtering).

    Returns the filtered channel (NaN where still missing), the observed flags (True where
    a real sample, not a filled one, was there) and the long-gap flags (still missing
    after filling)."""
    res = resample(t, x, grid)
    filled = interpolate_runs(res, fs, short_only=True)
    smooth = smooth_bridged(filled, fs, cutoff_hz(fs, CUTOFF_HZ))
    return smooth, [not isnan(r) for r in res], [isnan(f) for f in filled]


def filtered_points(t, raw, grid, fs: float):
    """Filter every coordinate of every point; per grid sample the points, observed flags
    and long-gap flags."""
    n_pts, dims = len(raw[0]), len(raw[0][0])
    out = [[[NAN] * dims for _ in range(n_pts)] for _ in grid]
    obs = [[True] * n_pts for _ in grid]
    gap = [[False] * n_pts for _ in grid]
    for p in range(n_pts):
        for d in range(dims):
            smooth, seen, long_gap = channel(t, [frame[p][d] for frame in raw], grid, fs)
            for k in range(len(grid)):
                out[k][p][d] = smooth[k]
                obs[k][p] = obs[k][p] and seen[k]
                gap[k][p] = gap[k][p] or long_gap[k]
    return out, obs, gap


def gradient(x, fs: float):
    """Central differences inside, one-sided at the ends, times the rate."""
    n = len(x)
    if n < 2:
        return [NAN] * n
    return [(x[min(i + 1, n - 1)] - x[max(i - 1, 0)]) / (2 if 0 < i < n - 1 else 1) * fs for i in range(n)]


def slow_points(points, fs: float):
    """A second low-pass of some filtered points at the trunk cut-off (trunk moves slowly)."""
    fc = min(TRUNK_CUTOFF_HZ, TRUNK_NYQUIST_FRACTION * fs / 2.0)
    dims = len(points[0])
    cols = [smooth_bridged([p[d] for p in points], fs, fc) for d in range(dims)]
    return [[cols[d][k] for d in range(dims)] for k in range(len(points))]


# -------------------------------------------------------------------------- the session
def analysis_rate_hz(t) -> float:
    """Default grid rate: inverse of the median frame interval."""
    finite = [v for v in t if not isnan(v)]
    return 1.0 / statistics.median([b - a for a, b in zip(finite[:-1], finite[1:], strict=True)])


def session_series(t, world, image, side: str, aspect: float, fs: float):
    """Filtered per-sample series on the uniform grid, and observed / long-gap flags per group."""
    keep = [k for k, v in enumerate(t) if not isnan(v)]  # a NaN timestamp drops its frame
    tl = [float(t[k]) for k in keep]
    n = int(math.floor((tl[-1] - tl[0]) * fs + 1e-9)) + 1
    grid = [tl[0] + k / fs for k in range(n)]
    w_pts, w_obs, w_gap = filtered_points(tl, [world_points(world[k], side) for k in keep], grid, fs)
    i_pts, i_obs, i_gap = filtered_points(tl, [image_points(image[k], side, aspect) for k in keep], grid, fs)
    hand = [p[6] for p in w_pts]
    vel = [list(v) for v in zip(*[gradient([h[d] for h in hand], fs) for d in range(3)], strict=True)]
    angles = [shoulder_angles_deg(p, side) for p in w_pts]
    sh = 1 if side == "right" else 0
    l_sh, r_sh = slow_points([p[0] for p in w_pts], fs), slow_points([p[1] for p in w_pts], fs)
    series = {
        "hand": hand,
        "vel": vel,
        "speed": [norm(v) for v in vel],
        "elev": [a["elevation_deg"] for a in angles],
        "plane": [a["plane_of_elevation_deg"] for a in angles],
        "flex": [a["flexion_deg"] for a in angles],
        "abd": [a["abduction_deg"] for a in angles],
        "elbow": [elbow_flexion_deg(p[sh], p[4], p[5]) for p in w_pts],
        "trunk": [mid(a, b) for a, b in zip(l_sh, r_sh, strict=True)],
        "shoulder": r_sh if side == "right" else l_sh,
        "hip": slow_points([p[2 + sh] for p in w_pts], fs),
        "hand_img": [p[2] for p in i_pts],
        "m_per_unit": [
            ratio(norm(sub(w[0], w[1])), norm(sub(i[0], i[1]))) for w, i in zip(w_pts, i_pts, strict=True)
        ],
    }
    rows = {name: k for k, name in enumerate(WORLD_ROWS)}
    observed = {g: [all(o[rows[r]] for r in names) for o in w_obs] for g, names in GROUP_ROWS.items()}
    gaps = {g: [any(o[rows[r]] for r in names) for o in w_gap] for g, names in GROUP_ROWS.items()}
    observed["image"], gaps["image"] = [all(o) for o in i_obs], [any(g) for g in i_gap]
    return grid, series, observed, gaps


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
    seg = reach_onset_offset(ser["speed"][sa:sb], approach, a - sa, min_run) if sb > sa else None
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


def score_session(
    t,
    world,
    image,
    *,
    side,
    cue_s,
    end_s,
    targets_xy_norm,
    target_radius_norm,
    arm_length_m,
    aspect_w_over_h,
    fs_hz=None,
    dwell_s=DWELL_S,
) -> dict[str, np.ndarray]:
    """The oracle of :func:`game.scoring.score_reps` (same arguments and result keys)."""
    tl = [float(v) for v in np.asarray(t, dtype=np.float64)]
    fs = analysis_rate_hz(tl) if fs_hz is None else float(fs_hz)
    world_l, image_l = np.asarray(world).tolist(), np.asarray(image).tolist()
    grid, ser, observed, gaps = session_series(tl, world_l, image_l, side, aspect_w_over_h, fs)
    radii = np.broadcast_to(np.asarray(target_radius_norm, dtype=np.float64), (len(cue_s),)).tolist()
    out: dict[str, list] = {}
    for k, (cue, end) in enumerate(zip(np.asarray(cue_s).tolist(), np.asarray(end_s).tolist(), strict=True)):
        a = bisect.bisect_left(grid, cue - 1e-9)
        b = max(bisect.bisect_right(grid, end + 1e-9), a)
        sa = bisect.bisect_left(grid, max(cue - PRE_CUE_S, grid[0]) - 1e-9)
        sb = max(bisect.bisect_right(grid, max(end, grid[0]) + 1e-9), sa)
        target = (float(targets_xy_norm[k][0]), float(targets_xy_norm[k][1]) / aspect_w_over_h)
        rep, spans = rep_metrics(ser, grid, (a, b, sa, sb, cue), target, radii[k], arm_length_m, fs, dwell_s)
        for name, (group, part) in METRIC_WINDOWS.items():
            frac, flag = window_flag(rep[name], observed[group], gaps[group], spans.get(part, (0, 0)))
            out.setdefault(name, []).append(rep[name])
            out.setdefault(f"{name}_valid_fraction", []).append(frac)
            out.setdefault(f"{name}_reliable", []).append(flag)
        for name in ("onset_s", "offset_s", "started_before_cue"):
            out.setdefault(name, []).append(rep[name])
    return {k: np.array(v) for k, v in out.items()}


def quick_rep_score(
    t, world, image, *, side, target_xy_norm, target_radius_norm, arm_length_m, aspect_w_over_h, dwell_s=0.0
) -> dict[str, float | bool]:
    """The oracle of :func:`game.scoring.quick_rep_score`: raw frames, no filtering."""
    frames = [k for k, v in enumerate(np.asarray(t, dtype=np.float64).tolist()) if not isnan(v)]
    tl = [float(t[k]) for k in frames]
    world_l, image_l = np.asarray(world).tolist(), np.asarray(image).tolist()
    target = (target_xy_norm[0], target_xy_norm[1] / aspect_w_over_h)
    img = [image_points(image_l[k], side, aspect_w_over_h) for k in frames]
    hand_img = [p[2] for p in img]
    inside = [math.hypot(p[0] - target[0], p[1] - target[1]) <= target_radius_norm for p in hand_img]
    fs = analysis_rate_hz(tl) if len(tl) > 1 else 1.0
    entry = dwell_entry(inside, dwell_samples(dwell_s, fs))
    pts = [world_points(world_l[k], side) for k in frames]
    angles = [shoulder_angles_deg(p, side) for p in pts]
    seen = [not isnan(h[0] + h[1] + a["elevation_deg"]) for h, a in zip(hand_img, angles, strict=True)]
    scales = [ratio(norm(sub(p[0], p[1])), norm(sub(i[0], i[1]))) for p, i in zip(pts, img, strict=True)]
    finite = [v for v in scales if not isnan(v)]
    first = next((k for k, h in enumerate(hand_img) if not isnan(h[0] + h[1])), None)
    reach = NAN if first is None else reach_toward_units(hand_img[first:], target)
    frac = sum(seen) / len(seen) if seen else 0.0
    return {
        "time_to_target_s": NAN if entry is None else tl[entry] - tl[0],
        "success": entry is not None,
        "reach_frac_arm": reach * (statistics.median(finite) if finite else NAN) / arm_length_m,
        "peak_shoulder_elevation_deg": nanmax([a["elevation_deg"] for a in angles]),
        "peak_shoulder_flexion_deg": nanmax([a["flexion_deg"] for a in angles]),
        "valid_fraction": frac,
        "reliable": frac >= MIN_VALID_FRACTION,
    }
