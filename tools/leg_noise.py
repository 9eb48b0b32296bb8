"""Noise floors of the leg metrics (docs/validation.md §12): real still footage and repeated
simulated movements. Prints one JSON object on its last line.

- Real footage: the squat clip's standing stretches (frames 20-25, 43-50) and its held bottom
  (frames 32-37), as MediaPipe tracked them (tests/data/squats_pose.npz, 5 fps): the SD of each
  per-frame signal while the body is still is the floor a single reading cannot go below.
- Simulated: every leg level played by the mild simulated patient (30 Hz, 2 mm landmark noise,
  tremor and sway) with several seeds; the pooled SD of each per-rep metric across seeds and
  reps of the same movement is its standard error of measurement (SEM); the minimal detectable
  change is MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005).

Run: ``uv run python tools/leg_noise.py [--seeds N]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.levels import load_all  # noqa: E402
from game.scoring.lower_limb import (  # noqa: E402
    hip_height_shanks,
    knee_valgus_deg,
    mean_knee_flexion_deg,
    trunk_flexion_deg,
)
from tests.leveltypes.driving import drive  # noqa: E402
from tests.scoring.squat_landmarks import squat_landmarks  # noqa: E402

SECONDS = {"test-one-leg": 75.0, "test-functional-reach": 60.0, "test-chair-stand": 50.0}
STILL = {"standing": [*range(20, 26), *range(43, 51)], "bottom": list(range(32, 38))}


def real_still() -> dict[str, float]:
    """SD of each signal over the still stretches of the real squat clip (pooled)."""
    _, image, world, size = squat_landmarks()
    w = world[..., :3].astype(np.float64)
    px = image[..., :2].astype(np.float64) * np.array(size, dtype=np.float64)
    signals = {
        "knee_flexion_deg": mean_knee_flexion_deg(w),
        "hip_height_shanks": hip_height_shanks(px),
        "trunk_flexion_deg": trunk_flexion_deg(w),
        "knee_valgus_deg": np.fmax(knee_valgus_deg(px, "left"), knee_valgus_deg(px, "right")),
    }
    out = {}
    for name, x in signals.items():
        parts = [x[STILL["standing"][:6]], x[STILL["standing"][6:]], x[STILL["bottom"]]]
        pooled = math.sqrt(float(np.mean([np.var(p, ddof=1) for p in parts])))
        out[f"real_still_sd_{name}"] = round(pooled, 4)
    return out


def simulated(seeds: int) -> dict[str, dict[str, float]]:
    """Per metric: SEM (pooled SD of reps of the same movement) and MDC95, mild patient."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for level_id, spec in load_all().items():
        if spec.type not in ("sit_to_stand", "squat", "march", "leg_mirror", "chair_stand", "five_sts",
                             "one_leg_test", "reach_test"):  # fmt: skip
            continue
        for seed in range(seeds):
            out = drive(level_id, SECONDS.get(level_id, 45.0), seed=seed)
            for m in out.metrics:
                for k, v in m.items():
                    if np.isfinite(v) and k not in ("success", "chair_confirmed", "chair_confirm_s"):
                        values[k][level_id].append(float(v))
    table = {}
    for name, per_level in sorted(values.items()):
        variances = [np.var(v, ddof=1) for v in per_level.values() if len(v) >= 2]
        if not variances:
            continue
        sem = math.sqrt(float(np.mean(variances)))
        table[name] = {"sem": round(sem, 3), "mdc95": round(1.96 * math.sqrt(2.0) * sem, 3),
                       "n": sum(len(v) for v in per_level.values())}  # fmt: skip
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.seeds < 2:
        print("error: --seeds must be at least 2", file=sys.stderr)
        return 2
    result = {"real": real_still(), "simulated": simulated(args.seeds), "seeds": args.seeds}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
