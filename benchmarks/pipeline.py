"""The whole live pipeline in real time: video → MediaPipe worker → App loop → video mirror.

Builds a 640×480, 30 fps MJPG clip of the astronaut photo (shifted ±6 px sinusoidally, as in
docs/performance-notes.md §1.1), plays it as a real-time ``--video`` source (frames released at
the file's pace, like a camera) through the real :class:`game.app.App` loop and play scene
(video mirror mode, guest patient, temporary database), with the loop in real time
(``Settings.headless=False`` on SDL's dummy driver, so ``flip()`` is free), and reports:

- ``render_fps``: frames drawn and flipped per second;
- ``tracker_hz``: poses delivered by the MediaPipe worker per second (at most the clip's
  30 fps: the source, like a camera, releases frames at its own pace);
- ``tracker_ms_p50`` / ``_p95``: one ``process()`` call inside the running app;
- ``landmark_age_p50_ms`` / ``_p95_ms``: capture timestamp of the pose on screen to just
  after ``display.flip()``, on every flip (a 30 Hz pose is on screen for two 60 Hz frames);
- ``video_age_p50_ms`` / ``_p95_ms``: the same for the newest video picture;
- ``bare_tracker_hz`` / ``bare_tracker_ms_p50``: a bare MediaPipe loop on the same decoded
  frames, after the app, in the same process;
- ``mirror_ms_1280x720_p50``: the video-mirror composite alone on a 1280×720 frame.

All rates and percentiles cover the steady window only: from ``WARMUP_S`` after the loop
starts to its end. The clip is ``TAIL_S`` longer than the run, so the video never ends (and
its last pose never goes stale) while the loop is measured; the scene and its imports
(scipy.signal, ~1 s) are built before the clock starts.

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
"""Left out of the statistics: the first frames of the graph and of the loop."""
TAIL_S = 4.0
"""Extra clip beyond the run: the video must not end (and its last pose go stale) while
the loop is still being measured, or the "age" would be the time since the file ended."""


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
        self.video: object = None
        self.processed_at: list[tuple[float, int]] = []
        self.video_ages_ms: list[float] = []

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
        self.processed_at.append((now, int(getattr(self.video, "frames_processed", 0))))
        picture = self.video.picture() if self.video is not None else None  # type: ignore[attr-defined]
        if picture is not None:
            self.video_ages_ms.append((now - picture.t_s) * 1e3)
        stack = getattr(self.app, "stack", None)
        pose = getattr(getattr(stack, "top", None), "pose", None)
        if pose is not None:
            self.ages_ms.append((now - pose.t_s) * 1e3)


class TimedEstimator:
    """MediaPipe with each ``process()`` timed: the tracker's own latency inside the app."""

    def __init__(self, times_ms: list[float]) -> None:
        from game.tracking.mediapipe_source import MediaPipeEstimator

        self.inner = MediaPipeEstimator()
        self.times_ms = times_ms

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        t0 = time.perf_counter()
        result = self.inner.process(bgr)
        self.times_ms.append((time.perf_counter() - t0) * 1e3)
        return result

    def close(self) -> None:
        self.inner.close()


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else float("nan")


def run_app(clip: Path, seconds: float, home: Path) -> dict[str, object]:
    import game.calibration  # noqa: F401  (scipy.signal: ~1 s of import, not loop time)
    from game.app import App
    from game.levels import load_all
    from game.render.window import Window
    from game.scenes.play import PlayScene
    from game.session import SessionRun
    from game.settings import Settings
    from game.storage import open_database
    from game.tracking.live import ensure_guest_patient, open_video_source

    db = open_database(home / "bench.db")
    window = Window(headless=True)
    probe = FlipProbe(window)
    infer_ms: list[float] = []
    source, size = open_video_source(clip, fast=False, estimator_factory=lambda: TimedEstimator(infer_ms))
    video = source.source  # type: ignore[attr-defined]
    probe.video = video
    # headless=False: the loop runs in real time (wall-clock frame times, sleeps to 60 Hz).
    settings = Settings(headless=False, seconds=seconds, mute=True, level="reach-apples")
    app = App(
        settings=settings,
        window=probe,  # type: ignore[arg-type]
        db=db,
        source=source,
        frame_size=size,
        levels=load_all(),
    )
    probe.app = app
    app.patient = ensure_guest_patient(db)
    scene = PlayScene(app, SessionRun.begin(app))
    probe.warmup_until_s = time.perf_counter() + WARMUP_S
    try:
        app.run(scene)
    finally:
        window.close()
        db.close()
    result = summarise(probe, video, app.frames)
    steady = infer_ms[int(WARMUP_S * FPS) :]
    result["tracker_ms_p50"], result["tracker_ms_p95"] = _pct(steady, 50), _pct(steady, 95)
    return result


def summarise(probe: FlipProbe, video: object, frames_drawn: int) -> dict[str, object]:
    """Rates over the steady window (first to last flip after warm-up) and age percentiles."""
    (t_a, n_a), (t_b, n_b) = probe.processed_at[0], probe.processed_at[-1]
    steady_s = t_b - t_a
    return {
        "render_fps": round((len(probe.flips_s) - 1) / steady_s, 2),
        "frame_ms_p50": _pct(probe.frame_ms, 50),
        "frame_ms_p95": _pct(probe.frame_ms, 95),
        "tracker_hz": round((n_b - n_a) / steady_s, 2),
        "landmark_age_p50_ms": _pct(probe.ages_ms, 50),
        "landmark_age_p95_ms": _pct(probe.ages_ms, 95),
        "video_age_p50_ms": _pct(probe.video_ages_ms, 50),
        "video_age_p95_ms": _pct(probe.video_ages_ms, 95),
        "steady_s": round(steady_s, 2),
        "frames_with_pose": len(probe.ages_ms),
        "frames_drawn": frames_drawn,
        "video_frames_dropped": int(getattr(video, "dropped", -1)),
        "scenes_seen": sorted(probe.tops),
    }


def decoded_frames(clip: Path, n: int) -> list[np.ndarray]:
    """The first ``n`` frames of the clip as decoded, i.e. what the pipeline's tracker saw."""
    cap = cv2.VideoCapture(str(clip))
    frames = []
    while len(frames) < n:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def bare_tracker(frames: list[np.ndarray], warmup: int = 15) -> tuple[float, float]:
    """Back-to-back ``process()`` calls on the same decoded frames: the tracker's ceiling."""
    from game.tracking.mediapipe_source import MediaPipeEstimator

    est = MediaPipeEstimator()
    for f in frames[:warmup]:
        est.process(f)
    times_ms = []
    t0 = time.perf_counter()
    for f in frames[warmup:]:
        t1 = time.perf_counter()
        est.process(f)
        times_ms.append((time.perf_counter() - t1) * 1e3)
    hz = (len(frames) - warmup) / (time.perf_counter() - t0)
    est.close()
    return round(hz, 2), _pct(times_ms, 50)


def mirror_ms(n: int = 100) -> float:
    from game.mirror.picture import mirror_picture
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
        n = write_clip(clip, args.seconds + WARMUP_S + TAIL_S)
        result: dict[str, object] = {
            "benchmark": "pipeline",
            "frame_size": "640x480",
            "clip_frames": n,
            "clip_fps": FPS,
            "cpu_count": os.cpu_count(),
        }
        result.update(run_app(clip, args.seconds, home))
        bare_hz, bare_ms = bare_tracker(decoded_frames(clip, min(n, 315)))
        result["bare_tracker_hz"], result["bare_tracker_ms_p50"] = bare_hz, bare_ms
        result["mirror_ms_1280x720_p50"] = mirror_ms()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
