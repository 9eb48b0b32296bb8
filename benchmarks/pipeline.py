"""The whole live pipeline in real time: video → MediaPipe worker → App loop → video mirror.

Builds a 640×480 MJPG clip at ``--source-fps`` (30 or 60), plays it as a real-time ``--video``
source (frames released at the file's pace, like a camera) through the real
:class:`game.app.App` loop and play scene (video mirror mode, guest patient, temporary
database; a ``body+face`` run plays a face level, with the half-face mirror), with the loop
in real time (``Settings.headless=False`` on SDL's dummy driver, so ``flip()`` is free), the
tracker running the models of ``--track`` (``body``,
``body+hands``, ``body+face``: the source's ``request_parts``), and reports:

- ``render_fps``: frames drawn and flipped per second;
- ``tracker_hz``: poses delivered by the MediaPipe worker per second (at most the clip's
  30 fps: the source, like a camera, releases frames at its own pace);
- ``tracker_ms_p50`` / ``_p95``: one ``process()`` call inside the running app;
- ``landmark_age_p50_ms`` / ``_p95_ms``: capture timestamp of the pose on screen to just
  after ``display.flip()``, on every flip (a 30 Hz pose is on screen for two 60 Hz frames);
- ``landmark_age_first_p95_ms`` / ``landmark_age_again_p95_ms``: the p95 on the flips that
  show a pose for the first time / again (which of them makes the p95), and
  ``pose_shown_3x_pct``, flips that show a pose a third time or more (its successor was late);
- ``video_age_p50_ms`` / ``_p95_ms``: the same for the camera picture on screen (the one
  drawn: a frame drawn ahead shows the picture of its time, not a newer one);
- ``bare_tracker_hz`` / ``bare_tracker_ms_p50`` / ``bare_tracker_cpu_ms``: a bare tracker
  loop on the same decoded frames, after the app, in the same process (with the CPU time it
  takes per frame, all threads);
- ``mirror_ms_1280x720_p50``: the video-mirror composite alone on a 1280×720 frame (the
  hand's: benchmarks/hand_mirror.py);
- ``level``: the level played (a hand level with ``--track body+hands``, a face level with
  ``body+face``);
- ``hands_found_pct`` / ``face_found_pct``: frames in which both hands / the face were found
  (a benchmark whose hands are never found would time the palm detector, not hand tracking);
- ``process_cpu_cores``: CPU time of the whole process (loop, tracker, MediaPipe's threads)
  per second of the steady window, in cores: what the pipeline used of the machine's 2 (on
  a shared machine it is capped by the share the process gets);
- ``loop_cpu_ms_per_frame``: CPU time of the loop's thread (update, draw, mirror, flip) per
  drawn frame;
- ``load_avg_1min_before`` / ``_after``: the machine's load, since a shared machine is noisy.

Pictures (``--picture``): ``astronaut``, the astronaut photo shifted ±6 px sinusoidally (the
default for ``--track body``, as in the earlier measurements), or ``person``, real footage
with a face and two hands (the default for hands and face): the thumbs-up clip of
tests/data with its left half mirrored onto the right, so that a real woman raises two real
fists beside her real face, played back and forth at its own 25 fps pace.

All rates and percentiles cover the steady window only: from ``WARMUP_S`` after the loop
starts to its end. The clip is ``TAIL_S`` longer than the run, so the video never ends (and
its last pose never goes stale) while the loop is measured; the scene and its imports
(scipy.signal, ~1 s) are built before the clock starts.

Targets on a 2-core machine: render ≥ 58 fps; with a 30 fps source (body, body+hands,
body+face) tracker ≥ 30 results/s and age p95 ≤ 50 ms; body with a 60 fps source tracker
≥ 55 results/s and age p95 ≤ 30 ms.

Usage::

    uv run python benchmarks/pipeline.py [--seconds 10] [--track body+hands] [--source-fps 30]
        [--picture person] [--hand-model full|lite]

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

from game.tracking.mediapipe_parts import HAND_FULL, HAND_LITE, HandsConfig, MediaPipeTracker  # noqa: E402
from game.tracking.pose import Picture, PoseFrame  # noqa: E402
from game.tracking.testimages import astronaut_frame, sinusoid_frames  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

TRACKS = {
    "body": frozenset({"body"}),
    "body+hands": frozenset({"body", "hands"}),
    "body+face": frozenset({"body", "face"}),
}
HAND_LEVEL = "grasp-orange"
"""The level played with ``--track body+hands``: the play scene asks the tracker for the parts
of the level it plays, so a body level would switch the hands off again (and the hands'
close-up, drawn by a hand level, is part of the cost)."""
FACE_LEVEL = "smile-sunny"
"""The level played with ``--track body+face`` (the half-face mirror composited every frame)."""
BODY_LEVEL = "reach-apples"
"""The level played with ``--track body``."""


def level_for(parts: frozenset[str]) -> str:
    """The level a run with these tracked ``parts`` plays (and reports as ``level``)."""
    return FACE_LEVEL if "face" in parts else HAND_LEVEL if "hands" in parts else BODY_LEVEL


PERSON_CLIP = Path(__file__).resolve().parent.parent / "tests" / "data" / "fist_thumbs_up_4s.mp4"
PERSON_FPS = 25.0
PERSON_AXIS_PX = 300
"""Column of the person clip (640×360) near her face's midline, mirrored to make two fists."""
WARMUP_S = 2.0
"""Left out of the statistics: the first frames of the graph and of the loop."""
TAIL_S = 4.0
"""Extra clip beyond the run: the video must not end (and its last pose go stale) while
the loop is still being measured, or the "age" would be the time since the file ended."""


