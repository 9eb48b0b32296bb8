"""The export tests' database: one session played through the real loop by the simulated
patient, on a plan with every level type and one level in two sets (shared by the module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.app import App
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import Patient, Store, open_database
from game.therapist.settings_schema import PatientSettings
from game.tracking.simulated import PatientModel, SimulatedPatient

PLAN = [
    {"level": level, "sets": sets, "reps": reps, "rest_s": 0.0}
    for level, sets, reps in (
        ("reach-apples", 2, 3), ("trace-fish", 1, 1), ("bilateral-tray", 1, 1), ("boat-steer", 1, 1),
        ("stand-steady", 1, 1), ("match-leaf", 1, 2), ("posture-flowers", 1, 1), ("stance-flamingo", 1, 1),
    )
]  # fmt: skip
"""Every level type once (the reach level in two sets of 3): 14 reps in 9 sets."""


def play_plan(db_path: Path, plan: list[dict[str, object]], *, seed: int = 1) -> None:
    """Play `plan` once as the demo patient (affected side left) through the real App loop."""
    model = PatientModel(affected_side="left")
    settings = Settings(demo=True, headless=True, seconds=600, level=None, db=db_path, mute=True, seed=seed)
    source = SimulatedPatient(model, seed=seed)
    patient_settings = PatientSettings(alias="Demo patient", affected_side="left", plan=tuple(plan))  # type: ignore[arg-type]
    patient = Patient("demo", "Demo patient", "left", "2026-01-01T00:00:00Z", patient_settings.to_mapping())
    window = Window(headless=True)
    with open_database(db_path) as db:
        db.add_patient(patient)
        app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
                  levels=load_all())  # fmt: skip
        app.patient = patient
        try:
            assert app.run(start_play(app)) == 0
        finally:
            window.close()


@pytest.fixture(scope="session")
def played_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("played") / "played.db"
    play_plan(path, PLAN)
    return path


@pytest.fixture
def played(played_path: Path) -> Iterator[Store]:
    with open_database(played_path) as db:
        yield db
