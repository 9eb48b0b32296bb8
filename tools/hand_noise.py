"""Measure the noise floors of the finger measures on real hands held still (issue 14).

Run ``uv run python tools/hand_noise.py [--media DIR]`` (default: tests/data, which holds the
close-up; the thumbs-up clip there is its 4 s cut). It prints one JSON object whose numbers
are in game/scoring/noise_floor.py and docs/validation.md §10.

Still stretches (each looked at, frame by frame): the close-up of one right hand
(hand_finger_shapes_closeup_tfjs.mp4, 25 fps) holding a fist (frames 260-288 and 300-324),
the index raised with the other fingers in an "O" (136-164), and the fingertips on the thumb
(96-120); the thumbs-up clip (fist_thumbs_up_4s.mp4, frames 45-99 of the cut: the fist with
the thumb raised, held towards the lens, partly out of focus). MediaPipe Hands (full model)
runs on every frame of each clip in order, as offline analysis tracks it; the landmarks are
filtered as analysis filters them (game.analysis.core.prepare). Reported per stretch and
pooled: the SD of each joint's flexion, of the aperture and of the thumb-index gap, and over
1 s windows, the largest minus smallest total flexion (a still hand's "active range"), the
aperture range and the closure range; and the thumb-index gaps of the fists (how close the
fingertips come without touching).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from game.analysis.core import prepare  # noqa: E402
from game.analysis.track import track_clip  # noqa: E402
from game.scoring import hand as SH  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

CLOSEUP = "hand_finger_shapes_closeup_tfjs.mp4"
THUMBS_UP = "fist_thumbs_up_4s.mp4"
STILL = {
    CLOSEUP: {"fist": [(260, 289), (300, 325)], "index_up": [(136, 165)], "tips_on_thumb": [(96, 121)]},
    THUMBS_UP: {"thumb_up": [(45, 100)]},
}
FPS = 25.0
WINDOW_S = 1.0


def stretch_stats(hand: np.ndarray, spans: list[tuple[int, int]]) -> dict[str, object]:
    """Noise of the finger measures over the still ``spans`` of one tracked hand (N, 21, 3)."""
    flex = SH.finger_flexion_deg(hand)
    aperture, gap = SH.hand_aperture_norm(hand), SH.pinch_aperture_norm(hand)
    closure = SH.hand_closure_deg(hand)
    total = SH.total_flexion_deg(hand)
    win = int(WINDOW_S * FPS)
    sds: dict[str, list[float]] = {"joint_flexion_deg": [], "aperture_norm": [], "pinch_norm": []}
    ranges: dict[str, list[float]] = {
        "active_range_deg": [],
        "aperture_range_norm": [],
        "closure_range_deg": [],
    }
    gaps: list[float] = []
    for a, b in spans:
        sl = slice(a, b)
        sds["joint_flexion_deg"] += [float(np.nanstd(flex[j][sl])) for j in flex]
        sds["aperture_norm"].append(float(np.nanstd(aperture[sl])))
        sds["pinch_norm"].append(float(np.nanstd(gap[sl])))
        gaps += [float(v) for v in gap[sl] if np.isfinite(v)]
        for s in range(a, b - win + 1, win // 2):
            w = slice(s, s + win)
            ranges["active_range_deg"].append(
                float(np.mean([SH.active_range_deg(total[f][w]) for f in SH.LONG_FINGERS]))
            )
            ranges["aperture_range_norm"].append(float(np.nanmax(aperture[w]) - np.nanmin(aperture[w])))
            ranges["closure_range_deg"].append(float(np.nanmax(closure[w]) - np.nanmin(closure[w])))
    out: dict[str, object] = {f"sd_{k}_median": round(float(np.median(v)), 3) for k, v in sds.items()}
    out.update({f"{k}_median": round(float(np.median(v)), 3) for k, v in ranges.items()})
    out.update({f"{k}_p95": round(float(np.percentile(v, 95)), 3) for k, v in ranges.items()})
    out["pinch_min_norm"] = round(min(gaps), 3) if gaps else None
    out["pinch_median_norm"] = round(float(np.median(gaps)), 3) if gaps else None
    out["_raw"] = {"sds": sds, "ranges": ranges}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--media", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "data")
    args = p.parse_args(argv)
    result: dict[str, object] = {"tool": "hand_noise", "window_s": WINDOW_S}
    pooled: dict[str, list[float]] = {}
    for clip, stretches in STILL.items():
        frames, _ = read_frames(args.media / clip)
        prep = prepare(track_clip(frames, FPS, frozenset({"pose", "hands"})))
        hand = prep.hands["right"]
        for name, spans in stretches.items():
            stats = stretch_stats(hand, spans)
            raw = stats.pop("_raw")
            for group in raw.values():  # type: ignore[attr-defined]
                for key, values in group.items():
                    pooled.setdefault(key, []).extend(values)
            result[f"{clip}:{name}"] = stats
    result["pooled"] = {
        **{f"{k}_median": round(float(np.median(v)), 3) for k, v in pooled.items()},
        **{f"{k}_p95": round(float(np.percentile(v, 95)), 3) for k, v in pooled.items()},
        **{f"{k}_sd": round(float(np.std(v, ddof=1)), 3) for k, v in pooled.items()},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
