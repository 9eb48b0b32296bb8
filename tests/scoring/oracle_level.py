"""Oracle of the level-wide scoring: coordination, balance, proprioception, ROM, grades.

Plain-Python loops written from the definitions in docs/sources.md (§5 bilateral coordination,
§6 balance, §4.1 range of motion) and docs/metrics.md (reposition error, level grade), for
comparison with the vectorised functions of ``game.scoring``. Distribution quantiles come
from ``scipy.stats`` rather than the closed forms the game uses, so those are checked too.
Nothing here imports ``game.scoring``; the level-type table of the grade is passed in.
"""

from __future__ import annotations

import math
import statistics

from scipy import stats

from tests.scoring.oracle_metrics import NAN, isnan, pearson

L_SHOULDER, R_SHOULDER, L_HIP, R_HIP, L_ANKLE, R_ANKLE = 11, 12, 23, 24, 27, 28
LOS_DEG = {"forward": 8.0, "backward": 4.5, "left": 8.0, "right": 8.0}
"""NeuroCom theoretical limits of stability (§6.3)."""
P95 = 0.95


# ------------------------------------------------------------------ bilateral (§5)
def cross_correlation_peak(a, b, fs: float, max_lag_s: float = 1.0) -> tuple[float, float]:
    """Largest Pearson r of a(t) and b(t + lag) over |lag| <= max_lag_s, and that lag (s)."""
    n = len(a)
    lag_max = min(round(max_lag_s * fs), n - 1)
    best, best_lag = -math.inf, 0
    for lag in range(-lag_max, lag_max + 1):
        shifted = [b[i + lag] if 0 <= i + lag < n else NAN for i in range(n)]
        r = pearson(a, shifted)
        if not isnan(r) and r > best:
            best, best_lag = r, lag
    return (best, best_lag / fs) if best > -math.inf else (NAN, NAN)


def symmetry_index_pct(x_right: float, x_left: float) -> float:
    """SI = (X_R - X_L) / (0.5 (X_R + X_L)) x 100 % (Robinson 1987)."""
    mean = 0.5 * (x_right + x_left)
    return NAN if mean == 0 else (x_right - x_left) / mean * 100.0


def symmetry_angle_pct(x_right: float, x_left: float) -> float:
    """SA = (45 deg - atan(X_L / X_R)) / 90 deg x 100 % (Zifchock 2008) with the paper's wrap:
    when 45 deg - atan(X_L / X_R) exceeds 90 deg, 180 deg is subtracted (SA in (-100, 100] %).
    X_R = 0 takes atan = +-90 deg by the sign of X_L; both 0 is undefined."""
    if x_right == 0:
        if x_left == 0:
            return NAN
        atan_deg = math.copysign(90.0, x_left)
    else:
        atan_deg = math.degrees(math.atan(x_left / x_right))
    angle = 45.0 - atan_deg
    if angle > 90.0:
        angle -= 180.0
    return angle / 90.0 * 100.0


def amplitude_ratio(x_affected: float, x_reference: float) -> float:
    return NAN if x_reference == 0 else x_affected / x_reference


# ------------------------------------------------------------------- balance (§6)
# Winter, Biomechanics and Motor Control of Human Movement (4th ed. 2009), Table 4.1, as
# (segment mass / body mass, proximal landmarks, distal landmarks, CoM from proximal / length).
# BlazePose indices: 7/8 ears, 11/12 shoulders, 13/14 elbows, 15/16 wrists, 17/18 pinky,
# 19/20 index, 23/24 hips, 25/26 knees, 27/28 ankles, 29/30 heels, 31/32 foot index.
WINTER_SEGMENTS = (
    (0.081, (7, 8), (7, 8), 0.0),  # head and neck, CoM taken at the ear canal
    (0.497, (11, 12), (23, 24), 0.50),  # trunk: shoulders to hips
    (0.028, (11,), (13,), 0.436),  # upper arms
    (0.028, (12,), (14,), 0.436),
    (0.016, (13,), (15,), 0.430),  # forearms
    (0.016, (14,), (16,), 0.430),
    (0.006, (15,), (17, 19), 0.506),  # hands: wrist to the knuckles (index, pinky)
    (0.006, (16,), (18, 20), 0.506),
    (0.100, (23,), (25,), 0.433),  # thighs
    (0.100, (24,), (26,), 0.433),
    (0.0465, (25,), (27,), 0.433),  # shanks
    (0.0465, (26,), (28,), 0.433),
    (0.0145, (29,), (31,), 0.50),  # feet: heel to toe
    (0.0145, (30,), (32,), 0.50),
)


def _centre(p, idx):
    return [sum(p[i][d] for i in idx) / len(idx) for d in range(3)]


def whole_body_com(frame):
    """Mass-weighted sum of the segments' centres of mass (Winter 2009), metres."""
    p = [[float(v) for v in row[:3]] for row in frame]
    com = [0.0, 0.0, 0.0]
    for mass, prox, dist, frac in WINTER_SEGMENTS:
        a, b = _centre(p, prox), _centre(p, dist)
        for d in range(3):
            com[d] += mass * (a[d] + frac * (b[d] - a[d]))
    return com


