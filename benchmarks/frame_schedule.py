"""The live loop's frame schedule alone: landmark and picture age at display, without MediaPipe.

A camera thread releases pictures at ``--fps`` and a tracker thread delivers each picture's
pose ``--latency-ms`` later (± ``--jitter-ms``, seeded); both only sleep, and the scene's draw
sleeps ``--draw-ms``. So the ages measured here come from the schedule in game/app.py alone
(when the loop wakes, which frame shows what), not from the CPU: they hardly move with the
machine's load, unlike benchmarks/pipeline.py, whose tracker and drawing share the 2 cores
(and other programs' load). Each configuration runs with both schedules, side by side:
``pose-wake``, the loop waking for new poses only (the shipped schedule), and
``picture-wake``, which also shows a slow camera's next picture as it arrives, before its pose
(App._show_new_picture_early, turned on with ``SLOW_PICTURES_FRAMES = 1.5``). No parts are
requested, so the loop never draws a frame ahead (App._draw_next_ahead): that answers the
drawing's collision with inference on the CPU, which sleeping threads do not have.

Reports, per configuration and schedule (medians of ``--repeats`` runs, the two schedules
alternated), on every flip after ``WARMUP_S``:
``landmark_age_p50_ms`` / ``_p95_ms`` (flip time minus the capture time of the pose shown),
``video_age_p50_ms`` / ``_p95_ms`` (the same for the newest picture) and ``render_fps``.

Usage::

    uv run python benchmarks/frame_schedule.py [--seconds 6] [--draw-ms 5]

Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

import game.app as app_module  # noqa: E402
import game.frame_timing as timing  # noqa: E402
from game.scenes.base import Scene  # noqa: E402
from game.tracking.pose import Picture, PoseFrame, SourceStatus  # noqa: E402
from game.tracking.slots import LatestSlot  # noqa: E402

WARMUP_S = 1.0
"""Left out of the statistics: the loop's first frames."""
CONFIGS = (
    ("body, 30 fps", 30.0, 11.0),
    ("body+hands, 30 fps", 30.0, 17.0),
    ("body+hands slow, 30 fps", 30.0, 20.5),
    ("body, 60 fps", 60.0, 11.0),
)
"""(name, camera fps, tracker latency ms): the pipeline's tracker p50 on a quiet 2-core
machine (body 11 ms; body+hands 17 ms p50, 20.5 ms p95; README "Hands and a 60 fps source")."""
NO_PICTURE_WAKE = float("inf")
"""SLOW_PICTURES_FRAMES that turns the picture wake off (the schedule before it)."""
EMPTY = np.zeros((4, 4, 3), np.uint8)


class TimedCamera:
    """A live source with a camera at ``fps`` and a tracker of fixed latency, both threads that
    only sleep (WaitableSource and PictureWaitable, like the camera and the video)."""

    name = "timed camera"
    uses_wall_clock = True

    def __init__(self, fps: float, latency_ms: float, jitter_ms: float, seed: int = 0) -> None:
        self.pictures: LatestSlot[Picture] = LatestSlot()
        self.poses: LatestSlot[PoseFrame] = LatestSlot()
        self._returned = 0
        self._fps, self._rng = fps, np.random.default_rng(seed)
        self._latency_s, self._jitter_s = latency_ms / 1e3, jitter_ms / 1e3
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=f, daemon=True) for f in (self._camera, self._tracker)]
        for t in self._threads:
            t.start()

    def _camera(self) -> None:
        t0, k = time.perf_counter(), 0
        while not self._stop.is_set():
            self._stop.wait(max(0.0, t0 + k / self._fps - time.perf_counter()))
            now = time.perf_counter()
            self.pictures.put(Picture(k + 1, now, EMPTY), now)
            k += 1

    def _tracker(self) -> None:
        seq = 0
        while not self._stop.is_set():
            item = self.pictures.wait_newer(seq, 0.1)
            if item is None:
                continue
            seq = item.seq
            lag_s = self._latency_s + self._jitter_s * float(self._rng.uniform(-1.0, 1.0))
            self._stop.wait(max(lag_s, 0.0))
            self.poses.put(PoseFrame.missing(item.t_s), item.t_s)

    def poll(self, now_s: float) -> PoseFrame | None:
        item = self.poses.newer_than(self._returned)
        if item is None:
            return None
        self._returned = item.seq
        return item.value

    def wait_new(self, timeout_s: float) -> bool:
        return self.poses.wait_newer(self._returned, max(timeout_s, 0.0)) is not None

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        item = self.pictures.wait_after(after_t_s, max(timeout_s, 0.0))
        return None if item is None else item.t_s

    def picture(self) -> Picture | None:
        item = self.pictures.latest()
        return None if item is None else item.value

    def status(self) -> SourceStatus:
        return SourceStatus.OK

    def close(self) -> None:
        self._stop.set()
        self.pictures.wake()
        for t in self._threads:
            t.join(1.0)


