"""Benchmark: score a 10-minute session (18,000 frames x 33 landmarks, 60 reps) with every metric.

Two implementations of the same metrics run on the same synthetic session:

- ``vectorised``: game.scoring (score_reps, plus bilateral coordination, balance sway,
  proprioception, the level grade, and the lower-limb measures: knee flexion, hip height, trunk
  tilt, knee valgus, heel rise, knee lifts, sideways shift, hands on thighs, squat, stand and step
  segmentation, fall detection over every frame, and each rep's leg metrics);
- ``baseline``: the independent oracle of tests/scoring/oracle.py (and oracle_level.py), a
  straightforward per-frame, per-rep pure-Python implementation of the same pipeline
  (visibility mask, resampling, gap filling, the sosfiltfilt recursion, angles, segmentation
  and every metric), using library calls only where the maths has no sensible pure-Python
  form (filter coefficients, the FFT of SPARC, the peak prominences of NMU). The tests in
  tests/scoring/test_oracle*.py hold the two to the same answers; here they are timed.

Both results are compared metric by metric before timing. The last line printed is one JSON
object: ``median_ms`` (vectorised, wall clock), ``cpu_median_ms`` (CPU time of the scoring
thread: on a shared machine it moves far less with other work than the wall clock does; on an
idle one the two agree, the scoring being single-threaded), ``baseline_median_ms``, ``speedup``
and details.

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.leveltypes.reach.metrics import GRADED as REACH_GRADED  # noqa: E402
from game.scoring import (  # noqa: E402
    com_proxy_m,
    cross_correlation_peak,
    grade_level,
    reposition_summary_deg,
    score_reps,
    sway_metrics,
    symmetry_index_pct,
)
from game.scoring.falls import fall_frames, fall_signals  # noqa: E402
from game.scoring.leg_reps import rises  # noqa: E402
from game.scoring.lower_limb import (  # noqa: E402
    hands_on_thighs,
    heel_rise_m,
    hip_height_shanks,
    knee_height_m,
    knee_valgus_deg,
    lateral_shift_m,
    mean_knee_flexion_deg,
    trunk_flexion_deg,
)
from game.scoring.preprocess import preprocess_signals  # noqa: E402
from game.scoring.segmentation import gather, window_indices  # noqa: E402
from game.scoring.synthetic import reaching_session  # noqa: E402
from tests.scoring import oracle, oracle_level  # noqa: E402

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
    _squat_legs(world, image, s.t_s, s.cue_s, s.end_s)
    for start in rng.integers(0, t.size - 10, 40):  # short and long visibility dropouts
        length = int(rng.integers(1, 9))
        lm = rng.integers(11, 25)
        world[start : start + length, lm, 3] = 0.1
        image[start : start + length, lm, 3] = 0.1
    return s, t, world, image


def _squat_legs(
    world: np.ndarray, image: np.ndarray, t: np.ndarray, cue: np.ndarray, end: np.ndarray
) -> None:
    """Give every rep a squat (knees to 60 deg and back), so the leg measures have movement to
    find: world legs by the planted-feet geometry of the simulated patient, the picture by a
    fixed scale (in place)."""
    phase = np.zeros(t.size)
    for a, b in zip(cue.tolist(), end.tolist(), strict=True):
        inside = (t >= a) & (t <= b)
        phase[inside] = 0.5 - 0.5 * np.cos(2 * np.pi * (t[inside] - a) / (b - a))
    k = np.radians(4.0 + 56.0 * phase)
    thigh, shank = 0.58 * k, -0.42 * k
    for hip, knee, ankle, heel, toe, x in ((23, 25, 27, 29, 31, 0.1), (24, 26, 28, 30, 32, -0.1)):
        kn = np.stack([np.full(t.size, x), 0.42 * np.cos(thigh), -0.42 * np.sin(thigh)], 1)
        an = kn + np.stack([np.zeros(t.size), 0.43 * np.cos(shank), -0.43 * np.sin(shank)], 1)
        world[:, knee, :3], world[:, ankle, :3] = kn, an
        world[:, heel, :3], world[:, toe, :3] = an + [0, 0.03, 0.05], an + [0, 0.03, -0.15]
        for i in (hip, knee, ankle, heel, toe):
            image[:, i, :2] = 0.5 + world[:, i, :2] * np.array([0.45, 0.6])


def legs(t, world, image, cue_s, end_s) -> dict[str, np.ndarray]:
    """The leg levels' per-rep metrics, as the session scores them: on each rep's frames (cue to
    end, 0.3 s margins), every lower-limb signal (knee flexion, hip height, trunk tilt, knee
    valgus, heel rise, knee lift, sideways shift, hands on thighs, the fall rule), each rep's
    stand and step segmentation, and its squat, stand and march numbers (vectorised over reps)."""
    start, length = window_indices(t, cue_s - 0.3, end_s + 0.3)
    rows = np.concatenate([np.arange(a, a + n) for a, n in zip(start.tolist(), length.tolist(), strict=True)])
    # float32, as recorded; poorly seen landmarks are NaN. Whole frames are copied (one block
    # each) and scaled a coordinate at a time: world[rows, :, :3] copies 12 bytes at a time and
    # a (..., 2) broadcast multiplies 2 numbers per inner loop, 3x slower for the same values.
    seen_w, seen_i = world[rows], image[rows]
    w = seen_w[..., :3]
    w[seen_w[..., 3] < 0.5] = np.nan
    px = seen_i[..., :2]
    px[..., 0] *= np.float32(1280.0)
    px[..., 1] *= np.float32(720.0)
    px[seen_i[..., 3] < 0.5] = np.nan
    knee, h, trunk = mean_knee_flexion_deg(w), hip_height_shanks(px), trunk_flexion_deg(w)
    valgus = np.fmax(knee_valgus_deg(px, "left"), knee_valgus_deg(px, "right"))
    heel = np.fmax(heel_rise_m(w, "left"), heel_rise_m(w, "right"))
    lift = knee_height_m(w, "left")
    shift, hands = lateral_shift_m(w), hands_on_thighs(w)
    falls = fall_frames(t[rows], *fall_signals(px, w))
    first = np.concatenate([[0], np.cumsum(length)[:-1]])
    k, v, tr = gather(knee, first, length), gather(valgus, first, length), gather(trunk, first, length)
    deepest = np.nanargmax(np.where(np.isfinite(k), k, -np.inf), axis=1)[:, None]
    he, sh, li = gather(heel, first, length), gather(shift, first, length), gather(lift, first, length)
    rep_of = np.repeat(np.arange(len(length)), length)  # which rep each scored frame belongs to
    stands = np.bincount(rep_of[rises(np.nan_to_num(h, nan=1.0), 1.45, 1.8)[0]], minlength=len(length))
    rest = np.repeat(np.nanmin(li, axis=1), length)
    steps = np.bincount(rep_of[rises(np.nan_to_num(lift - rest), 0.02, 0.04)[0]], minlength=len(length))
    return {
        "leg_peak_knee_flexion_deg": np.nanmax(k, axis=1),
        "leg_knee_valgus_deg": np.take_along_axis(v, deepest, 1)[:, 0],
        "leg_trunk_flexion_deg": np.take_along_axis(tr, deepest, 1)[:, 0],
        "leg_heel_rise_cm": 100.0 * (np.nanmax(he, axis=1) - he[:, 0]),
        "leg_lateral_shift_cm": 100.0 * np.nanmax(np.abs(sh - sh[:, :1]), axis=1),
        "leg_knee_lift_cm": 100.0 * (np.nanmax(li, axis=1) - np.nanmin(li, axis=1)),
        "leg_hands_on_thighs_frac": np.nanmean(gather(hands.astype(np.float64), first, length), axis=1),
        "leg_stands": stands,
        "leg_steps": steps,
        "leg_fall_frames": np.array([int(falls.sum())]),
    }


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
    xyz = world[..., :3].astype(np.float64)
    xyz[~(world[..., 3] >= 0.5)] = np.nan
    raw = np.empty((t.size, 8))
    raw[:, 0:3] = xyz[:, list(L_HAND)].mean(axis=1)
    raw[:, 3:6] = xyz[:, list(R_HAND)].mean(axis=1)
    raw[:, 6:8] = com_proxy_m(xyz)  # whole-body centre of mass over the mid-ankle (Winter)
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
    out.update(legs(t, world, image, s.cue_s, s.end_s))
    return out


# -------------------------------------------------------------------------------- baseline
def _masked_frame(frame) -> list[list[float]]:
    """Every landmark's coordinates, NaN when poorly visible (the whole-body CoM uses 25)."""
    return [oracle.point(frame, i, 3) for i in range(33)]


