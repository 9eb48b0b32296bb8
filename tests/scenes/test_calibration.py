"""Calibration: guidance, measurements against the simulated patient's known body, the Body
levels get, and the scene run hands-free through the real loop with the simulated patient."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.app import App
from game.calibration import (
    body_from_calibration,
    calibration_values,
    guidance,
    range_deg,
)
from game.i18n import N_
from game.launch import ensure_demo_patient
from game.levels import load_all
from game.render.window import Window
from game.scenes.calibration import CalibrationScene
from game.settings import Settings
from game.storage import open_database
from game.tracking import pose as P
from game.tracking.simulated import MILD, PatientModel, SimulatedPatient


def sim_frames(model: PatientModel = MILD, n: int = 30) -> list:
    src = SimulatedPatient(model, seed=3)
    return [src.poll(i / 30.0) for i in range(n)]


def test_guidance_ready_for_a_well_framed_patient() -> None:
    frame = sim_frames(n=1)[0]
    assert guidance(frame.image, mean_luma=120.0) is None


def test_guidance_names_the_problem() -> None:
    img = sim_frames(n=1)[0].image.copy()
    assert guidance(None) == N_("Step into view")
    assert guidance(img, mean_luma=10.0) == N_("More light")
    wide = img.copy()
    wide[:, 0] = 0.5 + (wide[:, 0] - 0.5) * 4.0  # 4x closer: shoulders fill the picture
    assert guidance(wide) == N_("Move back")
    tiny = img.copy()
    tiny[:, :2] = 0.5 + (tiny[:, :2] - 0.5) * 0.3
    assert guidance(tiny) == N_("Come closer")
    hidden = img.copy()
    hidden[P.L_WRIST, 3] = 0.1
    assert guidance(hidden) in (N_("Show both arms"), N_("More light"))


def test_lengths_match_the_simulated_body() -> None:
    frames = sim_frames()
    image = np.stack([f.image for f in frames])
    world = np.stack([f.world for f in frames])
    v = calibration_values((image, world), {}, "left", (1280, 720))
    # Model: shoulders 0.38 m, upper arm 0.30 m, forearm 0.26 m; sensor noise 2 mm per point.
    assert v["shoulder_width_m"] == pytest.approx(0.38, abs=0.005)
    assert v["upper_arm_m"] == pytest.approx(0.30, abs=0.005)
    assert v["forearm_m"] == pytest.approx(0.26, abs=0.005)
    assert np.isnan(v["range_up_deg"])


@pytest.mark.parametrize(("phase", "deg"), [("up", 120.0), ("out", 75.0), ("forward", 60.0)])
def test_range_is_the_known_shoulder_angle(phase: str, deg: float) -> None:
    world = np.zeros((5, 33, 4))
    world[..., 3] = 1.0
    world[:, P.L_HIP, :3] = [0.1, 0.0, 0.0]
    world[:, P.R_HIP, :3] = [-0.1, 0.0, 0.0]
    world[:, P.L_SHOULDER, :3] = [0.2, -0.5, 0.0]
    world[:, P.R_SHOULDER, :3] = [-0.2, -0.5, 0.0]
    a = np.radians(deg)
    # Right arm (the good arm when the left is affected): lateral is -x, anterior is -z.
    direction = {
        "up": [-np.sin(a), np.cos(a), 0.0],
        "out": [-np.sin(a), np.cos(a), 0.0],
        "forward": [0.0, np.cos(a), -np.sin(a)],
    }[phase]
    world[:, P.R_ELBOW, :3] = world[:, P.R_SHOULDER, :3] + 0.3 * np.array(direction)
    assert range_deg(world, "right", phase) == pytest.approx(deg, abs=0.01)


def _values() -> dict[str, float]:
    return {
        "l_shoulder_x_norm": 0.6,
        "l_shoulder_y_norm": 0.4,
        "r_shoulder_x_norm": 0.4,
        "r_shoulder_y_norm": 0.4,
        "arm_norm": 0.3,
        "arm_m": 0.6,
    }


def test_body_from_calibration_puts_the_affected_shoulder_right() -> None:
    left = body_from_calibration(_values(), "left", (1000, 500))
    right = body_from_calibration(_values(), "right", (1000, 500))
    assert left.shoulder_px == pytest.approx((600.0, 200.0))  # patient's left = larger raw x
    assert right.shoulder_px == pytest.approx((400.0, 200.0))
    assert left.shoulder_width_px == pytest.approx(200.0)
    assert left.arm_px == pytest.approx(300.0)
    assert left.mid_shoulder_px == pytest.approx((500.0, 200.0))
    assert left.arm_m == 0.6
    double = body_from_calibration(_values(), "left", (2000, 1000))
    assert double.arm_px == pytest.approx(2 * left.arm_px)


def test_body_from_calibration_names_a_missing_value() -> None:
    bad = _values()
    del bad["arm_norm"]
    with pytest.raises(ValueError, match="arm_norm"):
        body_from_calibration(bad, "left", (640, 480))


def run_scene(tmp_path: Path, model: PatientModel, seconds: float = 60.0):
    db = open_database(tmp_path / "c.db")
    src = SimulatedPatient(model, seed=2)
    window = Window(headless=True)
    try:
        app = App(
            settings=Settings(demo=True, headless=True, seconds=seconds, mute=True, db=tmp_path / "c.db"),
            window=window,
            db=db,
            source=src,
            frame_size=src.frame_size,
            levels=load_all(),
        )
        patient = ensure_demo_patient(db, model.affected_side)
        done: list = []
        scene = CalibrationScene(app, patient, on_done=done.append)
        app.run(scene)
        stored = db.latest_calibration(patient.id)
    finally:
        window.close()
        db.close()
    return app, done, stored


@pytest.mark.parametrize("side", ["left", "right"])
def test_scene_calibrates_the_simulated_patient_hands_free(tmp_path: Path, side: str) -> None:
    model = PatientModel(affected_side=side)  # type: ignore[arg-type]
    app, done, stored = run_scene(tmp_path, model)
    assert len(done) == 1 and stored is not None
    assert app.t_s < 59.0  # finished by itself, no key pressed
    v = stored.values
    assert v["upper_arm_m"] == pytest.approx(0.30, abs=0.01)
    assert v["forearm_m"] == pytest.approx(0.26, abs=0.01)
    assert v["range_up_deg"] > 90.0 and v["range_out_deg"] > 60.0
    body = body_from_calibration(stored, side, (1280, 720))  # type: ignore[arg-type]
    mid_x = body.mid_shoulder_px[0]
    assert (body.shoulder_px[0] > mid_x) == (side == "left")


def test_one_key_saves_and_escape_saves_nothing(tmp_path: Path) -> None:
    from game.actions import Act, Action
    from game.scenes.base import Pop

    db = open_database(tmp_path / "k.db")
    src = SimulatedPatient(MILD, seed=2)
    window = Window(headless=True)
    try:
        app = App(
            settings=Settings(demo=True, headless=True, mute=True),
            window=window,
            db=db,
            source=src,
            frame_size=src.frame_size,
            levels=load_all(),
        )
        patient = ensure_demo_patient(db, "left")
        scene = CalibrationScene(app, patient)
        assert scene.handle(Action(Act.BACK)) == Pop(None)
        assert db.latest_calibration(patient.id) is None
        for _ in range(int(4 / app.dt_s)):  # ready + still
            app.t_s += app.dt_s
            scene.update(app.dt_s)
        assert scene.step == "up"
        for _ in PHASES_SKIPPED:
            scene.handle(Action(Act.SELECT))
        assert scene.step == "done"
        tr = scene.handle(Action(Act.SELECT))
        assert isinstance(tr, Pop) and tr.result is not None
        assert db.latest_calibration(patient.id) is not None
    finally:
        window.close()
        db.close()


PHASES_SKIPPED = ("up", "out", "forward")