class AgeScene(Scene):
    """Polls the source like the play scene (in update and right before drawing), "draws" by
    sleeping ``draw_ms``."""

    hand_pointer = False
    autoplay_after_s = None

    def __init__(self, app: app_module.App, draw_ms: float) -> None:
        super().__init__(app)
        self.pose: PoseFrame | None = None
        self._draw_s = draw_ms / 1e3

    def update(self, dt_s: float) -> None:
        self._take()

    def draw(self, surface: pygame.Surface) -> None:
        self._take()
        time.sleep(self._draw_s)

    def _take(self) -> None:
        frame = self.app.source.poll(self.app.now_s())
        if frame is not None:
            self.pose = frame


class FlipAges:
    """Wraps the Window: after each flip, the age of the pose and of the newest picture."""

    def __init__(self, window: object, source: TimedCamera) -> None:
        self.window, self.source = window, source
        self.scene: AgeScene | None = None
        self.flips_s: list[float] = []
        self.ages_ms: list[float] = []
        self.video_ms: list[float] = []
        self.warm_until_s = time.perf_counter() + WARMUP_S

    def __getattr__(self, name: str) -> object:
        return getattr(self.window, name)

    def flip(self) -> None:
        self.window.flip()  # type: ignore[attr-defined]
        now = time.perf_counter()
        pose = None if self.scene is None else self.scene.pose
        picture = self.source.picture()
        if now < self.warm_until_s or pose is None or picture is None:
            return
        self.flips_s.append(now)
        self.ages_ms.append((now - pose.t_s) * 1e3)
        self.video_ms.append((now - picture.t_s) * 1e3)


def run(fps: float, latency_ms: float, args: argparse.Namespace, picture_wake: bool) -> dict[str, float]:
    """One run of the real App loop on a TimedCamera; ages and frame rate after warm-up."""
    from game.render.window import Window
    from game.settings import Settings
    from game.storage import open_database

    timing.SLOW_PICTURES_FRAMES = PICTURE_WAKE_FRAMES if picture_wake else NO_PICTURE_WAKE
    source = TimedCamera(fps, latency_ms, args.jitter_ms)
    window = Window(headless=True)
    probe = FlipAges(window, source)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "s.db")
        settings = Settings(headless=False, seconds=args.seconds + WARMUP_S, mute=True)
        app = app_module.App(settings, probe, db, source, (640, 480), {})  # type: ignore[arg-type]
        probe.scene = AgeScene(app, args.draw_ms)
        try:
            app.run(probe.scene)
        finally:
            window.close()
            db.close()
    span_s = probe.flips_s[-1] - probe.flips_s[0]
    pct = lambda v, q: round(float(np.percentile(v, q)), 1)  # noqa: E731
    return {
        "landmark_age_p50_ms": pct(probe.ages_ms, 50),
        "landmark_age_p95_ms": pct(probe.ages_ms, 95),
        "video_age_p50_ms": pct(probe.video_ms, 50),
        "video_age_p95_ms": pct(probe.video_ms, 95),
        "render_fps": round((len(probe.flips_s) - 1) / span_s, 1),
    }


PICTURE_WAKE_FRAMES = 1.5
"""SLOW_PICTURES_FRAMES that turns the picture wake on (a 30 fps camera at 60 Hz; the shipped
game has it off)."""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=6.0, help="measured seconds per run")
    p.add_argument("--draw-ms", type=float, default=5.0, help="time one frame's drawing takes")
    p.add_argument("--jitter-ms", type=float, default=2.0, help="tracker latency ± this, uniform")
    p.add_argument("--repeats", type=int, default=3, help="runs of each schedule (medians reported)")
    args = p.parse_args(argv)
    result: dict[str, object] = {
        "benchmark": "frame_schedule",
        "draw_ms": args.draw_ms,
        "jitter_ms": args.jitter_ms,
        "load_avg_1min_before": round(os.getloadavg()[0], 2),
    }
    run(30.0, 11.0, argparse.Namespace(**{**vars(args), "seconds": 1.0}), False)  # warm-up, not kept
    for name, fps, latency_ms in CONFIGS:
        runs: dict[str, list[dict[str, float]]] = {"pose-wake": [], "picture-wake": []}
        for k in range(args.repeats):  # alternated, the order swapped each time
            for wake in ("pose-wake", "picture-wake")[:: 1 if k % 2 == 0 else -1]:
                runs[wake].append(run(fps, latency_ms, args, picture_wake=wake == "picture-wake"))
        result[name] = {"camera_fps": fps, "tracker_ms": latency_ms} | {
            wake: {key: float(np.median([r[key] for r in rs])) for key in rs[0]} for wake, rs in runs.items()
        }
    result["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
