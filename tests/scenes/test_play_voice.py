"""The play path in the patient's language, drawn and spoken: a level played headless through
the real App with the simulated patient, a recording speaker in place of eSpeak NG, and every
line of text the font draws captured."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from game import i18n
from game.app import App
from game.levels import load_all
from game.render import widgets
from game.render.voice import Voice
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import open_database
from game.storage.records import Patient
from game.therapist.settings_schema import PatientSettings
from game.tracking.simulated import PatientModel, SimulatedPatient
from tests.scenes.test_languages import Said

LEVEL = "reach-apples"
COUNT = {"en": re.compile(r"(\d+) of (\d+)\."), "es": re.compile(r"(\d+) de (\d+)\.")}


@dataclass
class Heard:
    said: list[tuple[str, Voice]]
    drawn: set[str]


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.activate("en")


def play_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, level: str = LEVEL, **patient: object
) -> Heard:
    """One session of ``level`` (pain check, play, pain check, results) by the simulated patient."""
    drawn: set[str] = set()
    real = widgets._rendered

    def rendered(font, s, color):  # type: ignore[no-untyped-def]
        drawn.add(s)
        return real(font, s, color)

    monkeypatch.setattr(widgets, "_rendered", rendered)
    model = PatientModel()
    settings = Settings(demo=True, headless=True, seconds=60.0, level=level, db=tmp_path / "v.db", mute=True)
    source = SimulatedPatient(model, seed=3)
    db = open_database(tmp_path / "v.db")
    window = Window(headless=True)
    recorder = Said()  # writes down what it is asked to say, and in which voice
    try:
        app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
                  levels=load_all())  # fmt: skip
        app.speaker = recorder
        s = PatientSettings(alias="Ann", affected_side=model.affected_side, **patient)  # type: ignore[arg-type]
        ann = Patient("p1", "Ann", model.affected_side, "2026-01-01T00:00:00Z", s.to_mapping())
        db.add_patient(ann)
        app.patient = ann
        assert app.run(start_play(app)) == 0
        assert db.reps(db.sessions("p1")[-1].id), "the simulated patient played no rep"
    finally:
        window.close()
        db.close()
        source.close()
    return Heard(recorder.said, drawn)


def counts(said: list[tuple[str, Voice]], language: str) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for words, _ in said if (m := COUNT[language].search(words))]


def test_the_level_speaks_its_instruction_then_every_count_in_order(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    heard = play_session(tmp_path, monkeypatch)
    spec = load_all()[LEVEL]
    words = [w for w, _ in heard.said]
    assert words[0] == "How does your arm feel?"  # the check-in asks as it opens
    assert words[1] == f"{spec.title}. {spec.instruction}"
    seen = counts(heard.said, "en")
    total = seen[0][1]
    assert len(seen) >= 3 and [done for done, _ in seen] == list(range(1, len(seen) + 1))
    assert all(t == total for _, t in seen)
    assert any(w.startswith(("Great!", "Got it!", "Lovely!", "Well done!")) for w in words)  # praise + count
    assert "How does your arm feel now?" in words  # the check-in after play
    assert words[-1] in ("Keep practising - every rep counts!", "Good work today!", "Great effort!",
                         "Brilliant session!")  # the results' headline  # fmt: skip
    assert all(v.language == "en" for _, v in heard.said)


@pytest.mark.parametrize(
    ("level", "before", "after"),
    [
        ("grasp-orange", "How does your hand feel?", "How does your hand feel now?"),
        ("smile-sunny", "How does your face feel?", "How does your face feel now?"),
    ],
)
def test_the_check_in_asks_about_what_the_session_exercises(  # type: ignore[no-untyped-def]
    tmp_path, monkeypatch, level: str, before: str, after: str
) -> None:
    """A hand or face session does not ask about the arm (it did, for every session)."""
    words = [w for w, _ in play_session(tmp_path, monkeypatch, level=level).said]
    assert words[0] == before and after in words
    assert not any("arm" in w for w in words)


def test_voice_off_says_nothing(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    heard = play_session(tmp_path, monkeypatch, voice=False)
    assert heard.said == []


def test_a_spanish_patient_hears_and_reads_spanish(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    heard = play_session(tmp_path, monkeypatch, language="es")
    spec = load_all()[LEVEL]
    with i18n.using("es") as es:
        title, instruction = es.gettext(spec.title), es.gettext(spec.instruction)
    assert title != spec.title and instruction != spec.instruction
    words = [w for w, _ in heard.said]
    assert words[0] == "¿Cómo siente el brazo?"
    assert words[1] == f"{title}. {instruction}"
    seen = counts(heard.said, "es")
    assert len(seen) >= 3 and [done for done, _ in seen] == list(range(1, len(seen) + 1))
    assert not counts(heard.said, "en")
    assert all(v.language == "es" for _, v in heard.said)
    # drawn: the check-in faces, the play header and count, the praise, the results
    expected = {"Sin dolor", title, instruction, "¡Genial!", "Inicio", "Otra vez"}
    assert expected <= heard.drawn, expected - heard.drawn
    english = {"No hurt", "How does your arm feel?", "Great!", "Home", "Again", spec.title, spec.instruction}
    assert not english & heard.drawn, english & heard.drawn
    assert any(re.fullmatch(r"\d+ de \d+", s) for s in heard.drawn)  # the header's "3 de 6"
