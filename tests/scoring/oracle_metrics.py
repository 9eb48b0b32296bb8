"""Per-rep metric definitions of the scoring oracle, one small function each, plain Python.

Part of the independent oracle (see tests/scoring/oracle.py): each function takes the samples
of one rep as Python lists and follows the definition restated in docs/sources.md (section in
each docstring). Nothing here imports ``game.scoring``. When a definition changes (issue 10:
shoulder angles, onset, reach, coordination), the matching function here has to follow.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
from scipy import signal

NAN = float("nan")
ONSET_FRACTION = 0.05
"""Movement onset/offset at 5 % of the rep's peak hand speed (Saes 2021, §1.2, §3)."""
SPARC_PADLEVEL, SPARC_FC_HZ, SPARC_AMP_TH = 4, 10.0, 0.05
"""SPARC parameters of the reference code (§2.2)."""
MIN_SAMPLES = 8
"""Fewest samples for SPARC and LDLJ (§2.2 guard)."""
NMU_RISE_M_S, NMU_SEPARATION_S, NMU_NOISE_FACTOR = 0.020, 0.150, 3.0
"""Movement units: 20 mm/s rise, 150 ms apart (Alt Murphy, §1.2), noise-scaled (§2.4)."""


def isnan(x: float) -> bool:
    return x != x


def sub(a, b):
    return [p - q for p, q in zip(a, b, strict=True)]


def dot(a, b) -> float:
    return sum(p * q for p, q in zip(a, b, strict=True))


def cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def norm(a) -> float:
    return math.sqrt(dot(a, a))


def unit(a):
    n = norm(a)
    return [v / n for v in a] if n > 0 else [NAN] * len(a)


def mid(a, b):
    return [(p + q) / 2 for p, q in zip(a, b, strict=True)]


def nanmax(xs) -> float:
    finite = [x for x in xs if not isnan(x)]
    return max(finite) if finite else NAN


# ------------------------------------------------------------------------- joint angles
def trunk_axes(l_sh, r_sh, l_hip, r_hip):
    """(up, right, anterior) of the trunk frame (§4.2): up = hips -> shoulders."""
    up = unit(sub(mid(l_sh, r_sh), mid(l_hip, r_hip)))
    m = sub(r_sh, l_sh)
    mu = dot(m, up)
    right = unit([m[k] - mu * up[k] for k in range(3)])
    return up, right, cross(up, right)


def shoulder_angles_deg(pts, side: str) -> dict[str, float]:
    """Flexion and abduction (projections on the sagittal / frontal plane against the
    shoulder->hip axis) and elevation of one arm (§1.2, §4.2); ``pts`` in WORLD_ROWS order."""
    l_sh, r_sh, l_hip, r_hip, elbow = pts[:5]
    up, right, anterior = trunk_axes(l_sh, r_sh, l_hip, r_hip)
    lateral = right if side == "right" else [-v for v in right]
    h = sub(elbow, r_sh if side == "right" else l_sh)
    down = -dot(h, up)
    return {
        "flexion_deg": math.degrees(math.atan2(dot(h, anterior), down)),
        "abduction_deg": math.degrees(math.atan2(dot(h, lateral), down)),
        "elevation_deg": math.degrees(math.acos(clip_unit(ratio(down, norm(h))))),
    }


def ratio(num: float, den: float) -> float:
    """num / den with IEEE semantics (x / 0 = +-inf, 0 / 0 = NaN), like numpy."""
    if den != 0 or isnan(den):
        return num / den if not isnan(den) else NAN
    return NAN if num == 0 or isnan(num) else math.copysign(math.inf, num)


def clip_unit(x: float) -> float:
    """Clip to [-1, 1], keeping NaN."""
    return x if isnan(x) else max(-1.0, min(1.0, x))


def elbow_flexion_deg(shoulder, elbow, wrist) -> float:
    """180 deg minus the included angle at the elbow; 0 = straight arm (§4.2, TV11)."""
    u, v = sub(shoulder, elbow), sub(wrist, elbow)
    return 180.0 - math.degrees(math.atan2(norm(cross(u, v)), dot(u, v)))


# --------------------------------------------------------------- per-rep metric pieces
def onset_offset(speed, min_run: int):
    """(onset, offset, peak) indices in a rep window, or None without a positive peak.

    Runs of samples >= ONSET_FRACTION x peak count when they last ``min_run`` samples; the
    peak's own run always counts (§3)."""
    finite = [(v, -k) for k, v in enumerate(speed) if not isnan(v)]
    if not finite or max(finite)[0] <= 0:
        return None
    peak_val, neg_k = max(finite)
    peak = -neg_k
    above = [not isnan(v) and v >= ONSET_FRACTION * peak_val for v in speed]
    runs = [(a, b) for a, b in _true_runs(above) if b - a >= min_run or a <= peak < b]
    return runs[0][0], runs[-1][1] - 1, peak


def _true_runs(flags):
    runs, k = [], 0
    while k < len(flags):
        if flags[k]:
            j = k
            while j < len(flags) and flags[j]:
                j += 1
            runs.append((k, j))
            k = j
        else:
            k += 1
    return runs


def path_length_ratio(hand) -> float:
    """Path length / straight distance from first to last point (§3, Kinarm); NaN when a
    sample inside is missing or the hand moved less than 1 mm."""
    idx = [k for k, p in enumerate(hand) if not any(isnan(v) for v in p)]
    if not idx or len(idx) != idx[-1] - idx[0] + 1:
        return NAN
    steps = [norm(sub(hand[k + 1], hand[k])) for k in idx[:-1]]
    straight = norm(sub(hand[idx[-1]], hand[idx[0]]))
    return sum(steps) / straight if steps and straight > 1e-3 else NAN


