"""Playing a level headless through the real App loop with the simulated patient (test helper)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.app import App
from game.launch import ensure_demo_patient
from game.levels import LevelSpec, load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import open_database
from game.storage.records import utc_now
from game.tracking.pose import PoseSource
from game.tracking.simulated import PatientModel, SimulatedPatient


@dataclass
class Played:
    reps: list
    sessions: list
    level_results: list


def play(
    model: PatientModel,
    db_path: Path,
    *,
    seconds: float = 40.0,
    level: str = "reach-apples",
    seed: int = 1,
    levels: dict[str, LevelSpec] | None = None,
    patient_settings: dict | None = None,
    source: PoseSource | None = None,
) -> Played:
    """Play one level (of ``levels``, default the shipped ones) as the demo patient (with these
    ``patient_settings``; from this pose ``source``, default the simulated ``model``)."""
    settings = Settings(
        demo=True, headless=True, seconds=seconds, level=level, db=db_path, mute=True, seed=seed
    )
    source = source or SimulatedPatient(model, seed=seed)
    db = open_database(db_path)
    window = Window(headless=True)
    try:
        app = App(
            settings=settings,
            window=window,
            db=db,
            source=source,
            frame_size=source.frame_size,
            levels=load_all() if levels is None else levels,
        )
        app.patient = ensure_demo_patient(db, model.affected_side)
        if patient_settings:
            db.update_patient_settings("demo", patient_settings, who="test", reason="test", at=utc_now())
            app.patient = db.get_patient("demo") or app.patient
        assert app.run(start_play(app)) == 0
        sessions = db.sessions("demo")
        reps = db.reps(sessions[0].id)
        results = db.level_results(sessions[0].id)
    finally:
        window.close()
        db.close()
    return Played(reps, sessions, results)
