"""Compare MediaPipe's two hand landmark models on real hands: full (offline analysis) and lite.

Run ``uv run python tools/hand_models.py``. Both models ship in the mediapipe 0.10.21 wheel
(``model_complexity`` 1 and 0). The lite one would bring the live game's landmark age on screen
under issue 14's 50 ms on the 2-core machine (README, "Hands and a 60 fps source"); this tool
measures what that switch would cost the finger measures, and why the game keeps the full one.
On the close-up of one right hand spelling hand shapes
(tests/data/hand_finger_shapes_closeup_tfjs.mp4, 325 frames, 25 fps) and the thumbs-up cut
(fist_thumbs_up_4s.mp4) it tracks every frame with each model as offline analysis tracks
(video mode, in order, game.analysis.core.prepare filtering), then reports:

- how often each model finds the right hand;
- frame by frame where both find it, the difference full - lite of each joint's flexion (MCP,
  PIP, DIP of the five fingers, degrees), of the hand aperture and the thumb-index gap (palm
  lengths): median and 95th percentile of the absolute difference;
- the noise of each model on the still stretches (tools/hand_noise.py's stretches and
  measures), to hold the differences against;
- the open-close cycles ``analyze`` counts on the close-up with each model (a person counts 3).

It prints one JSON object on its last line; docs/validation.md §10 quotes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from game.analysis.core import analyze_track, prepare  # noqa: E402
from game.analysis.exercises import get  # noqa: E402
from game.analysis.track import track_clip  # noqa: E402
from game.scoring import hand as SH  # noqa: E402
from game.tracking.mediapipe_parts import HAND_FULL, HAND_LITE, HandsConfig  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402
from tools.hand_noise import CLOSEUP, FPS, STILL, stretch_stats  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
MODELS = {"full": HAND_FULL, "lite": HAND_LITE}
PARTS = frozenset({"pose", "hands"})


def _abs_stats(diff: np.ndarray) -> dict[str, float]:
    """Median and 95th percentile of ``|diff|`` over its finite values."""
    d = np.abs(diff[np.isfinite(diff)])
    return {
        "median": round(float(np.median(d)), 3),
        "p95": round(float(np.percentile(d, 95)), 3),
        "n": int(d.size),
    }


def compare(full: np.ndarray, lite: np.ndarray) -> dict[str, object]:
    """Frame-by-frame differences of the finger measures of two trackings ``(N, 21, 3)``."""
    flex_f, flex_l = SH.finger_flexion_deg(full), SH.finger_flexion_deg(lite)
    joints = np.concatenate([flex_f[j] - flex_l[j] for j in flex_f])
    return {
        "joint_flexion_deg": _abs_stats(joints),
        "aperture_norm": _abs_stats(SH.hand_aperture_norm(full) - SH.hand_aperture_norm(lite)),
        "pinch_norm": _abs_stats(SH.pinch_aperture_norm(full) - SH.pinch_aperture_norm(lite)),
    }


def main() -> int:
    result: dict[str, object] = {"tool": "hand_models"}
    for clip, stretches in STILL.items():
        frames, _ = read_frames(DATA / clip)
        hands: dict[str, np.ndarray] = {}
        for name, complexity in MODELS.items():
            track = track_clip(frames, FPS, PARTS, HandsConfig(model_complexity=complexity))
            hands[name] = prepare(track).hands["right"]
            found = np.isfinite(track.hands["right_hand"][..., 0]).all(axis=-1)
            result[f"{clip}:{name}:found_pct"] = round(100.0 * float(found.mean()), 1)
            for still, spans in stretches.items():
                stats = stretch_stats(hands[name], spans)
                stats.pop("_raw")
                result[f"{clip}:{name}:still:{still}"] = stats
            if clip == CLOSEUP:
                cycles = analyze_track(track, get("hand-open-close"), "right").reps
                result[f"{clip}:{name}:open_close_cycles"] = len(cycles)
        result[f"{clip}:full_minus_lite"] = compare(hands["full"], hands["lite"])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
