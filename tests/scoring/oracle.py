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
are in tests/scoring/oracle_metrics.py, the per-rep part (windows, the movement toward the
target, each metric's window) in tests/scoring/oracle_reps.py; this module is the pipeline
around them (visibility, resampling, gap filling, filtering, the session's series).

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
    isnan,
    mid,
    nanmax,
    norm,
    ratio,
    reach_toward_units,
    shoulder_angles_deg,
    sub,
)
from tests.scoring.oracle_reps import (
    DWELL_S,
    METRIC_WINDOWS,
    MIN_VALID_FRACTION,
    PRE_CUE_S,
    rep_metrics,
    window_flag,
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
WORLD_ROWS = ("l_sh", "r_sh", "l_hip", "r_hip", "elbow", "wrist", "hand")
IMAGE_ROWS = ("l_sh", "r_sh", "hand")
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
