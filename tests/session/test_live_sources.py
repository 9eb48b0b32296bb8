"""Sources behind the PoseSource protocol as the command line wires them: a real-photo video
through ``main.py --video --fast --record`` to the end, replays with tracking gaps, camera
loss on the play screen, recording the demo without losing its steering, bad paths."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.app import App
from game.launch import ensure_demo_patient, open_source
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import PlayScene
from game.session.run import SessionRun
from game.settings import Settings
from game.storage import open_database
from game.tracking.live import GameClockVideo, Recorded, WallClock, record
from game.tracking.pose import PoseFrame, SourceStatus, Steerable
from game.tracking.recorder import Recording, load_recording, save_recording
from game.tracking.replay import ReplaySource
from game.tracking.simulated import MILD, SimulatedPatient
from game.tracking.testimages import astronaut_frame

ROOT = Path(__file__).resolve().parents[2]
N_FRAMES, FPS = 40, 30.0


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MIRRORPLAY_HOME"] = str(home)
    return env


def photo_video(path: Path) -> Path:
    """The astronaut moving right by 3 px per frame and growing slowly (MJPG .avi)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 480))
    assert writer.isOpened()
    for i in range(N_FRAMES):
        writer.write(astronaut_frame(640, 480, shift_px=3.0 * i, scale=0.85 + 0.003 * i))
    writer.release()
    return path


def test_headless_video_runs_to_the_end_and_records(tmp_path: Path) -> None:
    video = photo_video(tmp_path / "clip.avi")
    out = tmp_path / "out.npz"
    res = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--headless",
            "--video",
            str(video),
            "--fast",
            "--record",
            str(out),
            "--seconds",
            "60",
        ],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    # nothing on the terminal: not even TensorFlow Lite's and MediaPipe's start-up lines
    # ("Created TensorFlow Lite XNNPACK delegate", absl warnings; game/tracking/quiet.py)
    assert res.stderr == "", res.stderr
    rec = load_recording(out)
    assert len(rec) == N_FRAMES  # every frame, none skipped, and the run stopped at the end
    assert np.allclose(np.diff(rec.t_s), 1 / FPS)  # game time at the file's frame rate
    nose = rec.image[:, 0, 0]
    assert np.all(np.isfinite(nose))
    # 3 px/frame over 39 frames = 117 px = 0.18 of the width, to the right of the raw picture.
    assert nose[-1] - nose[0] == pytest.approx(117 / 640, abs=0.03)
    db = next(tmp_path.rglob("*.db"))
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT id, guest FROM patients").fetchall()
        (n_sessions,) = con.execute("SELECT COUNT(*) FROM sessions WHERE patient_id = 'guest'").fetchone()
    finally:
        con.close()
    assert rows == [("guest", 1)]  # results went to the hidden guest, no real patient
    assert n_sessions == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--video", "missing.mp4"], "--video"),
        (["--replay", "rec.txt"], "--replay"),
        (["--replay", "missing.npz"], "--replay"),
        (["--demo", "--record", "out.csv"], "--record"),
        (["--demo", "--record", "no/such/folder/out.npz"], "--record"),
        (["--demo", "--fast"], "--fast"),
    ],
)
def test_bad_source_paths_get_one_line_and_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--headless", *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in res.stderr


def test_unreadable_recording_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--headless", "--replay", str(bad)],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2 and "bad.npz" in res.stderr and "Traceback" not in res.stderr


def test_recording_the_demo_keeps_it_steerable_and_saves(tmp_path: Path) -> None:
    settings = Settings(demo=True, headless=True, record=tmp_path / "demo.npz")
    opened = open_source(settings)
    source, size = opened.source, opened.frame_size
    assert isinstance(source, Recorded) and isinstance(source, Steerable)
    assert opened.simulated_side == "left"  # the wrapped simulated patient's side reaches the demo
    for i in range(10):
        source.poll(i / 30.0)
    source.close()
    assert len(load_recording(tmp_path / "demo.npz")) == 10
    assert size == (1280, 720)