def com_proxy(frame, base: str = "ankles") -> tuple[float, float]:
    """(ML, AP) of the whole-body CoM relative to the mid-ankle, or of the mid-shoulder
    relative to the mid-hip (a seated trunk lean, base "hips")."""
    p = [[float(v) for v in row[:3]] for row in frame]
    if base == "ankles":
        com, ref = whole_body_com(frame), _centre(p, (L_ANKLE, R_ANKLE))
    else:
        com, ref = _centre(p, (L_SHOULDER, R_SHOULDER)), _centre(p, (L_HIP, R_HIP))
    return com[0] - ref[0], -(com[2] - ref[2])


def cog_lean_deg(frame) -> dict[str, float]:
    """Angle from vertical (world up = -y) of the mid-ankle -> whole-body CoM line (§6.3)."""
    p = [[float(v) for v in row[:3]] for row in frame]
    com, ankle = whole_body_com(frame), _centre(p, (L_ANKLE, R_ANKLE))
    dx, dy, dz = (com[d] - ankle[d] for d in range(3))
    return {
        "forward_deg": math.degrees(math.atan2(-dz, -dy)),
        "left_deg": math.degrees(math.atan2(dx, -dy)),
        "total_deg": math.degrees(math.atan2(math.hypot(dx, dz), -dy)),
    }


def _demeaned(ml, ap):
    pairs = [(x, y) for x, y in zip(ml, ap, strict=True) if not (isnan(x) or isnan(y))]
    n = len(pairs)
    mx = sum(p[0] for p in pairs) / n if n else NAN
    my = sum(p[1] for p in pairs) / n if n else NAN
    xs = [NAN if isnan(x) or isnan(y) else x - mx for x, y in zip(ml, ap, strict=True)]
    ys = [NAN if isnan(x) or isnan(y) else y - my for x, y in zip(ml, ap, strict=True)]
    return xs, ys, n


def ellipse95_area(ml, ap, method: str = "prediction") -> float:
    """95 % ellipse area from the sample covariance S (ddof 1), F / chi-square from scipy."""
    xs, ys, n = _demeaned(ml, ap)
    if n < 3:
        return NAN
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if not isnan(x)]
    sxx = sum(x * x for x, _ in pts) / (n - 1)
    syy = sum(y * y for _, y in pts) / (n - 1)
    sxy = sum(x * y for x, y in pts) / (n - 1)
    root = math.sqrt(max(sxx * syy - sxy**2, 0.0))
    f95 = float(stats.f.ppf(P95, 2, n - 2))
    k = {
        "prediction": math.pi * 2 * (n - 1) * (n + 1) / (n * (n - 2)) * f95,
        "confidence": 2 * math.pi * f95,
        "chi2": math.pi * float(stats.chi2.ppf(P95, 2)),
    }[method]
    return k * root


def sway_metrics(ml, ap, fs: float) -> dict[str, float]:
    """Prieto 1996 measures of the de-meaned trace (§6.2)."""
    xs, ys, n = _demeaned(ml, ap)
    rd = [math.hypot(x, y) for x, y in zip(xs, ys, strict=True) if not isnan(x)]
    steps = [math.hypot(xs[k + 1] - xs[k], ys[k + 1] - ys[k]) for k in range(len(xs) - 1)]
    steps = [s for s in steps if not isnan(s)]
    vx = [x for x in xs if not isnan(x)]
    vy = [y for y in ys if not isnan(y)]
    ok = n >= 3
    mdist = sum(rd) / n if ok else NAN
    mvelo = sum(steps) / (len(steps) / fs) if steps else NAN
    return {
        "rms_m": math.sqrt(sum(r * r for r in rd) / n) if ok else NAN,
        "mean_distance_m": mdist,
        "path_length_m": sum(steps) if steps else NAN,
        "mean_velocity_m_s": mvelo,
        "mean_frequency_hz": mvelo / (2 * math.pi * mdist) if ok else NAN,
        "ellipse95_area_m2": ellipse95_area(ml, ap),
        "range_ml_m": max(vx) - min(vx) if ok else NAN,
        "range_ap_m": max(vy) - min(vy) if ok else NAN,
    }


def time_in_zone(ml, ap, center, radius: float, fs: float) -> tuple[float, float]:
    """Seconds inside the circular zone, and the share of finite samples inside."""
    inside = sum(math.hypot(x - center[0], y - center[1]) <= radius for x, y in zip(ml, ap, strict=True))
    n = sum(not (isnan(x) or isnan(y)) for x, y in zip(ml, ap, strict=True))
    return inside / fs, inside / n if n else NAN


