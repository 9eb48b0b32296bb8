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


PLANE_MIN_ELEVATION_DEG = 20.0
"""Below this elevation the plane of elevation is undefined (the pole of the globe)."""
CARDINAL_TOL_DEG = 30.0
"""Flexion / abduction are named only within this many degrees of their plane."""


def shoulder_angles_deg(pts, side: str) -> dict[str, float]:
    """ISB globe angles of the humerus (Wu et al. 2005; §4.2), ``pts`` in WORLD_ROWS order.

    In the trunk frame: elevation = angle between the humerus and the trunk's downward axis
    (0 at the side, 180 overhead); plane of elevation = direction of its horizontal part,
    0 deg straight out to the side, 90 deg straight forward (undefined below 20 deg of
    elevation). Flexion and abduction are the elevation where the plane is within 30 deg of
    forward / sideways (minus it within 30 deg of backward = extension), near the side the
    small sagittal / frontal projections (§4.2 display projections), otherwise NaN."""
    l_sh, r_sh, l_hip, r_hip, elbow = pts[:5]
    up, right, anterior = trunk_axes(l_sh, r_sh, l_hip, r_hip)
    lateral = right if side == "right" else [-v for v in right]
    h = sub(elbow, r_sh if side == "right" else l_sh)
    fwd, out, down = dot(h, anterior), dot(h, lateral), -dot(h, up)
    elevation = math.degrees(math.atan2(math.hypot(fwd, out), down))
    if isnan(elevation):
        return dict.fromkeys(("elevation_deg", "plane_of_elevation_deg", "flexion_deg", "abduction_deg"), NAN)
    if elevation < PLANE_MIN_ELEVATION_DEG:
        flexion = math.degrees(math.atan2(fwd, down))
        abduction = math.degrees(math.atan2(out, down))
        plane = NAN
    else:
        plane = math.degrees(math.atan2(fwd, out))
        flexion = abduction = NAN
        if abs(plane - 90.0) <= CARDINAL_TOL_DEG:
            flexion = elevation
        elif abs(plane + 90.0) <= CARDINAL_TOL_DEG:
            flexion = -elevation
        if abs(plane) <= CARDINAL_TOL_DEG:
            abduction = elevation
    return {
        "elevation_deg": elevation,
        "plane_of_elevation_deg": plane,
        "flexion_deg": flexion,
        "abduction_deg": abduction,
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


# ----------------------------------------------------------- movement onset and offset
MIN_PEAK_SPEED_M_S = 0.03
"""A movement toward the target must reach 30 mm/s (above the markerless speed floor)."""
MAX_NOISE_FRACTION = 0.3
"""The rest-noise threshold never exceeds 30 % of the peak speed."""


def rest_noise(speed, stop: int, window: int) -> float:
    """Smallest mean + 3 SD (ddof 1) of any ``window`` consecutive finite samples that end
    before ``stop``; 0 when there is none (the quietest rest before the movement, §3 video
    adaptation: rest mean + 3 SD)."""
    levels = []
    for c in range(0, stop - window + 1):
        chunk = speed[c : c + window]
        if window >= 2 and not any(isnan(v) for v in chunk):
            levels.append(statistics.fmean(chunk) + 3.0 * statistics.stdev(chunk))
    return min(levels) if levels else 0.0


def _run_length_at(flags, k: int) -> int:
    """Length of the run of True that sample k belongs to (0 if flags[k] is False)."""
    if not flags[k]:
        return 0
    a = b = k
    while a > 0 and flags[a - 1]:
        a -= 1
    while b + 1 < len(flags) and flags[b + 1]:
        b += 1
    return b - a + 1


def reach_onset_offset(speed, approach, cue: int, min_run: int, inside=None):
    """The movement toward the target in one search window, or None (§3, docs/validation.md).

    Its peak is the fastest sample from the cue on at which the hand approaches the target;
    the threshold is the larger of ONSET_FRACTION x peak (Saes 2021) and the rest noise
    before the peak (mean + 3 SD of the quietest 3 x persistence samples, at most 30 % of
    the peak). Onset: the first sample above the threshold and approaching of the stretch
    before the peak that no pause (not above-and-approaching) of min_run samples or more
    interrupts. Offset: the last sample of the last run (>= min_run,
    or the peak's own) above the threshold, before the hand moves away from the target
    faster than the threshold for min_run samples.
    Returns (onset, offset, peak, before_cue, censored) indices within the window."""
    n = len(speed)
    finite = [not (isnan(s) or isnan(a)) for s, a in zip(speed, approach, strict=True)]
    best = None
    for k in range(cue, n):
        if finite[k] and approach[k] > 0 and (best is None or speed[k] > speed[best]):
            best = k
    if best is None or not speed[best] > 0 or speed[best] < MIN_PEAK_SPEED_M_S:
        return None
    peak, top = best, speed[best]
    noise = min(rest_noise(speed, peak, max(3, 3 * min_run)), MAX_NOISE_FRACTION * top)
    thr = max(ONSET_FRACTION * top, noise)
    moving = [finite[k] and speed[k] >= thr and approach[k] > 0 for k in range(n)]
    # walk back from the peak over moving samples and over pauses shorter than min_run
    k = peak
    while k > 0 and (moving[k - 1] or _run_length_at([not m for m in moving], k - 1) < min_run):
        k -= 1
    onset = next(j for j in range(k, peak + 1) if moving[j])
    away = [finite[k] and approach[k] < -thr for k in range(n)]
    stop = next((k for k in range(peak + 1, n) if _run_length_at(away, k) >= min_run), n)
    if inside is not None:  # arrived: in the target and below the threshold (§3 "enters and stays")
        held = [finite[k] and inside[k] and speed[k] < thr for k in range(n)]
        stop = min(stop, next((k for k in range(peak + 1, n) if _run_length_at(held, k) >= min_run), n))
    above = [finite[k] and speed[k] >= thr and k < stop for k in range(n)]
    peak_run = [False] * n
    k = peak
    while k >= 0 and above[k]:
        peak_run[k], k = True, k - 1
    k = peak + 1
    while k < n and above[k]:
        peak_run[k], k = True, k + 1
    kept = [k for k in range(peak, n) if above[k] and (_run_length_at(above, k) >= min_run or peak_run[k])]
    offset = max(kept[-1], peak)
    return onset, offset, peak, onset < cue, onset == 0 and moving[0]


# --------------------------------------------------------------- per-rep metric pieces
def path_length_ratio(hand) -> float:
    """Path length / straight distance from first to last point (§3, Kinarm); NaN when a
    sample inside is missing or the hand moved less than 1 mm."""
    idx = [k for k, p in enumerate(hand) if not any(isnan(v) for v in p)]
    if not idx or len(idx) != idx[-1] - idx[0] + 1:
        return NAN
    steps = [norm(sub(hand[k + 1], hand[k])) for k in idx[:-1]]
    straight = norm(sub(hand[idx[-1]], hand[idx[0]]))
    return sum(steps) / straight if steps and straight > 1e-3 else NAN


def reach_toward_units(hand_img, target) -> float:
    """Furthest travel of the hand point from its position at onset (the first sample)
    toward the target, in the picture (frame-width units); NaN if the onset sample is
    missing or sits on the target."""
    rest = hand_img[0]
    u = unit(sub(target, rest))
    return nanmax([dot(sub(h, rest), u) for h in hand_img])


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


MIN_JOINT_RANGE_DEG = 10.0
"""Coordination needs both joints to move at least this much over the reach."""


def joint_range(x) -> float:
    finite = [v for v in x if not isnan(v)]
    return max(finite) - min(finite) if finite else 0.0


def interjoint_r(shoulder_elevation, elbow_extension) -> float:
    """Zero-lag correlation of the shoulder and elbow-extension curves (Alt Murphy, §1.2),
    NaN when either joint moved less than MIN_JOINT_RANGE_DEG."""
    if min(joint_range(shoulder_elevation), joint_range(elbow_extension)) < MIN_JOINT_RANGE_DEG:
        return NAN
    return pearson(shoulder_elevation, elbow_extension)


def forward_only(value: float, plane_deg: float) -> float:
    """Alt Murphy's coordination is a forward-reach measure: NaN unless the plane of
    elevation is within CARDINAL_TOL_DEG of the flexion plane (90 deg)."""
    return value if not isnan(plane_deg) and abs(plane_deg - 90.0) <= CARDINAL_TOL_DEG else NAN


def rest_value(samples, rest_n: int):
    """Mean of the finite samples among the first rest_n (one point or scalar per sample),
    or the first finite sample when none of them is finite."""

    def ok(p) -> bool:
        return not any(isnan(v) for v in p)

    head = [p for p in samples[: max(rest_n, 1)] if ok(p)]
    if head:
        return [sum(p[d] for p in head) / len(head) for d in range(len(head[0]))]
    return next((p for p in samples if ok(p)), None)


def trunk_displacement_mm(trunk, rest_n: int) -> float:
    """max |p(t) - p_rest| of the mid-shoulder point, mm (§3, Alt Murphy 2011), p_rest the
    mean over the rest_n samples before onset."""
    rest = rest_value(trunk, rest_n)
    return NAN if rest is None else 1000.0 * nanmax([norm(sub(p, rest)) for p in trunk])


def shoulder_hiking_mm(shoulder, hip, rest_n: int) -> float:
    """Largest rise of the shoulder above its hip (world up = -y) from its rest mean, mm."""
    heights = [[h[1] - s[1]] for s, h in zip(shoulder, hip, strict=True)]
    rest = rest_value(heights, rest_n)
    return NAN if rest is None else 1000.0 * nanmax([h[0] - rest[0] for h in heights])


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