def reach_pct_arm(hand, shoulder_at_onset, arm_m: float) -> float:
    """Largest hand distance from the shoulder's position at onset, % of arm length."""
    return 100.0 * nanmax([norm(sub(h, shoulder_at_onset)) for h in hand]) / arm_m


def pearson(a, b) -> float:
    """Pearson r over pairs finite in both; NaN with < 3 pairs or a constant signal."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not (isnan(x) or isnan(y))]
    if len(pairs) < 3:
        return NAN
    ma = sum(p[0] for p in pairs) / len(pairs)
    mb = sum(p[1] for p in pairs) / len(pairs)
    sab = sum((x - ma) * (y - mb) for x, y in pairs)
    saa = sum((x - ma) ** 2 for x, _ in pairs)
    sbb = sum((y - mb) ** 2 for _, y in pairs)
    return NAN if saa * sbb == 0 else min(1.0, max(-1.0, sab / math.sqrt(saa * sbb)))


def interjoint_r(flexion_deg, elbow_flexion) -> float:
    """Zero-lag correlation of shoulder flexion and elbow extension (Alt Murphy, §1.2)."""
    return pearson(flexion_deg, [180.0 - e for e in elbow_flexion])


def trunk_displacement_mm(trunk) -> float:
    """max |p(t) - p(onset)| of the mid-shoulder point, mm (§3, Alt Murphy 2011)."""
    valid = [p for p in trunk if not any(isnan(v) for v in p)]
    return 1000.0 * nanmax([norm(sub(p, valid[0])) for p in valid]) if valid else NAN


def shoulder_hiking_mm(shoulder, hip) -> float:
    """Largest rise of the shoulder above its hip (world up = -y) since onset, mm."""
    heights = [h[1] - s[1] for s, h in zip(shoulder, hip, strict=True)]
    start = next((h for h in heights if not isnan(h)), NAN)
    return 1000.0 * nanmax([h - start for h in heights])


def sparc(speed, fs: float) -> float:
    """Spectral arc length (§2.2): padded FFT, band to the last bin >= 0.05 under 10 Hz."""
    n = len(speed)
    if n < MIN_SAMPLES or any(isnan(v) for v in speed) or sum(speed) == 0:
        return NAN
    nfft = 2 ** (math.ceil(math.log2(n)) + SPARC_PADLEVEL)
    mag = np.abs(np.fft.rfft(speed, nfft)).tolist()
    top = max(mag)
    sel = [(k * fs / nfft, m / top) for k, m in enumerate(mag) if k * fs / nfft <= SPARC_FC_HZ]
    idx = [k for k, (_, m) in enumerate(sel) if m >= SPARC_AMP_TH]
    if not idx or idx[-1] <= idx[0]:
        return NAN
    band = sel[idx[0] : idx[-1] + 1]
    width = band[-1][0] - band[0][0]
    pairs = zip(band[:-1], band[1:], strict=True)
    return -sum(math.hypot((f1 - f0) / width, m1 - m0) for (f0, m0), (f1, m1) in pairs)


def ldlj(velocity, fs: float) -> float:
    """Log dimensionless jerk, peak-speed form, T = N dt (§2.3, reference code)."""
    n, dt = len(velocity), 1.0 / fs
    if n < MIN_SAMPLES or any(isnan(v) for p in velocity for v in p):
        return NAN
    jerk2 = sum(
        ((velocity[k + 2][d] - 2 * velocity[k + 1][d] + velocity[k][d]) / dt**2) ** 2
        for k in range(n - 2)
        for d in range(len(velocity[0]))
    )
    peak = max(norm(v) for v in velocity)
    return NAN if peak == 0 else -math.log(abs(-((n * dt) ** 3 / peak**2) * jerk2 * dt))


def rest_noise_m_s(rest_speed) -> float:
    """Population SD of the speed between cue and onset (0 with fewer than 3 samples)."""
    finite = [v for v in rest_speed if not isnan(v)]
    return statistics.pstdev(finite) if len(finite) >= 3 else 0.0


def movement_units(speed, fs: float, noise_sd_m_s: float) -> float:
    """Speed peaks rising >= max(20 mm/s, 3 SD rest noise), >= 150 ms apart (§1.2, §2.4).

    A missing sample is a boundary (a wall higher than any speed), as is the end."""
    if all(isnan(v) for v in speed):
        return NAN
    dist = max(1, round(NMU_SEPARATION_S * fs))
    wall = 10.0 * nanmax([abs(v) for v in speed]) + 1.0
    line = [wall if isnan(v) else v for v in speed] + [wall] * (2 * dist + 1)
    threshold = max(NMU_RISE_M_S, NMU_NOISE_FACTOR * noise_sd_m_s)
    peaks, _ = signal.find_peaks(line, prominence=threshold, distance=dist)
    return float(sum(1 for p in peaks if line[p] < wall))


def dwell_entry(inside, need: int) -> int | None:
    """Index where the first run of ``need`` inside-samples starts, or None."""
    run = 0
    for i, flag in enumerate(inside):
        run = run + 1 if flag else 0
        if run >= need:
            return i - need + 1
    return None


def dwell_samples(dwell_s: float, fs: float) -> int:
    """Samples spanning ``dwell_s``: (k - 1) / fs >= dwell_s (1 for no dwell)."""
    return max(1, math.ceil(dwell_s * fs - 1e-9) + 1) if dwell_s > 0 else 1