def person_frames() -> list[np.ndarray]:
    """The person clip, each frame's left part mirrored onto the right, centred on 640×480."""
    frames, _ = read_frames(PERSON_CLIP)
    out = []
    for frame in frames:
        left = frame[:, :PERSON_AXIS_PX]
        both = np.hstack([left, left[:, ::-1]])
        canvas = np.zeros((480, 640, 3), np.uint8)
        h, w = both.shape[:2]
        y0, x0 = (480 - h) // 2, (640 - w) // 2
        canvas[y0 : y0 + h, x0 : x0 + w] = both
        out.append(canvas)
    return out


def picture_frames(picture: str, n: int, fps: float) -> list[np.ndarray]:
    """``n`` frames of the chosen picture for a clip at ``fps`` hertz."""
    if picture == "astronaut":
        return list(sinusoid_frames(640, 480, n))
    source = person_frames()
    back_and_forth = source + source[-2:0:-1]
    return [back_and_forth[int(k / fps * PERSON_FPS) % len(back_and_forth)] for k in range(n)]


def write_clip(path: Path, seconds: float, fps: float, picture: str) -> int:
    n = int(round(seconds * fps))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (640, 480))
    if not writer.isOpened():
        raise SystemExit("OpenCV cannot write an MJPG .avi here")
    for frame in picture_frames(picture, n, fps):
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
        self.cpu_s: list[float] = []
        """Process CPU time (all threads, MediaPipe's included) at each steady flip."""
        self.loop_cpu_s: list[float] = []
        """CPU time of the loop's own thread at each steady flip."""
        self.frame_ms: list[float] = []
        self.warmup_until_s = float("inf")
        self._last_s: float | None = None
        self.tops: set[str] = set()
        self.video: object = None
        self.processed_at: list[tuple[float, int]] = []
        self.video_ages_ms: list[float] = []
        self.shown_times: list[int] = []
        """On each steady flip with a pose: how many flips (this one included) showed that pose."""

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
        self.cpu_s.append(time.process_time())
        self.loop_cpu_s.append(time.thread_time())
        self.processed_at.append((now, int(getattr(self.video, "frames_processed", 0))))
        shown_t_s = getattr(self.app, "picture_shown_t_s", None)  # the picture drawn, not the newest
        if shown_t_s is not None:
            self.video_ages_ms.append((now - shown_t_s) * 1e3)
        stack = getattr(self.app, "stack", None)
        pose = getattr(getattr(stack, "top", None), "pose", None)
        if pose is not None:
            self.ages_ms.append((now - pose.t_s) * 1e3)
            again = bool(self.shown_times) and self._shown_t_s == pose.t_s
            self.shown_times.append(self.shown_times[-1] + 1 if again else 1)
            self._shown_t_s = pose.t_s

    _shown_t_s: float | None = None


