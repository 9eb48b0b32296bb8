"""Re-render docs/languages/<code>/*.png: the screens in every shipped language (headless).

    uv run tools/render_languages.py [docs/languages]

The title, patient choice, calibration (the simulated patient, measured by the real scene),
the family progress screen and the therapist's settings editor, each drawn with the real
scenes in each language. (The play and results screens' words are marked and translated too;
they are not rendered here yet.)
"""
# ruff: noqa: E402  (SDL drivers must be chosen before pygame is imported)

import os
import sys
import tempfile
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pygame

from game import i18n
from game.scenes.calibration import CalibrationScene
from game.scenes.menus import PatientSelectScene, TitleScene
from game.scenes.progress import FamilyProgressScene
from game.scenes.therapist import TherapistHomeScene
from game.scenes.therapist_settings import SettingsEditorScene
from tests.history import TODAY, make_history
from tests.scenes.test_therapist_screens import focus_row, make_app

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/languages")


def main() -> None:
    app, close = make_app(Path(tempfile.mkdtemp()))
    surface = app.window.surface
    make_history(app.db, "p1", weeks=3)
    patient = app.db.get_patient("p1")
    assert patient is not None
    app.choose_patient(patient)
    calibration = CalibrationScene(app, patient)
    for _ in range(int(4.0 / app.dt_s)):  # into the arm moves, with the live picture of the body
        calibration.update(app.dt_s)
        app.t_s += app.dt_s
    editor = SettingsEditorScene(app, patient)
    focus_row(editor, "language")
    family = FamilyProgressScene(app, patient, today=TODAY)
    screens = {"1_title": TitleScene(app), "2_who_is_playing": PatientSelectScene(app),
               "3_calibration": calibration, "4_family_progress": family,
               "5_therapist_patients": TherapistHomeScene(app), "6_therapist_settings": editor}  # fmt: skip
    for code in i18n.LANGUAGES:
        for name, scene in screens.items():
            with i18n.using(code):
                scene.draw(surface)
            (OUT / code).mkdir(parents=True, exist_ok=True)
            pygame.image.save(surface, str(OUT / code / f"{name}.png"))
    close()


if __name__ == "__main__":
    main()
