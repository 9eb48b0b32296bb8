"""Re-render the leg levels' and standard tests' screenshots in docs/levels/ (headless, with the
simulated patient). Run from the repository: ``uv run python tools/render_leg_docs.py [OUT]``."""
# ruff: noqa: E402  (SDL drivers must be chosen before pygame is imported)

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import date

import pygame

from game.app import App
from game.launch import ensure_demo_patient
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.scenes.progress import FamilyProgressScene
from game.scenes.therapist_review import SessionReviewScene
from game.settings import Settings
from game.storage import open_database
from game.storage.records import utc_now
from game.therapist.leg_results import fall_levels, standard_test_result
from game.tracking.motor import Motor, Posture
from game.tracking.pose import Goal
from game.tracking.simulated import MILD, PatientModel, SimulatedPatient

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/levels")
AGE_SEX = {"age_years": 72, "sex": "female"}


class Faller(SimulatedPatient):
    """Falls once it has stood for a while (the fall alert screenshot)."""

    def __init__(self, model: PatientModel, after_s: float) -> None:
        super().__init__(model, seed=5)
        self.after_s, self.stood, self.fell = after_s, None, False

    def set_goal(self, goal: Motor | Goal | None) -> None:
        now = self._tick / self.model.fps_hz
        if isinstance(goal, Motor) and goal.posture is not None and goal.posture.stand and self.stood is None:
            self.stood = now
        if self.fell or (self.stood is not None and now - self.stood >= self.after_s):
            self.fell, goal = True, Motor(posture=Posture(stand=True, fallen=True))
        super().set_goal(goal)


def shot(name: str, level: str, seconds: float, model: PatientModel = MILD, settings: dict | None = None,
         source: SimulatedPatient | None = None, db_path: Path | None = None) -> None:  # fmt: skip
    """Play ``level`` for ``seconds`` of game time as the demo patient and save the last frame."""
    tmp = Path(tempfile.mkdtemp())
    path = OUT / f"{name}.png"
    db_path = db_path or tmp / "d.db"
    app_settings = Settings(demo=True, headless=True, seconds=seconds, level=level, db=db_path,
                            mute=True, seed=3, screenshot=path)  # fmt: skip
    src = source or SimulatedPatient(model, seed=3)
    db = open_database(db_path)
    window = Window(headless=True)
    try:
        app = App(settings=app_settings, window=window, db=db, source=src, frame_size=src.frame_size,
                  levels=load_all())  # fmt: skip
        app.patient = ensure_demo_patient(db, model.affected_side)
        if settings:
            db.update_patient_settings("demo", settings, who="docs", reason="screenshots", at=utc_now())
            app.patient = db.get_patient("demo") or app.patient
        app.run(start_play(app))
    finally:
        window.close()
        db.close()
    print("wrote", path)


OUT.mkdir(parents=True, exist_ok=True)
shot("sit_to_stand", "sit-to-stand", 14.0)
shot("sit_to_stand-side", "sit-to-stand", 16.0, replace(MILD, view_yaw_deg=90.0))
shot("squat", "squat", 16.5)
shot("march", "march-high", 14.0)
shot("leg_mirror", "leg-mirror-knee", 13.2)
shot("step-back", "squat", 3.6)
shot("test-instructions", "test-chair-stand", 9.0)
shot("test-chair-stand", "test-chair-stand", 30.0)
shot("test-result", "test-chair-stand", 45.0, settings=AGE_SEX)
shot("test-one-leg", "test-one-leg", 25.0)
shot("test-reach", "test-functional-reach", 17.0)
shot("fall-alert", "squat", 13.0, source=Faller(MILD, after_s=6.0))


def review_shots(therapist: Path, family: Path) -> None:
    """The therapist's session page after a test and after a fall; the family screen's sentence."""
    db_path = Path(tempfile.mkdtemp()) / "review.db"
    shot("_tmp-test", "test-chair-stand", 55.0, settings=AGE_SEX, db_path=db_path)
    shot("_tmp-fall", "squat", 16.0, source=Faller(MILD, after_s=6.0), db_path=db_path)
    for tmp in OUT.glob("_tmp-*.png"):
        tmp.unlink()
    settings = Settings(headless=True, db=db_path, mute=True)
    src, db, window = SimulatedPatient(seed=0), open_database(db_path), Window(headless=True)
    try:
        app = App(settings=settings, window=window, db=db, source=src, frame_size=src.frame_size,
                  levels=load_all())  # fmt: skip
        patient = db.get_patient("demo")
        assert patient is not None
        review = SessionReviewScene(app, patient, today=date.today())
        test = next(
            i for i, st in enumerate(review.stats) if any(standard_test_result(r.metrics) for r in st.levels)
        )
        fall = next(i for i, st in enumerate(review.stats) if fall_levels(st.levels))
        for index, name in ((test, "17_review_test.png"), (fall, "18_review_fall.png")):
            review.index = index
            review.draw(window.surface)
            pygame.image.save(window.surface, str(therapist / name))
            print("wrote", therapist / name)
        FamilyProgressScene(app, patient, today=date.today()).draw(window.surface)
        pygame.image.save(window.surface, str(family / "06_progress_test.png"))
        print("wrote", family / "06_progress_test.png")
    finally:
        window.close()
        db.close()


review_shots(OUT.parent / "therapist", OUT.parent / "family")