def los_excursion(ml, ap, com_height_m: float) -> dict[str, float]:
    """Largest lean from the first sample in each direction, deg and % LOS (§6.3)."""
    first = next(k for k, (x, y) in enumerate(zip(ml, ap, strict=True)) if not (isnan(x) or isnan(y)))
    d_ml = [x - ml[first] for x in ml]
    d_ap = [y - ap[first] for y in ap]
    signed = {"forward": d_ap, "backward": [-v for v in d_ap], "left": d_ml, "right": [-v for v in d_ml]}
    out = {}
    for direction, d in signed.items():
        largest = max(0.0 if isnan(v) else v for v in d)
        deg = max(math.degrees(math.atan2(largest, com_height_m)), 0.0)
        out[f"{direction}_deg"] = deg
        out[f"{direction}_pct"] = 100.0 * deg / LOS_DEG[direction]
    return out


def single_leg_stance_s(frames, fs: float, stance_side: str, lift_m: float = 0.05) -> float:
    """Longest lift of the free ankle >= lift_m above the stance ankle; dips and lifts shorter
    than 100 ms are bridged / ignored (§6.5 video rule)."""
    stance, free = (L_ANKLE, R_ANKLE) if stance_side == "left" else (R_ANKLE, L_ANKLE)
    lifted = [f[stance][1] - f[free][1] >= lift_m for f in frames]  # NaN compares False
    k = max(1, round(0.1 * fs))
    runs = _runs(lifted)
    for a, b, value in runs:
        if not value and b - a < k and a > 0 and b < len(lifted):
            lifted[a:b] = [True] * (b - a)
    longest = max([b - a for a, b, value in _runs(lifted) if value and b - a >= k], default=0)
    return longest / fs


def _runs(flags):
    out, a = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[a]:
            out.append((a, i, flags[a]))
            a = i
    return out


# ------------------------------------------------------------ proprioception, ROM
def reposition_summary(reproduced, target) -> dict[str, float]:
    """Absolute, constant (signed mean) and variable (SD, ddof 1) reposition error."""
    errors = [r - t for r, t in zip(reproduced, target, strict=True) if not isnan(r - t)]
    return {
        "absolute_error_deg": sum(abs(e) for e in errors) / len(errors) if errors else NAN,
        "constant_error_deg": sum(errors) / len(errors) if errors else NAN,
        "variable_error_deg": statistics.stdev(errors) if len(errors) > 1 else NAN,
    }


def age_norm_deg(motion: str, age_years: float) -> float:
    """Norkin & White Table A.1: Boone & Azen below 55 y, Walker et al. (65-85 y) from 55 (§4.1)."""
    young, old = {
        "shoulder_flexion": (167.0, 165.0),
        "shoulder_abduction": (184.0, 165.0),
        "elbow_flexion": (143.0, 143.0),
    }[motion]
    return old if age_years >= 55.0 else young


# ------------------------------------------------------------------- the level grade
def reliable_median(values, flags) -> tuple[float, int]:
    ok = [v for v, f in zip(values, flags, strict=True) if f and not isnan(v)]
    return (statistics.median(ok), len(ok)) if ok else (NAN, 0)


def summarise(per_rep, min_reps: int = 3) -> tuple[dict[str, float], dict[str, bool]]:
    """Median of reliable reps per metric; ``success`` becomes ``success_rate``."""
    metrics, flags = {}, {}
    for key in per_rep:
        if not key.endswith("_reliable"):
            continue
        name = key[: -len("_reliable")]
        ok = [bool(f) for f in per_rep[key]]
        if name == "success":
            hits = [float(v) for v, f in zip(per_rep[name], ok, strict=True) if f]
            metrics["success_rate"] = sum(hits) / len(hits) if hits else NAN
            flags["success_rate"] = len(hits) >= min_reps
            continue
        metrics[name], count = reliable_median([float(v) for v in per_rep[name]], ok)
        flags[name] = count >= min_reps
    return metrics, flags


def goal_attainment(value: float, goal: float, direction: int) -> float:
    """clip(1 - shortfall / |goal|, 0, 1); direction +1 = higher is better."""
    shortfall = max(0.0, (goal - value) * direction)
    return min(1.0, max(0.0, 1.0 - shortfall / abs(goal)))


def grade(spec, metrics, goals, history, reliable=None) -> int:
    """Stars: 0 if nothing usable, else 1 + (goal >= 0.75) + (goal >= 1) + (history >= 0.5), max 3.

    ``spec``: metric name -> (direction, weight) of the level type."""
    g_sum = g_w = h_sum = h_w = 0.0
    used = 0
    for name, (direction, weight) in spec.items():
        value = metrics.get(name)
        if value is None or isnan(float(value)) or (reliable is not None and not reliable.get(name, True)):
            continue
        used += 1
        if name in goals:
            g_sum += weight * goal_attainment(float(value), float(goals[name]), direction)
            g_w += weight
        past = [float(h[name]) for h in history if h.get(name) is not None and not isnan(float(h[name]))]
        if past:
            h_sum += weight * float((float(value) - statistics.median(past)) * direction >= 0)
            h_w += weight
    if used == 0:
        return 0
    goal_score = g_sum / g_w if g_w else NAN
    history_score = h_sum / h_w if h_w else NAN
    return min(3, 1 + (goal_score >= 0.75) + (goal_score >= 1.0) + (history_score >= 0.5))
