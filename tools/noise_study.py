"""Measure the noise floor and minimal detectable change of every metric (issue 10).

Run ``uv run python tools/noise_study.py [--media DIR] [--seeds N]``; it prints one
JSON object, whose numbers are the table in game/scoring/noise_floor.py (copied by hand,
with the date) and docs/validation.md. Two kinds of evidence:

1. **Real footage where nothing moves** (MediaPipe on every frame): the astronaut photograph
   as a 10 s still clip at 30 fps with real-camera-like jitter (sub-pixel shifts, sensor
   noise); the still stretches of the real clips (face clip frames 200-324: a woman sitting
   at a webcam, only her face moving; gesture clip frames 0-26; squat clip frames 20-25
   and 43-48, standing with the arms down). Every metric is computed over 2 s windows of
   these stretches exactly as the scoring computes it: its value there is the floor (what a
   still person reads), and the SD of a joint angle there is its per-sample error.
2. **Repeated identical movements with realistic noise**: the simulated patient
   (game.tracking.simulated, MILD, 30 Hz) reaching the same three targets, 2 reps each, for
   ``seeds`` seeds: the pooled within-target SD of each per-rep metric is its standard error
   of measurement (SEM), and MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005; Haley & Fragala-Pinkham
   2006).

For the joint angles the SEM is the larger of the two (the simulator's white landmark noise
underestimates MediaPipe's slow wander, which the real still footage shows).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from game.analysis.core import prepare  # noqa: E402
from game.analysis.exercises import elbow_flexion, shoulder_elevation  # noqa: E402
from game.analysis.track import Track, track_clip  # noqa: E402
from game.scoring import cog_lean_deg, com_sway, compensation, lowpass  # noqa: E402
from game.scoring.compensation import REST_S, TRUNK_CUTOFF_HZ  # noqa: E402
from game.scoring.kinematics import HAND_POINTS, hand_point  # noqa: E402
from game.scoring.reps import METRIC_NAMES  # noqa: E402
from game.scoring.synthetic import reaching_session, score_session, simulated_reaches  # noqa: E402
from game.tracking.pose import L_SHOULDER, R_HIP, R_SHOULDER, shoulder_elbow_wrist  # noqa: E402
from game.tracking.simulated import MILD  # noqa: E402
from game.tracking.testimages import astronaut_frame, still_clip  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

WINDOW_S = 2.0
SWAY_WINDOW_S = 5.0
MIN_GAME_FPS = 10.0
"""Sources below the game's lowest pose rate (the 5 fps squat clip) are listed per source
but left out of the pooled floors."""
MDC_FACTOR = 1.96 * math.sqrt(2.0)
STILL_STRETCHES = {
    "face_expressions_webcam_tfjs.mp4": (200, 325),
    "fist_thumbs_up_face_mediapipe.mp4": (0, 27),
    "squats_front_oblique_tfjs.mp4": (20, 26),
}
SQUAT_SECOND_STILL = (43, 49)


def astronaut_still(n_frames: int = 300, seed: int = 0) -> list[np.ndarray]:
    """The astronaut photograph (640 x 480 canvas) as a 30 fps still clip."""
    return still_clip(astronaut_frame(640, 480), n_frames, seed)


def squat_photo_still(media: Path, n_frames: int = 150, seed: int = 0) -> list[np.ndarray] | None:
    """Frame 46 of the squat clip (standing, arms hanging, whole body) as a still clip."""
    frames, _ = read_frames(media / "squats_front_oblique_tfjs.mp4", 46, 47)
    return still_clip(frames[0], n_frames, seed) if frames else None


def _windows(n: int, size: int) -> Iterable[slice]:
    step = max(size // 2, 1)
    for a in range(0, max(n - size, 0) + 1, step):
        yield slice(a, a + size)


def still_metrics(track: Track, *, standing: bool = False) -> dict[str, list[float]]:
    """Metrics of a still stretch, computed per 2 s window as the scoring does."""
    prep = prepare(track)
    fs = prep.fs_hz
    out: dict[str, list[float]] = {}
    size = max(int(round(WINDOW_S * fs)), 3)
    rest = max(int(round(REST_S * fs)), 1)
    slow = lowpass(prep.world, fs, cutoff_hz=min(TRUNK_CUTOFF_HZ, 0.4 * fs))
    trunk = 0.5 * (slow[:, L_SHOULDER] + slow[:, R_SHOULDER])
    for w in _windows(prep.t_s.size, size):
        out.setdefault("trunk_displacement_mm", []).append(
            float(compensation.trunk_displacement_mm(trunk[w], rest_samples=rest))
        )
        out.setdefault("shoulder_hiking_mm", []).append(
            float(compensation.shoulder_hiking_mm(slow[w, R_SHOULDER], slow[w, R_HIP], rest_samples=rest))
        )
    for side in ("left", "right"):
        vis = prep.observed
        for name, fn, lms in (
            ("peak_shoulder_elevation_deg", shoulder_elevation, (11, 12, 13, 14)),
            ("peak_elbow_flexion_deg", elbow_flexion, (11, 12, 13, 14, 15, 16)),
        ):
            angle = fn(prep, side)
            seen = vis[:, list(lms)].mean(axis=0).min() >= 0.8
            if seen and np.isfinite(angle).sum() >= 3:
                out.setdefault(f"{name}_sd", []).append(float(np.nanstd(angle)))
        hand = hand_point(prep.world, side)
        if np.isfinite(hand[:rest]).all() and np.isfinite(hand).all(axis=-1).mean() >= 0.8:
            for w in _windows(prep.t_s.size, size):
                travel = np.linalg.norm(hand[w] - np.nanmean(hand[w][:rest], axis=0), axis=-1)
                out.setdefault("hand_travel_mm", []).append(float(1000 * np.nanmax(travel)))
                speed = np.linalg.norm(np.gradient(hand[w], axis=0), axis=-1) * fs
                out.setdefault("hand_speed_m_s", []).append(float(np.nanmax(speed)))
    for w in _windows(track.frames, int(round(SWAY_WINDOW_S * track.fps))):
        if w.stop > track.frames:
            break
        sway = com_sway(track.t_s[w], track.world[w], base="ankles" if standing else "hips")
        out.setdefault("sway_mean_velocity_m_s", []).append(float(sway["mean_velocity_m_s"]))
        out.setdefault("sway_rms_m", []).append(float(sway["rms_m"]))
    if standing:
        lean = cog_lean_deg(prep.world)
        out["cog_lean_deg_sd"] = [float(np.nanstd(lean["forward_deg"])), float(np.nanstd(lean["left_deg"]))]
    for side in ("left", "right"):
        s_idx = shoulder_elbow_wrist(side)[0]  # type: ignore[arg-type]
        d = hand_point(track.image[..., :2], side) - track.image[:, s_idx, :2]
        ok = track.image[:, [s_idx, *HAND_POINTS[side]], 3].min(axis=-1) >= 0.5
        if ok.mean() >= 0.8:
            ang = np.degrees(np.arctan2(d[ok, 0] * track.frame_size[0], d[ok, 1] * track.frame_size[1]))
            out.setdefault("image_arm_angle_deg_sd", []).append(float(np.std(ang)))
    return out


def real_floors(media: Path) -> tuple[dict[str, dict[str, list[float]]], dict[str, float]]:
    """Still-footage metrics per source (MediaPipe on every frame), and each source's fps."""
    sources: dict[str, dict[str, list[float]]] = {}
    rates = {"astronaut_still_30fps": 30.0, "squat_frame46_still_30fps": 30.0}
    sources["astronaut_still_30fps"] = still_metrics(track_clip(astronaut_still(), 30.0))
    if (media / "squats_front_oblique_tfjs.mp4").is_file():
        photo = squat_photo_still(media)
        if photo:
            sources["squat_frame46_still_30fps"] = still_metrics(track_clip(photo, 30.0), standing=True)
    for name, (a, b) in STILL_STRETCHES.items():
        path = media / name
        if not path.is_file():
            continue
        frames, fps = read_frames(path, a, b)
        sources[f"{name}[{a}:{b}]"] = still_metrics(track_clip(frames, fps))
        rates[f"{name}[{a}:{b}]"] = fps
        if name.startswith("squats"):
            frames, fps = read_frames(path, *SQUAT_SECOND_STILL)
            more = still_metrics(track_clip(frames, fps))
            for k, v in more.items():
                sources[f"{name}[{a}:{b}]"].setdefault(k, []).extend(v)
    return sources, rates


