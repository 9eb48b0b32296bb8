"""The hand step of calibration: the good hand's size and its open and fist shapes, measured
hands-free through the real loop with the simulated patient, whose hand is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.app import App
from game.calibration import body_from_calibration, hand_values, has_hands
from game.launch import ensure_demo_patient
from game.levels import load_all
from game.render.window import Window
from game.scenes import calibration_hand as C
from game.scenes.calibration import CalibrationScene
from game.scenes.calibration_hand import HandCalibrationScene
from game.scoring import hand as SH
from game.settings import Settings
from game.storage import open_database
from game.storage.records import Calibration
from game.tracking import sim_hands as S
from game.tracking.motor import Fingers
from game.tracking.simulated import MILD, SimulatedPatient


def known_shape(curl: float) -> float:
    """The simulated hand's aperture with every finger at ``curl`` (noise-free)."""
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "right")
    return float(
        SH.hand_aperture_norm(S.hand_points(S.shape_vector(Fingers(curl=(curl,) * 5)), np.zeros(3), frame))
    )


def test_hand_values_of_known_shapes() -> None:
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "right")
    flat = S.hand_points(S.shape_vector(Fingers(curl=(0,) * 5)), np.zeros(3), frame)
    fist = S.hand_points(S.shape_vector(Fingers(curl=(1,) * 5)), np.zeros(3), frame)
    four = lambda p: np.concatenate([p, np.ones((21, 1))], axis=1)[None].repeat(5, axis=0)  # noqa: E731
    v = hand_values(four(flat), four(fist))
    assert v["hand_palm_m"] == pytest.approx(np.hypot(*S.MCP_RU_M["middle"]), abs=1e-9)
    assert v["hand_open_aperture_norm"] == pytest.approx(known_shape(0.0))
    assert v["hand_fist_aperture_norm"] == pytest.approx(known_shape(1.0))
    assert v["hand_fist_closure_deg"] == pytest.approx(sum(S.FIST_DEG), abs=1e-6)
    assert has_hands(v) and not has_hands({"arm_m": 0.6}) and not has_hands(None)
    empty = hand_values(np.zeros((0, 21, 4)), four(fist))
    assert np.isnan(empty["hand_open_aperture_norm"]) and not has_hands(empty)


def run(tmp_path: Path, scene_for, level: str | None = None, seconds: float = 40.0):
    db = open_database(tmp_path / "h.db")
    src = SimulatedPatient(MILD, seed=5)
    window = Window(headless=True)
    try:
        app = App(
            settings=Settings(demo=True, headless=True, seconds=seconds, mute=True, level=level),
            window=window,
            db=db,
            source=src,
            frame_size=src.frame_size,
            levels=load_all(),
        )
        patient = ensure_demo_patient(db, "left")
        app.run(scene_for(app, patient))
        return app, db.latest_calibration(patient.id)
    finally:
        window.close()
        db.close()


def test_the_hand_step_measures_the_simulated_good_hand(tmp_path: Path) -> None:
    base = Calibration("demo", "2026-01-01T00:00:00+00:00", {"arm_m": 0.56})
    app, stored = run(tmp_path, lambda app, p: HandCalibrationScene(app, p, base), seconds=20.0)
    # done by itself, and neither shape waited its whole PHASE_MAX_S (the open one did, when a
    # flat hand's jitter kept it from ever being "held")
    assert stored is not None and app.t_s < C.READY_S + C.PHASE_MAX_S + C.CONFIRM_S
    v = stored.values
    assert v["arm_m"] == 0.56  # the body calibration is kept
    assert v["hand_palm_m"] == pytest.approx(0.095, abs=0.004)
    assert v["hand_open_aperture_norm"] == pytest.approx(known_shape(0.0), abs=0.05)
    assert v["hand_fist_aperture_norm"] == pytest.approx(known_shape(1.0), abs=0.05)
    assert app.source._parts == frozenset({"body"})  # noqa: SLF001 - hands off again when it left


def test_a_plan_with_hand_levels_adds_the_hand_step_to_calibration(tmp_path: Path) -> None:
    app, stored = run(tmp_path, lambda app, p: CalibrationScene(app, p), level="grasp-orange", seconds=50.0)
    assert stored is not None and has_hands(stored)
    body = body_from_calibration(stored, "left", (1280, 720))
    assert body.hand_fist_norm < 0.6 < 1.0 < body.hand_open_norm
    assert stored.values["range_up_deg"] > 90.0  # the body part is there too


class NoHandsSeen(SimulatedPatient):
    """A patient whose hands the tracker never finds (a flaccid hand in the lap, poor light)."""

    def request_parts(self, parts: frozenset[str]) -> None:
        return None


def test_the_hand_step_ends_by_itself_when_no_hand_is_seen(tmp_path: Path) -> None:
    """A patient with only the tracked hand is never kept on this screen: "Show both hands"
    waits PHASE_MAX_S at most, each shape too, then the screen closes without storing a
    calibration that measured nothing."""
    db = open_database(tmp_path / "n.db")
    src = NoHandsSeen(MILD, seed=5)
    window = Window(headless=True)
    base = Calibration("demo", "2026-01-01T00:00:00+00:00", {"arm_m": 0.56})
    try:
        app = App(settings=Settings(demo=True, headless=True, seconds=60.0, mute=True), window=window,
                  db=db, source=src, frame_size=src.frame_size, levels=load_all())  # fmt: skip
        patient = ensure_demo_patient(db, "left")
        app.run(HandCalibrationScene(app, patient, base))
        assert app.t_s < 3 * C.PHASE_MAX_S + C.CONFIRM_S + 1.0, "the screen waited for hands it never saw"
        assert db.latest_calibration(patient.id) is None
        assert app.stack is not None and app.stack.result is base
    finally:
        window.close()
        db.close()
