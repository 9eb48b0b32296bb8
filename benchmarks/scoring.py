"""Benchmark: score a 10-minute session (18,000 frames x 33 landmarks, 60 reps) with every metric.

Two implementations of the same metrics run on the same synthetic session:

- ``vectorised``: game.scoring (score_reps, plus bilateral coordination, balance sway,
  proprioception and the level grade);
- ``baseline``: a straightforward per-frame, per-rep pure-Python implementation of the
  same pipeline (visibility mask, resampling, gap filling, the sosfiltfilt recursion, angles,
  segmentation and every metric), using library calls only where the maths has no sensible
  pure-Python form (filter coefficients, the FFT of SPARC, the peak prominences of NMU).

Both results are compared metric by metric before timing. The last line printed is one JSON
object: ``median_ms`` (vectorised), ``baseline_median_ms``, ``speedup`` and details.

Run: ``uv run python benchmarks/scoring.py [--repeats N] [--baseline-repeats M]``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.leveltypes.reach.metrics import GRADED as REACH_GRADED  # noqa: E402
from game.scoring import (  # noqa: E402
    cross_correlation_peak,
    grade_level,
    reposition_summary_deg,
    score_reps,
    sway_metrics,
    symmetry_index_pct,
)
from game.scoring.balance import SHOULDER_WEIGHT  # noqa: E402
from game.scoring.preprocess import CUTOFF_HZ, FILTER_ORDER, MAX_GAP_S, preprocess_signals  # noqa: E402
from game.scoring.segmentation import gather, window_indices  # noqa: E402
from game.scoring.synthetic import reaching_session  # noqa: E402

FS_HZ = 30.0
N_REPS = 60
RADIUS = 0.03
FLEX_GOAL_DEG = 80.0
L_HAND, R_HAND = (15, 17, 19), (16, 18, 20)
NAN = float("nan")


def make_session(seed: int = 0):
    """60 reps of 10 s at 30 Hz with 2 mm noise, jittered timestamps, dropouts, float32."""
    rng = np.random.default_rng(seed)
    s = reaching_session(N_REPS, noise_m=0.002, rng=rng)
    t = s.t_s + rng.uniform(-0.004, 0.004, s.t_s.size)
    world = s.world.astype(np.float32)
    image = s.image.astype(np.float32)
    for start in rng.integers(0, t.size - 10, 40):  # short and long visibility dropouts
        length = int(rng.integers(1, 9))
        lm = rng.integers(11, 25)
        world[start : start + length, lm, 3] = 0.1
        image[start : start + length, lm, 3] = 0.1
    return s, t, world, image


# ------------------------------------------------------------------------------ vectorised
def vectorised(s, t, world, image) -> dict[str, np.ndarray]:
    out = score_reps(
        t,
        world,
        image,
        side="right",
        cue_s=s.cue_s,
        end_s=s.end_s,
        targets_xy_norm=s.targets_xy_norm,
        target_radius_norm=RADIUS,
        arm_length_m=s.arm_length_m,
        aspect_w_over_h=s.aspect_w_over_h,
        fs_hz=FS_HZ,
    )
    sub = np.take(world, [*L_HAND, *R_HAND, 11, 12, 23, 24, 27, 28], axis=1)
    xyz = sub[..., :3].astype(np.float64)
    xyz[~(sub[..., 3] >= 0.5)] = np.nan
    raw = np.empty((t.size, 8))
    raw[:, 0:3] = (xyz[:, 0] + xyz[:, 1] + xyz[:, 2]) / 3.0
    raw[:, 3:6] = (xyz[:, 3] + xyz[:, 4] + xyz[:, 5]) / 3.0
    hip = 0.5 * (xyz[:, 8] + xyz[:, 9])
    com = hip + SHOULDER_WEIGHT * (0.5 * (xyz[:, 6] + xyz[:, 7]) - hip)
    com -= 0.5 * (xyz[:, 10] + xyz[:, 11])
    raw[:, 6], raw[:, 7] = com[:, 0], -com[:, 2]
    grid, sig, _, _ = preprocess_signals(t, raw, fs_hz=FS_HZ)
    vel = np.gradient(sig[:, :6], axis=0) * FS_HZ
    speed = np.stack([np.linalg.norm(vel[:, :3], axis=1), np.linalg.norm(vel[:, 3:], axis=1)], 1)
    start, length = window_indices(grid, s.cue_s, s.end_s)
    left, right = gather(speed[:, 0], start, length), gather(speed[:, 1], start, length)
    out["bilateral_r"], out["bilateral_lag_s"] = cross_correlation_peak(right, left, FS_HZ)
    peak_l = np.nanmax(left, axis=1)
    out["symmetry_index_pct"] = symmetry_index_pct(out["peak_speed_m_s"], peak_l)
    sway = sway_metrics(sig[:, 6], sig[:, 7], FS_HZ)
    out.update({f"sway_{k}": np.atleast_1d(v) for k, v in sway.items()})
    jpe = reposition_summary_deg(out["peak_shoulder_flexion_deg"], np.full(N_REPS, FLEX_GOAL_DEG))
    out.update({k: np.atleast_1d(v) for k, v in jpe.items()})
    ok = out["reach_pct_arm_reliable"]
    metrics = {
        "reach_pct_arm": float(np.median(out["reach_pct_arm"][ok])),
        "success_rate": float(np.mean(out["success"])),
    }
    out["stars"] = np.array([grade_level(REACH_GRADED, metrics, {"reach_pct_arm": 90.0}, [])])
    return out


# -------------------------------------------------------------------------------- baseline
def _frame_points(lm, f, indices, dims):
    pts = []
    for i in indices:
        row = lm[f][i]
        pts.append([float(row[d]) for d in range(dims)] if row[3] >= 0.5 else [NAN] * dims)
    return pts


def _centroid(pts):
    return [sum(p[d] for p in pts) / len(pts) for d in range(len(pts[0]))]


def _resample(t, x, grid):
    out = []
    for g in grid:
        i = min(max(bisect.bisect_right(t, g) - 1, 0), len(t) - 2)
        span = t[i + 1] - t[i]
        w = (g - t[i]) / span
        w = 0.0 if w < 1e-9 else (1.0 if w > 1 - 1e-9 else w)
        if w == 0.0:
            out.append(x[i])
        elif w == 1.0:
            out.append(x[i + 1])
        elif span > MAX_GAP_S + 1e-9:
            out.append(NAN)
        else:
            out.append(x[i] * (1 - w) + x[i + 1] * w)
    return out


def _nan_runs(x):
    runs, i = [], 0
    while i < len(x):
        if math.isnan(x[i]):
            j = i
            while j < len(x) and math.isnan(x[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _fill(x, fs, bridge_all):
    y = list(x)
    for a, b in _nan_runs(x):
        has_p, has_q = a > 0, b < len(x)
        if not bridge_all and not (has_p and has_q and (b - a) / fs <= MAX_GAP_S + 1e-9):
            continue
        for k in range(a, b):
            if has_p and has_q:
                y[k] = x[a - 1] + (x[b] - x[a - 1]) * (k - (a - 1)) / (b - (a - 1))
            elif has_p or has_q:
                y[k] = x[a - 1] if has_p else x[b]
            else:
                y[k] = 0.0
    return y


def _sosfilt(sos, x, zi):
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


def _filtfilt(x, fs):
    sos = signal.butter(FILTER_ORDER, CUTOFF_HZ, fs=fs, output="sos").tolist()
    zi = signal.sosfilt_zi(np.array(sos)).tolist()
    n, pad = len(x), min(3 * (2 * len(sos) + 1), len(x) - 1)
    ext = [2 * x[0] - x[k] for k in range(pad, 0, -1)] + x
    ext += [2 * x[-1] - x[n - 2 - k] for k in range(pad)]
    y = _sosfilt(sos, ext, [[z * ext[0] for z in r] for r in zi])
    y = _sosfilt(sos, y[::-1], [[z * y[-1] for z in r] for r in zi])[::-1]
    return y[pad : pad + n]


def _channel(t, x, grid, fs):
    res = _resample(t, x, grid)
    filled = _fill(res, fs, bridge_all=False)
    smooth = _filtfilt(_fill(filled, fs, bridge_all=True), fs)
    return [NAN if math.isnan(f) else v for f, v in zip(filled, smooth, strict=False)], res


def _grad(x, fs):
    n = len(x)
    return [((x[min(i + 1, n - 1)] - x[max(i - 1, 0)]) / (2 if 0 < i < n - 1 else 1)) * fs for i in range(n)]


def _sub(a, b):
    return [a[0] - b[0], a[1] - b[1], a[2] - b[2]]


def _dot(a, b):
    return sum(p * q for p, q in zip(a, b, strict=False))


def _cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def _norm(a):
    return math.sqrt(_dot(a, a))


def _unit(a):
    n = _norm(a)
    return [v / n for v in a] if n > 0 else [NAN] * 3


def _angles(p):
    """Per-frame flexion, abduction (right arm), elbow flexion from the 7 world points."""
    lsh, rsh, lhip, rhip, el, wr = p[:6]
    sh = rsh
    up = _unit(
        _sub(
            [(a + b) / 2 for a, b in zip(lsh, rsh, strict=False)],
            [(a + b) / 2 for a, b in zip(lhip, rhip, strict=False)],
        )
    )
    m = _sub(rsh, lsh)
    mu = _dot(m, up)
    right = _unit([m[k] - mu * up[k] for k in range(3)])
    ant = _cross(up, right)
    h = _sub(el, sh)
    down = -_dot(h, up)
    flex = math.degrees(math.atan2(_dot(h, ant), down))
    abd = math.degrees(math.atan2(_dot(h, right), down))
    u, v = _sub(sh, el), _sub(wr, el)
    elbow = 180.0 - math.degrees(math.atan2(_norm(_cross(u, v)), _dot(u, v)))
    return flex, abd, elbow


def _nanmax(x):
    v = [a for a in x if not math.isnan(a)]
    return max(v) if v else NAN


def _pearson(a, b):
    pairs = [(x, y) for x, y in zip(a, b, strict=False) if not (math.isnan(x) or math.isnan(y))]
    if len(pairs) < 3:
        return NAN
    ma = sum(p[0] for p in pairs) / len(pairs)
    mb = sum(p[1] for p in pairs) / len(pairs)
    sab = sum((x - ma) * (y - mb) for x, y in pairs)
    saa = sum((x - ma) ** 2 for x, _ in pairs)
    sbb = sum((y - mb) ** 2 for _, y in pairs)
    return NAN if saa * sbb == 0 else min(1.0, max(-1.0, sab / math.sqrt(saa * sbb)))


def _sparc(s, fs):
    n = len(s)
    if n < 8 or sum(s) == 0:
        return NAN
    nfft = int(2 ** (math.ceil(math.log2(n)) + 4))
    mag = np.abs(np.fft.rfft(s, nfft)).tolist()
    top = max(mag)
    f = [k * fs / nfft for k in range(len(mag))]
    sel = [(fk, m / top) for fk, m in zip(f, mag, strict=False) if fk <= 10.0]
    idx = [k for k, (_, m) in enumerate(sel) if m >= 0.05]
    if not idx or idx[-1] <= idx[0]:
        return NAN
    band = sel[idx[0] : idx[-1] + 1]
    width = band[-1][0] - band[0][0]
    return -sum(
        math.hypot((band[k + 1][0] - band[k][0]) / width, band[k + 1][1] - band[k][1])
        for k in range(len(band) - 1)
    )


def _ldlj(vel, fs):
    n = len(vel)
    if n < 8:
        return NAN
    dt = 1 / fs
    jerk2 = sum(
        sum(((vel[k + 2][d] - 2 * vel[k + 1][d] + vel[k][d]) / dt**2) ** 2 for d in range(3))
        for k in range(n - 2)
    )
    peak = max(_norm(v) for v in vel)
    return NAN if peak == 0 else -math.log(abs(-((n * dt) ** 3 / peak**2) * jerk2 * dt))


def _onset_offset(sp, min_run):
    peak_i = max(range(len(sp)), key=lambda k: (sp[k] if not math.isnan(sp[k]) else -1, -k))
    thr = 0.05 * sp[peak_i]
    above = [not math.isnan(v) and v >= thr for v in sp]
    runs, k = [], 0
    while k < len(above):
        if above[k]:
            j = k
            while j < len(above) and above[j]:
                j += 1
            runs.append((k, j))
            k = j
        else:
            k += 1
    keep = [r for r in runs if r[1] - r[0] >= min_run or r[0] <= peak_i < r[1]]
    return keep[0][0], keep[-1][1] - 1, peak_i


def _rep(k, ser, grid, s, fs, obs):
    a = bisect.bisect_left(grid, s.cue_s[k] - 1e-9)
    b = bisect.bisect_right(grid, s.end_s[k] + 1e-9)
    on, off, pk = _onset_offset(ser["speed"][a:b], max(1, round(0.1 * fs)))
    m0, m1 = a + on, a + off + 1
    sp, hand, vel = ser["speed"][m0:m1], ser["hand"][m0:m1], ser["vel"][m0:m1]
    trunk = [p for p in ser["trunk"][m0:m1] if not math.isnan(p[0])]
    path = sum(_norm(_sub(hand[i + 1], hand[i])) for i in range(len(hand) - 1))
    rest = [v for v in ser["speed"][a : a + on] if not math.isnan(v)]
    noise = statistics.pstdev(rest) if len(rest) >= 3 else 0.0
    line = sp + [1e9] * (2 * round(0.15 * fs) + 1)
    peaks, _ = signal.find_peaks(line, prominence=max(0.02, 3 * noise), distance=round(0.15 * fs))
    tgt = (s.targets_xy_norm[k][0], s.targets_xy_norm[k][1] / s.aspect_w_over_h)
    dist = [math.hypot(p[0] - tgt[0], p[1] - tgt[1]) for p in ser["hand_img"][a:b]]
    need, run, entry = math.ceil(0.2 * fs - 1e-9) + 1, 0, NAN
    for i, d in enumerate(dist):
        run = run + 1 if d <= RADIUS else 0
        if run >= need and math.isnan(entry):
            entry = (i - need + 1) / fs
    scale = statistics.median([v for v in ser["m_per_unit"][a:b] if not math.isnan(v)])
    last = ser["hand_img"][m1 - 1]
    heights = [ser["hip"][i][1] - ser["shoulder"][i][1] for i in range(m0, m1)]
    h0 = next((h for h in heights if not math.isnan(h)), NAN)
    frac = {g: sum(o[a:b]) / (b - a) for g, o in obs.items()}
    return {
        "reaction_time_s": grid[m0] - s.cue_s[k],
        "movement_time_s": (off - on) / fs,
        "peak_speed_m_s": ser["speed"][a + pk],
        "time_to_peak_s": (pk - on) / fs,
        "path_length_ratio": path / _norm(_sub(hand[-1], hand[0])),
        "endpoint_error_m": math.hypot(last[0] - tgt[0], last[1] - tgt[1]) * scale,
        "success": not math.isnan(entry),
        "time_to_target_s": entry,
        "reach_pct_arm": 100 * _nanmax([_norm(_sub(h, ser["shoulder"][m0])) for h in hand]) / s.arm_length_m,
        "peak_shoulder_flexion_deg": _nanmax(ser["flex"][m0:b]),
        "peak_shoulder_abduction_deg": _nanmax(ser["abd"][m0:b]),
        "elbow_min_flexion_deg": -_nanmax([-e for e in ser["elbow"][m0:b]]),
        "interjoint_r": _pearson(ser["flex"][m0:m1], [180 - e for e in ser["elbow"][m0:m1]]),
        "trunk_displacement_mm": 1000 * _nanmax([_norm(_sub(p, trunk[0])) for p in trunk]),
        "shoulder_hiking_mm": 1000 * _nanmax([h - h0 for h in heights]),
        "sparc": _sparc(sp, fs),
        "ldlj": _ldlj(vel, fs),
        "nmu": float(len(peaks[peaks < len(sp)])),
        "_window": (a, b),
        "_frac": frac,
    }


def _xcorr(x, y, fs, max_lag_s=1.0):
    n = len(x)
    lag_max = min(round(max_lag_s * fs), n - 1)
    best, best_j = -math.inf, 0
    for j in range(2 * lag_max + 1):
        shifted = [y[i + j - lag_max] if 0 <= i + j - lag_max < n else NAN for i in range(n)]
        r = _pearson(x, shifted)
        if not math.isnan(r) and r > best:
            best, best_j = r, j
    return (best, (best_j - lag_max) / fs) if best > -math.inf else (NAN, NAN)


_ARM_METRICS = ("peak_shoulder_flexion_deg", "peak_shoulder_abduction_deg", "elbow_min_flexion_deg")
_GROUP = {
    **{m: "image" for m in ("endpoint_error_m", "success", "time_to_target_s")},
    **{m: "arm" for m in (*_ARM_METRICS, "interjoint_r")},
    **{m: "trunk" for m in ("trunk_displacement_mm", "shoulder_hiking_mm")},
}


def _baseline_raw(s, tl, wl, il):
    """Per frame: 7 world points, 3 image points (width units), left hand + CoM proxy."""
    raw_w, raw_i, raw_x = [], [], []
    for f in range(len(tl)):
        pts = _frame_points(wl, f, [11, 12, 23, 24, 14, 16], 3)
        raw_w.append(pts + [_centroid(_frame_points(wl, f, R_HAND, 3))])
        ip = _frame_points(il, f, [11, 12], 2) + [_centroid(_frame_points(il, f, R_HAND, 2))]
        raw_i.append([[p[0], p[1] / s.aspect_w_over_h] for p in ip])
        ex = _frame_points(wl, f, [11, 12, 23, 24, 27, 28], 3)
        hip = [(ex[2][d] + ex[3][d]) / 2 for d in range(3)]
        sh = [(ex[0][d] + ex[1][d]) / 2 for d in range(3)]
        com = [hip[d] + SHOULDER_WEIGHT * (sh[d] - hip[d]) - (ex[4][d] + ex[5][d]) / 2 for d in range(3)]
        raw_x.append(_centroid(_frame_points(wl, f, L_HAND, 3)) + [com[0], -com[2]])
    return raw_w, raw_i, raw_x


def _baseline_points(tl, raw, grid, fs, n_points, dims):
    """Filter every coordinate of every point; per grid sample points and observed flags."""
    n = len(grid)
    out = [[[NAN] * dims for _ in range(n_points)] for _ in range(n)]
    obs = [[True] * n_points for _ in range(n)]
    for p in range(n_points):
        for d in range(dims):
            sm, res = _channel(tl, [raw[f][p][d] for f in range(len(tl))], grid, fs)
            for k in range(n):
                out[k][p][d] = sm[k]
                obs[k][p] = obs[k][p] and not math.isnan(res[k])
    return out, obs


def _baseline_series(w_f, i_f, fs):
    n = len(w_f)
    hand = [w_f[k][6] for k in range(n)]
    vel = list(zip(*[_grad([h[d] for h in hand], fs) for d in range(3)], strict=True))
    ang = [_angles(w_f[k]) for k in range(n)]
    return {
        "hand": hand,
        "vel": vel,
        "speed": [_norm(v) for v in vel],
        "flex": [a[0] for a in ang],
        "abd": [a[1] for a in ang],
        "elbow": [a[2] for a in ang],
        "trunk": [[(w_f[k][0][d] + w_f[k][1][d]) / 2 for d in range(3)] for k in range(n)],
        "shoulder": [w_f[k][1] for k in range(n)],
        "hip": [w_f[k][3] for k in range(n)],
        "hand_img": [i_f[k][2] for k in range(n)],
        "m_per_unit": [
            _norm(_sub(w_f[k][0], w_f[k][1]))
            / math.hypot(i_f[k][0][0] - i_f[k][1][0], i_f[k][0][1] - i_f[k][1][1])
            for k in range(n)
        ],
    }


def baseline(s, t, world, image) -> dict[str, np.ndarray]:
    fs, tl = FS_HZ, t.tolist()
    n = int(math.floor((tl[-1] - tl[0]) * fs + 1e-9)) + 1
    grid = [tl[0] + k / fs for k in range(n)]
    raw_w, raw_i, raw_x = _baseline_raw(s, tl, world.tolist(), image.tolist())
    w_f, obs_w = _baseline_points(tl, raw_w, grid, fs, 7, 3)
    i_f, obs_i = _baseline_points(tl, raw_i, grid, fs, 3, 2)
    extra = [_channel(tl, [raw_x[f][c] for f in range(len(tl))], grid, fs)[0] for c in range(5)]
    ser = _baseline_series(w_f, i_f, fs)
    obs = {
        "hand": [o[6] for o in obs_w],
        "arm": [all(o[:6]) for o in obs_w],
        "trunk": [all(o[:4]) for o in obs_w],
        "image": [all(o) for o in obs_i],
    }
    reps = [_rep(k, ser, grid, s, fs, obs) for k in range(len(s.cue_s))]
    out: dict[str, list] = {}
    for r in reps:
        for name, v in r.items():
            if name.startswith("_"):
                continue
            frac = r["_frac"][_GROUP.get(name, "hand")]
            out.setdefault(name, []).append(v)
            out.setdefault(f"{name}_valid_fraction", []).append(frac)
            ok = frac >= 0.8 and (isinstance(v, bool) or not math.isnan(v))
            out.setdefault(f"{name}_reliable", []).append(ok)
    out.update(_baseline_level(out, ser, extra, [r["_window"] for r in reps], fs))
    return {k: np.array(v) for k, v in out.items()}


def _baseline_level(out, ser, extra, windows, fs):
    """Bilateral coordination, sway, reposition error and the level grade."""
    lspeed = [_norm(v) for v in zip(*[_grad(extra[d], fs) for d in range(3)], strict=True)]
    bil = [_xcorr(ser["speed"][a:b], lspeed[a:b], fs) for a, b in windows]
    peak_l = [_nanmax(lspeed[a:b]) for a, b in windows]
    level = {
        "bilateral_r": [b[0] for b in bil],
        "bilateral_lag_s": [b[1] for b in bil],
        "symmetry_index_pct": [
            (pr - pl) / (0.5 * (pr + pl)) * 100 for pr, pl in zip(out["peak_speed_m_s"], peak_l, strict=True)
        ],
    }
    level.update(_baseline_sway(extra[3], extra[4], fs))
    errs = [f - FLEX_GOAL_DEG for f in out["peak_shoulder_flexion_deg"]]
    level["absolute_error_deg"] = [sum(abs(e) for e in errs) / len(errs)]
    level["constant_error_deg"] = [sum(errs) / len(errs)]
    level["variable_error_deg"] = [statistics.stdev(errs)]
    pairs = zip(out["reach_pct_arm"], out["reach_pct_arm_reliable"], strict=True)
    metrics = {
        "reach_pct_arm": statistics.median(sorted(v for v, ok in pairs if ok)),
        "success_rate": sum(out["success"]) / len(out["success"]),
    }
    level["stars"] = [grade_level(REACH_GRADED, metrics, {"reach_pct_arm": 90.0}, [])]
    return level


def _baseline_sway(ml, ap, fs):
    pts = [(x, y) for x, y in zip(ml, ap, strict=False) if not (math.isnan(x) or math.isnan(y))]
    n = len(pts)
    mx, my = sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n
    xs = [x - mx if not math.isnan(x) else NAN for x in ml]
    ys = [y - my if not math.isnan(y) else NAN for y in ap]
    rd = [math.hypot(x, y) for x, y in zip(xs, ys, strict=False) if not math.isnan(x + y)]
    steps = [math.hypot(xs[k + 1] - xs[k], ys[k + 1] - ys[k]) for k in range(len(xs) - 1)]
    steps = [v for v in steps if not math.isnan(v)]
    mdist = sum(rd) / n
    mvelo = sum(steps) / (len(steps) / fs)
    vx = [x for x in xs if not math.isnan(x)]
    vy = [y for y in ys if not math.isnan(y)]
    sxx = sum(x * x for x in vx) / (n - 1)
    syy = sum(y * y for y in vy) / (n - 1)
    sxy = sum(x * y for x, y in zip(xs, ys, strict=False) if not math.isnan(x + y)) / (n - 1)
    f95 = (n - 2) / 2 * (0.05 ** (-2 / (n - 2)) - 1)
    area = math.pi * 2 * (n - 1) * (n + 1) / (n * (n - 2)) * f95 * math.sqrt(sxx * syy - sxy**2)
    return {
        "sway_rms_m": [math.sqrt(sum(r * r for r in rd) / n)],
        "sway_mean_distance_m": [mdist],
        "sway_path_length_m": [sum(steps)],
        "sway_mean_velocity_m_s": [mvelo],
        "sway_mean_frequency_hz": [mvelo / (2 * math.pi * mdist)],
        "sway_ellipse95_area_m2": [area],
        "sway_range_ml_m": [max(vx) - min(vx)],
        "sway_range_ap_m": [max(vy) - min(vy)],
    }


def compare(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> tuple[int, float, list[str]]:
    """Number of compared arrays, largest relative difference, and disagreeing names."""
    bad, worst = [], 0.0
    for name in sorted(set(a) & set(b)):
        x, y = a[name].astype(float), b[name].astype(float)
        if x.shape != y.shape or not np.allclose(x, y, rtol=1e-6, atol=1e-9, equal_nan=True):
            bad.append(name)
            continue
        fin = np.isfinite(x) & np.isfinite(y)
        if fin.any():
            worst = max(worst, float(np.max(np.abs(x[fin] - y[fin]) / (np.abs(y[fin]) + 1e-9))))
    missing = sorted(set(b) - set(a))  # the vectorised side may return extra keys
    return len(set(a) & set(b)), worst, bad + [f"missing:{m}" for m in missing]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--baseline-repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.baseline_repeats < 1:
        print("error: --repeats and --baseline-repeats must be >= 1", file=sys.stderr)
        return 2
    s, t, world, image = make_session()
    fast = vectorised(s, t, world, image)
    slow_t0 = time.perf_counter()
    slow = baseline(s, t, world, image)
    base_times = [time.perf_counter() - slow_t0]
    n_compared, worst, bad = compare(fast, slow)
    if bad:
        print(f"error: implementations disagree on {bad}", file=sys.stderr)
    times: list[float] = []
    per_round = max(1, math.ceil(args.repeats / args.baseline_repeats))
    for rnd in range(args.baseline_repeats):  # interleaved, so machine noise hits both alike
        for _ in range(min(per_round, args.repeats - len(times))):
            t0 = time.perf_counter()
            vectorised(s, t, world, image)
            times.append(time.perf_counter() - t0)
        if rnd > 0:
            t0 = time.perf_counter()
            baseline(s, t, world, image)
            base_times.append(time.perf_counter() - t0)
    median_ms = statistics.median(times) * 1000
    base_ms = statistics.median(base_times) * 1000
    result = {
        "benchmark": "scoring",
        "frames": int(t.size),
        "landmarks": int(world.shape[1]),
        "reps": N_REPS,
        "fs_hz": FS_HZ,
        "median_ms": round(median_ms, 2),
        "p90_ms": round(float(np.percentile(times, 90)) * 1000, 2),
        "baseline_median_ms": round(base_ms, 1),
        "speedup": round(base_ms / median_ms, 1),
        "repeats": args.repeats,
        "baseline_repeats": args.baseline_repeats,
        "arrays_compared": n_compared,
        "max_rel_diff": worst,
        "agree": not bad,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))
    return 0 if not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
