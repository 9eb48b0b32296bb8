"""The whole live pipeline in real time: video → MediaPipe worker → App loop → video mirror.

Builds a 640×480, 30 fps MJPG clip of the astronaut photo (shifted ±6 px sinusoidally, as in
performance_and_tech.md §1.1), plays it as a real-time ``--video`` source (frames released at
the file's pace, like a camera) through the real :class:`game.app.App` loop and play scene
(video mirror mode, guest patient, temporary database), with the loop in real time
(``Settings.headless=False`` on SDL's dummy driver, so ``flip()`` is free), and reports:

- ``render_fps``: frames drawn and flipped per second;
- ``tracker_hz``: poses delivered by the MediaPipe worker per second;
- ``landmark_age_p50_ms`` / ``_p95_ms``: capture timestamp of the pose on screen to just
  after ``display.flip()``;
- ``bare_tracker_hz``: a bare MediaPipe loop on the same frames, side by side;
- ``mirror_ms_1280x720_p50``: the video-mirror composite alone on a 1280×720 frame.

Targets on a 2-core machine: render ≥ 58 fps, tracker ≥ 30 results/s, age p95 ≤ 50 ms.

Usage::

    uv run python benchmarks/pipeline.py [--seconds 10]

Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from game.tracking.testimages import astronaut_frame, sinusoid_frames  # noqa: E402

FPS = 30.0
WARMUP_S = 2.0
"""Left out of the statistics: MediaPipe's import and first frames (~0.5-1 s), during which
the video thread falls behind its schedule and then catches up with old timestamps."""


def write_clip(path: Path, seconds: float) -> int:
    n = int(round(seconds * FPS))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 480))
    if not writer.isOpened():
        raise SystemExit("OpenCV cannot write an MJPG .avi here")
    for frame in sinusoid_frames(640, 480, n):
        writer.write(frame)
    writer.release()
    return n


class FlipProbe:
    """Wraps the Window: after each flip, notes the age of the landmarks on screen."""

    def __init__(self, window: object) -> None:
        self.window = window
        self.app: object = None
        self.ages_ms: list[float] = []
        self.flips_s: list[float] = []
        self.frame_ms: list[float] = []
        self.warmup_until_s = float("inf")
        self._last_s: float | None = None
        self.tops: set[str] = set()

    def __getattr__(self, name: str) -> object:
        return getattr(self.window, name)

    def flip(self) -> None:
        self.window.flip()  # type: ignore[attr-defined]
        now = time.perf_counter()
        stack0 = getattr(self.app, "stack", None)
        self.tops.add(type(getattr(stack0, "top", None)).__name__)
        if self._last_s is not None and now >= self.warmup_until_s:
            self.frame_ms.append((now - self._last_s) * 1e3)
        self._last_s = now
        if now < self.warmup_until_s:
            return  # model start-up and the catch-up after it are not steady state
        self.flips_s.append(now)
        stack = getattr(self.app, "stack", None)
        pose = getattr(getattr(stack, "top", None), "pose", None)
        if pose is not None:
            self.ages_ms.append((now - pose.t_s) * 1e3)


def run_app(clip: Path, seconds: float, home: Path) -> dict[str, float]:
    from game.app import App
    from game.levels import load_all
    from game.render.window import Window
    from game.scenes.play import PlayScene
    from game.session import SessionRun
    from game.settings import Settings
    from game.storage import open_database
    from game.tracking.live import ensure_guest_patient, open_video_source

    source, size = open_video_source(clip, fast=False)
    video = source.source  # type: ignore[attr-defined]
    db = open_database(home / "bench.db")
    window = Window(headless=True)
    probe = FlipProbe(window)
    # headless=False: the loop runs in real time (wall-clock frame times, sleeps to 60 Hz).
    settings = Settings(headless=False, seconds=seconds, mute=True, level="reach-apples")
    app = App(
        settings=settings,
        window=probe,
        db=db,
        source=source,  # type: ignore[arg-type]
        frame_size=size,
        levels=load_all(),
    )
    probe.app = app
    app.patient = ensure_guest_patient(db)
    t0 = time.perf_counter()
    probe.warmup_until_s = t0 + WARMUP_S
    try:
        app.run(PlayScene(app, SessionRun.begin(app)))
    finally:
        wall_s = time.perf_counter() - t0
        window.close()
        db.close()
    ages = np.asarray(probe.ages_ms)
    steady_s = probe.flips_s[-1] - probe.flips_s[0] if len(probe.flips_s) > 1 else float("nan")
    return {
        "render_fps": round((len(probe.flips_s) - 1) / steady_s, 2),
        "frame_ms_p50": round(float(np.median(probe.frame_ms)), 2),
        "frame_ms_p95": round(float(np.percentile(probe.frame_ms, 95)), 2),
        "tracker_hz": round(video.frames_processed / wall_s, 2),
        "landmark_age_p50_ms": round(float(np.median(ages)), 2) if ages.size else float("nan"),
        "landmark_age_p95_ms": round(float(np.percentile(ages, 95)), 2) if ages.size else float("nan"),
        "frames_with_pose": int(ages.size),
        "frames_drawn": int(app.frames),
        "scenes_seen": sorted(probe.tops),
    }


def bare_tracker(n: int) -> float:
    from game.tracking.mediapipe_source import MediaPipeEstimator

    est = MediaPipeEstimator()
    frames = list(sinusoid_frames(640, 480, n + 15))
    for f in frames[:15]:
        est.process(f)
    t0 = time.perf_counter()
    for f in frames[15:]:
        est.process(f)
    hz = n / (time.perf_counter() - t0)
    est.close()
    return round(hz, 2)


def mirror_ms(n: int = 100) -> float:
    from game.render.camera_view import mirror_picture
    from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator

    frame = astronaut_frame(1280, 720)
    est = MediaPipeEstimator(MediaPipeConfig(static_image_mode=True))
    found = est.process(frame)
    est.close()
    if found is None:
        return float("nan")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        mirror_picture(frame, found[0], "left")
        times.append((time.perf_counter() - t0) * 1e3)
    return round(float(np.median(times)), 3)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10.0, help="clip length and run time")
    args = p.parse_args(argv)
    if not args.seconds > 1:
        p.error("--seconds must be more than 1")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        clip = home / "astronaut.avi"
        n = write_clip(clip, args.seconds)
        result: dict[str, object] = {
            "benchmark": "pipeline",
            "frame_size": "640x480",
            "clip_frames": n,
            "cpu_count": os.cpu_count(),
        }
        result.update(run_app(clip, args.seconds, home))
        result["bare_tracker_hz"] = bare_tracker(min(n, 300))
        result["mirror_ms_1280x720_p50"] = mirror_ms()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