def test_clocks_live_sources_wall_replays_game() -> None:
    sim = SimulatedPatient()
    assert WallClock(sim).uses_wall_clock
    assert not record(sim, "x.npz").uses_wall_clock
    assert record(WallClock(sim), "x.npz").uses_wall_clock
    assert not GameClockVideo(sim, 30.0).uses_wall_clock


def _play_scene(tmp_path: Path, source) -> tuple[App, PlayScene, Window, object]:
    db = open_database(tmp_path / "p.db")
    window = Window(headless=True)
    app = App(
        settings=Settings(headless=True, mute=True, level="reach-apples"),
        window=window,
        db=db,
        source=source,
        frame_size=(1280, 720),
        levels=load_all(),
    )
    app.patient = ensure_demo_patient(db, "left")
    return app, PlayScene(app, SessionRun.begin(app)), window, db


def test_replay_gap_shows_step_into_view_and_pauses_the_level(tmp_path: Path, monkeypatch) -> None:
    sim = SimulatedPatient(MILD, seed=4)
    frames = [sim.poll(i / 30.0) for i in range(180)]
    frames = [f if not 60 <= i < 120 else PoseFrame.missing(f.t_s) for i, f in enumerate(frames)]
    save_recording(
        Recording(
            np.array([f.t_s for f in frames]),
            np.stack([f.image for f in frames]),
            np.stack([f.world for f in frames]),
        ),
        tmp_path / "gap.npz",
    )
    app, scene, window, db = _play_scene(tmp_path, ReplaySource(tmp_path / "gap.npz"))
    said: list[str] = []
    monkeypatch.setattr(scene, "_draw_pause", lambda surface, msg: said.append(str(msg)))
    try:
        paused = []
        for _ in range(int(5.5 / app.dt_s)):
            scene.update(app.dt_s)
            app.t_s += app.dt_s
            paused.append(bool(scene.exercise.view().hud.paused))
            if len(paused) in (int(3.2 / app.dt_s), int(5.0 / app.dt_s)):
                scene.draw(window.surface)
    finally:
        window.close()
        db.close()
    step = app.dt_s
    assert not any(paused[int(0.5 / step) : int(1.9 / step)])  # tracked: playing
    assert all(paused[int(2.6 / step) : int(3.9 / step)])  # gap (2-4 s) + 0.5 s stale: paused
    assert not any(paused[int(4.3 / step) :])  # back in view: playing again
    assert said == ["Step into view"]


class LosingCamera:
    """A fake live source that loses its device for a while, then comes back."""

    uses_wall_clock = False
    name = "camera (fake)"

    def __init__(self) -> None:
        self.sim = SimulatedPatient(MILD, seed=5)
        self.lost = False

    def poll(self, now_s: float):
        frame = self.sim.poll(now_s)
        return None if self.lost else frame

    def picture(self):
        return None

    def status(self) -> SourceStatus:
        return SourceStatus.DEVICE_LOST if self.lost else SourceStatus.OK

    def close(self) -> None:
        pass


def test_camera_loss_pauses_with_a_clear_message_and_resumes(tmp_path: Path, monkeypatch) -> None:
    cam = LosingCamera()
    app, scene, window, db = _play_scene(tmp_path, cam)
    said: list[str] = []
    monkeypatch.setattr(scene, "_draw_pause", lambda surface, msg: said.append(str(msg)))

    def run(seconds: float) -> None:
        for _ in range(int(seconds / app.dt_s)):
            scene.update(app.dt_s)
            app.t_s += app.dt_s

    try:
        run(1.0)
        recorded = len(scene.run.recorder)
        cam.lost = True
        run(1.0)
        assert scene.exercise.view().hud.paused
        scene.draw(window.surface)
        assert said and "Camera lost" in said[-1]
        cam.lost = False
        run(1.0)
        assert not scene.exercise.view().hud.paused
        assert len(scene.run.recorder) > recorded  # data kept, recording goes on
        assert not scene.run.closed
    finally:
        window.close()
        db.close()