class TimedEstimator:
    """The MediaPipe tracker with each call timed (the tracker's own latency inside the app)
    and its results counted (were the hands and the face really found?)."""

    def __init__(
        self, times_ms: list[float], found: dict[str, int], hands: HandsConfig, parallel: bool
    ) -> None:
        self.inner = MediaPipeTracker(hands_config=hands, parallel=parallel)
        self.times_ms = times_ms
        self.done_s: list[float] = []
        self.found = found

    def process(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        raise AssertionError("the worker gives a parts estimator the parts")

    def process_parts(self, picture: Picture, parts: frozenset[str]) -> PoseFrame:
        t0 = time.perf_counter()
        frame = self.inner.process_parts(picture, parts)
        done = time.perf_counter()
        self.times_ms.append((done - t0) * 1e3)
        self.done_s.append(done)
        count(self.found, frame)
        return frame

    def close(self) -> None:
        self.inner.close()


def count(found: dict[str, int], frame: PoseFrame) -> None:
    found["frames"] = found.get("frames", 0) + 1
    found["hands"] = found.get("hands", 0) + int(frame.hand_found("left") and frame.hand_found("right"))
    found["face"] = found.get("face", 0) + int(frame.face_found)


def found_pct(found: dict[str, int], parts: frozenset[str]) -> dict[str, object]:
    n = max(found.get("frames", 0), 1)
    return {
        "hands_found_pct": round(100 * found.get("hands", 0) / n, 1) if "hands" in parts else None,
        "face_found_pct": round(100 * found.get("face", 0) / n, 1) if "face" in parts else None,
    }


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else float("nan")


def run_app(
    clip: Path, seconds: float, home: Path, parts: frozenset[str], hands: HandsConfig, parallel: bool
) -> dict[str, object]:
    import game.calibration  # noqa: F401  (scipy.signal: ~1 s of import, not loop time)
    from game.app import App
    from game.launch import ensure_guest_patient
    from game.levels import load_all
    from game.render.window import Window
    from game.scenes.play import PlayScene
    from game.session import SessionRun
    from game.settings import Settings
    from game.storage import open_database
    from game.tracking.live import open_video_source

    db = open_database(home / "bench.db")
    window = Window(headless=True)
    probe = FlipProbe(window)
    infer_ms: list[float] = []
    found: dict[str, int] = {}
    timed: list[TimedEstimator] = []

    def factory() -> TimedEstimator:
        timed.append(TimedEstimator(infer_ms, found, hands, parallel))
        return timed[-1]

    source, size = open_video_source(clip, fast=False, estimator_factory=factory)
    source.request_parts(parts)  # type: ignore[attr-defined]  (what the play scene will do)
    video = source.source  # type: ignore[attr-defined]
    probe.video = video
    # headless=False: the loop runs in real time (wall-clock frame times, sleeps to 60 Hz).
    # A face run plays a face level (the half-face mirror composited every frame), a hands run a
    # hand level: the play scene asks the tracker for its level's parts.
    settings = Settings(headless=False, seconds=seconds, mute=True, level=level_for(parts))
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
    done_s = [t for est in timed for t in est.done_s]
    steady = [ms for ms, t in zip(infer_ms, done_s, strict=True) if t >= probe.warmup_until_s]
    result["tracker_ms_p50"], result["tracker_ms_p95"] = _pct(steady, 50), _pct(steady, 95)
    result.update(found_pct(found, parts))
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
        "process_cpu_cores": round((probe.cpu_s[-1] - probe.cpu_s[0]) / steady_s, 2),
        "loop_cpu_ms_per_frame": round(
            (probe.loop_cpu_s[-1] - probe.loop_cpu_s[0]) / max(len(probe.flips_s) - 1, 1) * 1e3, 2
        ),
        "landmark_age_p50_ms": _pct(probe.ages_ms, 50),
        "landmark_age_p95_ms": _pct(probe.ages_ms, 95),
        **shown_split(probe.ages_ms, probe.shown_times),
        "video_age_p50_ms": _pct(probe.video_ages_ms, 50),
        "video_age_p95_ms": _pct(probe.video_ages_ms, 95),
        "steady_s": round(steady_s, 2),
        "frames_with_pose": len(probe.ages_ms),
        "frames_drawn": frames_drawn,
        "video_frames_dropped": int(getattr(video, "dropped", -1)),
        "scenes_seen": sorted(probe.tops),
    }


