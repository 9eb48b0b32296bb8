"""Measure the noise floors of the face metrics on still stretches of real face footage.

``uv run python tools/face_noise_study.py --media DIR`` (DIR holds the two Google test clips of
tests/data/README.md at full size: face_expressions_webcam_tfjs.mp4 and
fist_thumbs_up_face_mediapipe.mp4); prints one JSON object whose numbers are copied, with the
date, into game/scoring/noise_floor.py and docs/validation.md §11.

Still stretches (looked at frame by frame): the face-expression clip's frames 285-324 (a woman
at a laptop webcam, facing it, face at rest, after her last expression) and the gesture clip's
frames 0-24 (a woman facing the camera, at rest, before she raises her fist). MediaPipe Face
Mesh runs on every frame from the start of each clip (tracking mode, as the game runs it);
every measure is computed as the game computes it (game.scoring.face, positions averaged over
0.15 s) on each stretch, with the rest position the stretch's median:

- for each measure, ``floor`` is what a still face reads: the median over the stretch of the
  opening (mm) or of an excursion from rest (mm), or of the largest sideways chin shift over a
  1 s window (jaw deviation);
- ``sd`` is the frame-to-frame standard deviation of the underlying position, pooled over the
  stretches and both sides; a rep's value is a difference of two such positions (rest and
  peak), so its standard error of measurement is SEM = sqrt(2) x sd;
- a symmetry index compares two excursions; at a healthy smile's 9.3 mm (Jorge et al. 2012) its
  SEM is 100 x sqrt(2) x SEM_excursion / 9.3 percentage points (first-order propagation for a
  symmetric movement), and so for the other expressions at their healthy amplitudes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from game.scoring import face as FM  # noqa: E402
from game.tracking.mediapipe_parts import FaceGraph  # noqa: E402
from game.tracking.mediapipe_source import to_rgb  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

STRETCHES = {"face_expressions_webcam_tfjs.mp4": (285, 325), "fist_thumbs_up_face_mediapipe.mp4": (0, 25)}
HEALTHY_MM = {"smile": 9.3, "brow": 10.6, "eyelid": 9.1, "pucker": 8.0}
"""Healthy excursions (Jorge et al. 2012: smile, brow, eyelid; pucker: our simulated face)."""


def faces_of(path: Path, stop: int) -> tuple[np.ndarray, tuple[int, int], float]:
    frames, fps = read_frames(path, 0, stop)
    graph = FaceGraph()
    try:
        out = [graph.process_rgb(to_rgb(f)) for f in frames]
    finally:
        graph.close()
    arr = np.stack([np.full((478, 4), np.nan) if f is None else f for f in out]).astype(np.float64)
    return arr, (frames[0].shape[1], frames[0].shape[0]), fps


def smooth(coords: np.ndarray, fps: float) -> np.ndarray:
    flat = coords.reshape(len(coords), -1)
    out = np.stack([FM.moving_mean(flat[:, k], fps) for k in range(flat.shape[1])], axis=1)
    return out.reshape(coords.shape)


def stretch_measures(coords: np.ndarray, fps: float) -> dict[str, list[float]]:
    """Per-frame positions (for the SD) and still-face readings (for the floor) of one stretch."""
    rest = FM.neutral(coords)
    corner = {s: coords[:, FM.CORNER[s]] - coords[:, FM.SUBNASALE] for s in FM.SIDES}
    win = max(int(round(fps)), 2)
    lateral = FM.jaw_lateral_mm(coords)
    shifts = [np.max(np.abs(lateral[a : a + win] - lateral[a])) for a in range(0, len(lateral) - win + 1)]
    out: dict[str, list[float]] = {
        "opening": list(FM.mouth_opening_mm(coords)),
        "opening_sd": [float(np.std(FM.mouth_opening_mm(coords)))],
        "chin_sd": [float(np.std(lateral))],
        "jaw_shift_1s": shifts,
        "corner_sd": [float(np.std(corner[s][:, k])) for s in FM.SIDES for k in (0, 1)],
        "brow_sd": [float(np.std(v)) for v in FM.brow_height_mm(coords).values()],
        "lid_sd": [float(np.std(v)) for v in FM.eye_aperture_mm(coords).values()],
        "pucker_sd": [float(np.std(coords[:, FM.CORNER[s], 0])) for s in FM.SIDES],
    }
    for name, fn in (
        ("smile", FM.corner_excursion_mm),
        ("brow", FM.brow_excursion_mm),
        ("eyelid", FM.eyelid_excursion_mm),
        ("pucker", FM.pucker_excursion_mm),
    ):
        out[f"{name}_still"] = [float(v) for s in FM.SIDES for v in np.abs(fn(coords, rest)[s])]
    out["closure_still_pct"] = [
        float(v) for s in FM.SIDES for v in np.abs(FM.eye_closure_pct(coords, rest)[s])
    ]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--media", type=Path, required=True, help="folder with the two face clips")
    args = ap.parse_args()
    pooled: dict[str, list[float]] = {}
    for name, (a, b) in STRETCHES.items():
        faces, size, fps = faces_of(args.media / name, b)
        coords = smooth(FM.face_frame_mm(faces[a:b], size), fps)
        for key, values in stretch_measures(coords, fps).items():
            pooled.setdefault(key, []).extend(values)
    sd = {k: float(np.sqrt(np.mean(np.square(v)))) for k, v in pooled.items() if k.endswith("_sd")}
    result: dict[str, dict[str, float]] = {
        "peak_mouth_opening_mm": {"floor": float(np.median(pooled["opening"])), "sem": sd["opening_sd"]},
        "jaw_deviation_mm": {
            "floor": float(np.median(pooled["jaw_shift_1s"])),
            "sem": np.sqrt(2) * sd["chin_sd"],
        },
    }
    for name, key in (
        ("smile", "corner_sd"),
        ("brow", "brow_sd"),
        ("eyelid", "lid_sd"),
        ("pucker", "pucker_sd"),
    ):
        sem = float(np.sqrt(2) * sd[key])
        result[f"{name}_mm"] = {"floor": float(np.median(pooled[f"{name}_still"])), "sem": sem}
        result[f"{name}_symmetry_pct"] = {
            "floor": float("nan"),
            "sem": 100.0 * np.sqrt(2) * sem / HEALTHY_MM[name],
        }
    result["eye_closure_pct"] = {"floor": float(np.median(pooled["closure_still_pct"])), "sem": float("nan")}
    print(json.dumps({k: {kk: round(vv, 3) for kk, vv in v.items()} for k, v in result.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
