"""The current patient changes only through the scene stack: choosing a patient, and saving the
settings or plan of the patient who is playing, hand the new record to the app."""

from __future__ import annotations

import pytest

from game.actions import Act, Action
from game.app import App
from game.scenes.base import ChoosePatient, Push, SceneStack
from game.scenes.menus import PatientSelectScene
from game.scenes.play import SessionStart
from game.scenes.therapist_plan import PlanEditorScene
from game.scenes.therapist_settings import SettingsEditorScene
from tests.scenes.test_therapist_screens import act, add_patient, focus_row


def test_choosing_a_patient_goes_through_the_stack(app: App) -> None:
    add_patient(app, "p1")
    scene = PatientSelectScene(app)
    choice = scene.handle(Action(Act.SELECT))
    assert isinstance(choice, ChoosePatient) and choice.patient.id == "p1"
    assert app.patient is None  # choosing is a request, not an assignment
    stack = SceneStack(scene, choose_patient=app.choose_patient)
    stack.apply(choice)
    assert app.patient is not None and app.patient.id == "p1"
    assert isinstance(stack.top, SessionStart)  # built after the change: it plays as p1


def test_a_stack_without_a_patient_hook_refuses_a_choice(app: App) -> None:
    patient = add_patient(app, "p1")
    stack = SceneStack(PatientSelectScene(app))
    with pytest.raises(RuntimeError, match="patient"):
        stack.apply(ChoosePatient(patient))


def test_saving_the_playing_patients_settings_refreshes_the_app(app: App) -> None:
    app.patient = add_patient(app, "p1")
    editor = SettingsEditorScene(app, app.patient)
    stack = SceneStack(editor, choose_patient=app.choose_patient)
    focus_row(editor, "dwell_s")
    act(editor, Act.RIGHT, Act.RIGHT)
    focus_row(editor, "__save")
    stack.apply(editor.handle(Action(Act.SELECT)))
    assert str(editor.message) == "Saved 1 change."
    assert app.patient.settings["dwell_s"] == pytest.approx(1.2)  # the next session uses it


def test_saving_another_patients_plan_leaves_the_playing_patient(app: App) -> None:
    app.patient = playing = add_patient(app, "p1")
    other = add_patient(app, "p2")
    for patient, follows in ((other, False), (playing, True)):
        editor = PlanEditorScene(app, patient)
        add = len(editor.steps) + [b[0] for b in editor.BUTTONS].index("add")
        save = add + [b[0] for b in editor.BUTTONS].index("save")
        while editor.focus != add:
            act(editor, Act.DOWN)
        act(editor, Act.SELECT)
        while editor.focus != save + 1:  # the new step moved the buttons down by one
            act(editor, Act.DOWN)
        out = editor.handle(Action(Act.SELECT))
        assert str(editor.message) == "Plan saved."
        assert isinstance(out, ChoosePatient) is follows and not isinstance(out, Push)
        if follows:
            assert isinstance(out, ChoosePatient) and out.patient.settings["plan"]
    assert app.patient is playing  # nothing changed it behind the stack's back