def shown_split(ages_ms: list[float], shown_times: list[int]) -> dict[str, float]:
    """Landmark age p95 on the flips that show a pose for the first time and on those that show
    it again (with a 30 Hz tracker and 60 Hz frames the second showing is a frame older), and
    the share of flips showing a pose a third time or more (a late pose)."""
    ages, times = np.asarray(ages_ms), np.asarray(shown_times)
    return {
        "landmark_age_first_p95_ms": _pct(list(ages[times == 1]), 95),
        "landmark_age_again_p95_ms": _pct(list(ages[times >= 2]), 95),
        "pose_shown_3x_pct": round(100.0 * float(np.mean(times >= 3)), 1) if len(times) else float("nan"),
    }


def decoded_frames(clip: Path, n: int) -> list[np.ndarray]:
    """The first ``n`` frames of the clip as decoded, i.e. what the pipeline's tracker saw."""
    return read_frames(clip, 0, n)[0]


def bare_tracker(
    frames: list[np.ndarray], parts: frozenset[str], hands: HandsConfig, parallel: bool, warmup: int = 15
) -> tuple[float, float, float]:
    """Back-to-back tracker calls on the same decoded frames: the tracker's ceiling, and its
    CPU milliseconds per frame (all threads; little affected by other programs' load)."""

    est = MediaPipeTracker(hands_config=hands, parallel=parallel)
    for i, f in enumerate(frames[:warmup]):
        est.process_parts(Picture(i + 1, 0.0, f), parts)
    times_ms = []
    t0, cpu0 = time.perf_counter(), time.process_time()
    for i, f in enumerate(frames[warmup:]):
        t1 = time.perf_counter()
        est.process_parts(Picture(warmup + i + 1, 0.0, f), parts)
        times_ms.append((time.perf_counter() - t1) * 1e3)
    n = len(frames) - warmup
    hz = n / (time.perf_counter() - t0)
    cpu_ms = (time.process_time() - cpu0) / n * 1e3
    est.close()
    return round(hz, 2), _pct(times_ms, 50), round(cpu_ms, 2)


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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10.0, help="clip length and run time")
    p.add_argument("--track", choices=sorted(TRACKS), default="body", help="models the tracker runs")
    p.add_argument("--source-fps", type=int, choices=(30, 60), default=30, help="the clip's frame rate")
    p.add_argument("--picture", choices=("auto", "astronaut", "person"), default="auto")
    p.add_argument("--hand-model", choices=("full", "lite"), default="full")
    p.add_argument(
        "--sequential", action="store_true", help="hands/face after the pose, not beside it on a thread"
    )
    args = p.parse_args(argv)
    if not args.seconds > 1:
        p.error("--seconds must be more than 1")
    if args.picture == "auto":
        args.picture = "astronaut" if args.track == "body" else "person"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    parts, fps = TRACKS[args.track], float(args.source_fps)
    hands = HandsConfig(model_complexity=HAND_FULL if args.hand_model == "full" else HAND_LITE)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        clip = home / "clip.avi"
        n = write_clip(clip, args.seconds + WARMUP_S + TAIL_S, fps, args.picture)
        result: dict[str, object] = {
            "benchmark": "pipeline",
            "track": args.track,
            "picture": args.picture,
            "hand_model": args.hand_model if "hands" in parts else None,
            "parts_in_parallel": not args.sequential,
            "frame_size": "640x480",
            "level": level_for(parts),
            "clip_frames": n,
            "clip_fps": fps,
            "cpu_count": os.cpu_count(),
            "load_avg_1min_before": round(os.getloadavg()[0], 2),
        }
        result.update(run_app(clip, args.seconds, home, parts, hands, not args.sequential))
        bare = bare_tracker(decoded_frames(clip, min(n, 315)), parts, hands, not args.sequential)
        result["bare_tracker_hz"], result["bare_tracker_ms_p50"], result["bare_tracker_cpu_ms"] = bare
        result["mirror_ms_1280x720_p50"] = mirror_ms()
        result["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
