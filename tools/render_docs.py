"""Re-render docs/therapist/*.png and docs/family/*.png (run from /work/main with uv run)."""
# ruff: noqa: E402  (SDL drivers must be chosen before pygame is imported)

import os
import sys
import tempfile
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
sys.path.insert(0, ".")
import pygame

from game.actions import Act, Action
from game.therapist.settings_schema import PatientSettings
from tests.history import TODAY, make_history
from tests.scenes.test_therapist_screens import PIN, enter_pin, focus_row, make_app

OUT_T = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/therapist")
OUT_F = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/family")
tmp = Path(tempfile.mkdtemp())
app, close = make_app(tmp)
surf = app.window.surface


def shot(scene, name, out=OUT_T):
    scene.draw(surf)
    out.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surf, str(out / name))


def a(scene, *acts):
    for x in acts:
        scene.handle(Action(x))


from game.scenes.menus import TitleScene
from game.scenes.progress import FamilyProgressScene
from game.scenes.therapist import (
    AddPatientScene,
    ChangePinScene,
    PatientMenuScene,
    PinScene,
    TherapistHomeScene,
)
from game.scenes.therapist_levels import LevelPickScene
from game.scenes.therapist_plan import PlanEditorScene
from game.scenes.therapist_review import AdaptiveLogScene, SessionReviewScene
from game.scenes.therapist_settings import SettingsEditorScene
from game.scenes.therapist_widgets import KeyboardScene

make_history(app.db, "p1", weeks=3)
make_history(app.db, "p2", alias="Joe", weeks=1, seed=2)
shot(TitleScene(app), "00_title.png")
pin = PinScene(app, clock=lambda: 1000.0)
for ch in "24":
    pin.type_char(ch)
shot(pin, "01_pin_first_use.png")
pin.digits = ""
enter_pin(pin, PIN)
enter_pin(pin, PIN)
lock = PinScene(app, clock=lambda: 2000.0)
for _ in range(4):
    enter_pin(lock, "0000")
shot(lock, "02_pin_locked.png")
shot(TherapistHomeScene(app), "03_patients.png")
p = app.db.get_patient("p1")
shot(PatientMenuScene(app, p), "04_patient_menu.png")
ed = SettingsEditorScene(app, p)
focus_row(ed, "dwell_s")
a(ed, Act.RIGHT)
shot(ed, "05_settings_editor.png")
focus_row(ed, "max_shoulder_flexion_deg")
for ch in "200":
    ed.type_char(ch)
a(ed, Act.SELECT)
shot(ed, "06_settings_bad_value.png")
lv = SettingsEditorScene(app, p, level_id="reach-apples")
focus_row(lv, "speed_scale")
a(lv, Act.LEFT)
shot(lv, "07_level_settings.png")
plan = PlanEditorScene(app, p)
shot(plan, "08_plan_editor.png")
rv = SessionReviewScene(app, p, today=TODAY)
shot(rv, "09_session_review.png")
rv.choose("trends")
shot(rv, "10_trends_dose.png")
from game.therapist.adaptive_session import AdaptiveState, record_reps, save_state
from tests.therapist.test_adaptive_session import R

s = PatientSettings()
st = AdaptiveState()
for k, lvl in enumerate(["reach-apples", "trace-fish", "boat-steer", "reach-bubbles"]):
    st, ch = record_reps(st, s, lvl, [R(k % 2 == 0)] * 6, params=app.levels[lvl].kind.adaptive)
    save_state(app.db, "p1", st, ch, at=f"2026-03-1{k}T10:00:00Z")
shot(AdaptiveLogScene(app, p), "11_adaptive_log.png")
kb = KeyboardScene(app, "Name or alias", "Margaret")
shot(kb, "12_keyboard.png")
ad = AddPatientScene(app)
ad.resume("Bo")  # the name, as the on-screen keyboard returns it
shot(ad, "13_add_patient.png")
cp = ChangePinScene(app, clock=lambda: 3000.0)
for ch in PIN:
    cp.type_char(ch)
cp.submit()
for ch in "13":
    cp.type_char(ch)
shot(cp, "14_change_pin.png")
lp = LevelPickScene(app, p)
for _ in range(9):
    a(lp, Act.DOWN)
shot(lp, "15_level_pick_page2.png")
long_plan = [
    {"level": lid, "sets": 1 + i % 3, "reps": 6, "rest_s": 30.0} for i, lid in enumerate(list(app.levels) * 2)
]
app.db.update_patient_settings(
    "p2",
    PatientSettings.from_mapping({**app.db.get_patient("p2").settings, "plan": long_plan}).to_mapping(),
    who="therapist",
    reason="doc",
    at="2026-03-01T00:00:00Z",
)
pe = PlanEditorScene(app, app.db.get_patient("p2"))
for _ in range(14):
    a(pe, Act.DOWN)
shot(pe, "16_plan_editor_paged.png")
# family
shot(FamilyProgressScene(app, p, today=TODAY), "01_progress_screen.png", OUT_F)
q = app.db.get_patient("p2")
shot(FamilyProgressScene(app, q, today=TODAY), "02_progress_two_weeks.png", OUT_F)
big = PatientSettings.from_mapping({**p.settings, "text_scale": 1.6})
app.db.update_patient_settings(
    "p1", big.to_mapping(), who="therapist", reason="doc", at="2026-03-01T00:00:00Z"
)
shot(FamilyProgressScene(app, app.db.get_patient("p1"), today=TODAY), "04_text_scale_max.png", OUT_F)
small = PatientSettings.from_mapping({**p.settings, "text_scale": 1.0})
app.db.update_patient_settings(
    "p1", small.to_mapping(), who="therapist", reason="doc", at="2026-03-01T00:00:00Z"
)
shot(FamilyProgressScene(app, app.db.get_patient("p1"), today=TODAY), "05_text_scale_1.png", OUT_F)
close()
print("ok")