def _filtered(tl, columns, grid):
    return [oracle.channel(tl, col, grid, FS_HZ)[0] for col in columns]


def baseline(s, t, world, image) -> dict[str, np.ndarray]:
    """The oracle: per-frame, per-rep pure Python (tests/scoring/oracle.py), same outputs."""
    out = oracle.score_session(
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
    tl, frames = t.tolist(), world.tolist()
    n = int(math.floor((tl[-1] - tl[0]) * FS_HZ + 1e-9)) + 1
    grid = [tl[0] + k / FS_HZ for k in range(n)]
    left = [oracle.hand_point(f, "left", 3) for f in frames]
    com = [oracle_level.com_proxy(_masked_frame(f)) for f in frames]
    lh = _filtered(tl, [[p[d] for p in left] for d in range(3)], grid)
    ml, ap = _filtered(tl, [[c[0] for c in com], [c[1] for c in com]], grid)
    vel = zip(*[oracle.gradient(x, FS_HZ) for x in lh], strict=True)
    lspeed = [oracle.norm(list(v)) for v in vel]
    rspeed = _right_speed(tl, frames, grid)
    level = _baseline_level(out, grid, rspeed, lspeed, s)
    level.update({f"sway_{k}": [v] for k, v in oracle_level.sway_metrics(ml, ap, FS_HZ).items()})
    out.update({k: np.array(v) for k, v in level.items()})
    return out


def _right_speed(tl, frames, grid):
    right = [oracle.hand_point(f, "right", 3) for f in frames]
    rh = _filtered(tl, [[p[d] for p in right] for d in range(3)], grid)
    return [oracle.norm(list(v)) for v in zip(*[oracle.gradient(x, FS_HZ) for x in rh], strict=True)]


def _baseline_level(out, grid, rspeed, lspeed, s) -> dict[str, list]:
    """Bilateral coordination, reposition error and the level grade, rep by rep."""
    windows = [
        (bisect.bisect_left(grid, c - 1e-9), bisect.bisect_right(grid, e + 1e-9))
        for c, e in zip(s.cue_s.tolist(), s.end_s.tolist(), strict=True)
    ]
    bil = [oracle_level.cross_correlation_peak(rspeed[a:b], lspeed[a:b], FS_HZ) for a, b in windows]
    peak_l = [oracle.nanmax(lspeed[a:b]) for a, b in windows]
    peaks_r = out["peak_speed_m_s"].tolist()
    level: dict[str, list] = {
        "bilateral_r": [b[0] for b in bil],
        "bilateral_lag_s": [b[1] for b in bil],
        "symmetry_index_pct": [
            oracle_level.symmetry_index_pct(r, x) for r, x in zip(peaks_r, peak_l, strict=True)
        ],
    }
    jpe = oracle_level.reposition_summary(out["peak_shoulder_flexion_deg"].tolist(), [FLEX_GOAL_DEG] * N_REPS)
    level.update({k: [v] for k, v in jpe.items()})
    pairs = zip(out["reach_pct_arm"].tolist(), out["reach_pct_arm_reliable"].tolist(), strict=True)
    metrics = {
        "reach_pct_arm": statistics.median(v for v, ok in pairs if ok),
        "success_rate": sum(out["success"].tolist()) / N_REPS,
    }
    level["stars"] = [oracle_level.grade(REACH_GRADED, metrics, {"reach_pct_arm": 90.0}, [])]
    return level


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
    cpu_times: list[float] = []
    per_round = max(1, math.ceil(args.repeats / args.baseline_repeats))
    for rnd in range(args.baseline_repeats):  # interleaved, so machine noise hits both alike
        for _ in range(min(per_round, args.repeats - len(times))):
            c0, t0 = time.thread_time(), time.perf_counter()
            vectorised(s, t, world, image)
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.thread_time() - c0)
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
        "cpu_median_ms": round(statistics.median(cpu_times) * 1000, 2),
        "load_avg_1min": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None,
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