def repeated_reaches(seeds: int, fs_hz: float = 30.0) -> dict[str, dict[str, float]]:
    """Pooled within-target SD (SEM) and mean of every score_reps metric over repeats."""
    values: dict[str, list[np.ndarray]] = {name: [] for name in METRIC_NAMES}
    for seed in range(seeds):
        r = score_session(simulated_reaches(MILD, fps_hz=fs_hz, seed=seed), target_radius_norm=0.05)
        for name in METRIC_NAMES:
            ok = r[f"{name}_reliable"]
            values[name].append(np.where(ok, r[name].astype(float), np.nan))
    out = {}
    for name, rows in values.items():
        v = np.stack(rows)  # (seeds, reps); reps k and k + 3 aim at the same target
        groups = np.concatenate([v[:, :3], v[:, 3:6]], axis=0)  # (2 x seeds, 3 targets)
        n = np.isfinite(groups).sum(axis=0)
        dof = float(np.sum(np.maximum(n - 1, 0)))
        if dof == 0:
            out[name] = {"sem": float("nan"), "mean": float("nan"), "n": int(n.sum())}
            continue
        dev = groups - np.nanmean(groups, axis=0, keepdims=True)
        sem = float(np.sqrt(np.nansum(dev**2) / dof))
        out[name] = {"sem": sem, "mean": float(np.nanmean(groups)), "n": int(n.sum())}
    return out


