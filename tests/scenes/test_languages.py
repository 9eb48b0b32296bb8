"""The language of each screen in the real App: the patient's on patient screens, the clinic's
on therapist screens, ``--language`` over both; the voice speaks only to the patient."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from game import i18n
from game.actions import Act
from game.app import App
from game.render.voice import Voice
from game.scenes.base import ChoosePatient, Push, SceneStack
from game.scenes.calibration import CalibrationScene
from game.scenes.menus import TitleScene
from game.scenes.progress import FamilyProgressScene
from game.scenes.therapist import PinScene, TherapistHomeScene
from game.therapist.settings_schema import PatientSettings, SettingsError
from tests.scenes.test_therapist_screens import act, add_patient, make_app


class Said:
    def __init__(self) -> None:
        self.said: list[tuple[str, Voice]] = []

    def say(self, words: str, voice: Voice) -> None:
        self.said.append((words, voice))

    def close(self) -> None:
        pass


def run_frames(app: App, first, frames: int = 3) -> None:  # type: ignore[no-untyped-def]
    app.settings = dataclasses.replace(app.settings, seconds=frames * app.dt_s)
    app.run(first)


def test_patient_screens_follow_the_patient_and_therapist_screens_the_clinic(app: App) -> None:
    app.db.set_meta(i18n.APP_LANGUAGE_KEY, "de")
    ann = add_patient(app, language="ru")
    assert app.language_for(TitleScene(app)) == "de"  # nobody chosen yet: the clinic's
    app.choose_patient(ann)
    assert app.language_for(TitleScene(app)) == "ru"
    assert app.language_for(PinScene(app)) == "de"
    assert app.language_for(FamilyProgressScene(app, ann)) == "ru"
    app.settings = dataclasses.replace(app.settings, language="es")
    assert app.language_for(PinScene(app)) == app.language_for(TitleScene(app)) == "es"


def test_the_loop_activates_the_top_screen_language(app: App) -> None:
    ann = add_patient(app, language="fr")
    app.choose_patient(ann)
    run_frames(app, TitleScene(app))
    assert i18n.active().language == "fr"
    i18n.activate("en")


def test_the_clinic_language_button_cycles_and_saves(app: App) -> None:
    home = TherapistHomeScene(app)
    home.menu.focus = next(i for i, b in enumerate(home.menu.buttons) if b.key == "__lang")
    out = act(home, Act.SELECT)
    assert app.db.get_meta(i18n.APP_LANGUAGE_KEY) == "es"  # after English (the default here)
    assert str(out.scene.menu.buttons[out.scene.menu.focus].key) == "__lang"


def test_patient_language_is_validated_against_the_shipped_ones() -> None:
    assert PatientSettings(language="pt").language == "pt"
    try:
        PatientSettings(language="xx")
    except SettingsError as err:
        assert err.key == "language"
    else:
        raise AssertionError("an unknown language was accepted")


def test_the_voice_speaks_to_the_patient_only_and_in_their_language(tmp_path: Path) -> None:
    app, close = make_app(tmp_path)
    said = Said()
    app.speaker = said
    try:
        ann = add_patient(app, language="de", voice_rate=0.7, voice_volume=0.5)
        app.choose_patient(ann)
        app.stack = SceneStack(TitleScene(app), choose_patient=app.choose_patient)
        app.stack.apply(Push(CalibrationScene(app, ann)))  # it speaks its first step as it enters
        assert said.said and said.said[0][0] == "Setzen Sie sich, wo Sie sich sehen"
        assert said.said[0][1] == Voice("de", 0.7, 0.5)
        app.stack.apply(ChoosePatient(ann, lambda: None))
        n = len(said.said)
        app.stack.scenes.append(PinScene(app))
        app.say("secret")  # a therapist screen is never spoken
        assert len(said.said) == n
        quiet = add_patient(app, "p2", voice=False)
        app.stack.scenes.pop()
        app.choose_patient(quiet)
        app.say("hello")
        assert len(said.said) == n
    finally:
        i18n.activate("en")
        close()