def forward_reach_coordination(seeds: int) -> dict[str, float]:
    """SEM of interjoint_r over repeated analytic forward reaches with 5 mm landmark noise
    (the game's frontal-plane reaches report none)."""
    values = []
    for seed in range(seeds):
        r = score_session(reaching_session(3, noise_m=0.005, rng=np.random.default_rng(seed)))
        values.extend(r["interjoint_r"][r["interjoint_r_reliable"]].tolist())
    sem = float(np.std(values, ddof=1))
    return {
        "sem": round(sem, 4),
        "mdc95": round(MDC_FACTOR * sem, 4),
        "mean": round(float(np.mean(values)), 4),
    }


def summarise(
    real: dict[str, dict[str, list[float]]], rates: dict[str, float], synth: dict[str, dict[str, float]]
) -> dict:
    """Per-metric floors from the real sources: per source, and pooled over windows of the
    sources at game pose rates (median, 95th percentile, SD)."""
    keys = sorted({k for src in real.values() for k in src})
    floors = {}
    for k in keys:
        per_source = {s: float(np.nanmedian(v[k])) for s, v in real.items() if k in v and len(v[k])}
        pooled = [
            x
            for s, v in real.items()
            if rates.get(s, 30.0) >= MIN_GAME_FPS
            for x in v.get(k, [])
            if np.isfinite(x)
        ]
        per_sd = {s: float(np.nanstd(v[k], ddof=1)) for s, v in real.items() if len(v.get(k, [])) > 1}
        floors[k] = {
            "per_source_median": {s: round(x, 4) for s, x in per_source.items()},
            "per_source_sd": {s: round(x, 4) for s, x in per_sd.items()},
            "median": round(float(np.median(pooled)), 4) if pooled else None,
            "p95": round(float(np.percentile(pooled, 95)), 4) if pooled else None,
            "sd": round(float(np.std(pooled, ddof=1)), 4) if len(pooled) > 1 else None,
        }
    mdc = {
        k: {"sem": round(v["sem"], 4), "mdc95": round(MDC_FACTOR * v["sem"], 4), "n": v["n"]}
        for k, v in synth.items()
    }
    return {"real_still": floors, "repeated_reaches": mdc}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--media", type=Path, default=Path("tests/data"), help="folder of the real clips")
    parser.add_argument("--seeds", type=int, default=10, help="simulated sessions of 6 reaches")
    args = parser.parse_args(argv)
    real, rates = real_floors(args.media)
    result = summarise(real, rates, repeated_reaches(args.seeds))
    result["forward_reach_interjoint_r"] = forward_reach_coordination(args.seeds)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
