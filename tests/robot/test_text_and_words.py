"""Issue 11 items 14 and 15: the patient's text size on every screen the patient reads, and
words a user can understand (which arm, what was not measured, no code words)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from game.render import theme as T
from game.scenes.base import Push
from game.scenes.calibration import CalibrationScene
from game.scenes.checkin import PainCheckScene, RestScene
from game.scenes.menus import PatientSelectScene, TitleScene
from game.scenes.play import start_play
from game.scenes.progress import FamilyCodeScene, FamilyProgressScene
from game.therapist.settings_schema import settings_of
from tests.robot.driver import Robot
from tests.robot.helpers import top_name
from tests.robot.screens import screen_classes
from tests.robot.world import ANN

RobotMaker = Callable[..., Robot]
BIG = 1.6


def _scales_while_drawing(r: Robot, monkeypatch: pytest.MonkeyPatch) -> set[float]:
    """The text scales every piece of text on the top screen is drawn at, in one frame."""
    used: set[float] = set()
    original = T.font

    def font(size: int, bold: bool = False, text: str = "") -> object:
        used.add(T.get_text_scale())
        return original(size, bold, text)

    monkeypatch.setattr(T, "font", font)
    r.top.draw(r.app.window.surface)
    monkeypatch.setattr(T, "font", original)
    return used


def _ann_reads_big(r: Robot) -> None:
    ann = r.db.get_patient(ANN)
    assert ann is not None
    big = settings_of(ann).with_change("text_scale", BIG)
    r.db.update_patient_settings(ANN, big.to_mapping(), who="therapist", reason="low vision",
                                 at="2026-03-20T09:00:00Z")  # fmt: skip
    r.app.patient = r.db.get_patient(ANN)


PATIENT_SCREENS = {
    "TitleScene": lambda app: TitleScene(app),
    "PatientSelectScene": lambda app: PatientSelectScene(app),
    "PainCheckScene": lambda app: PainCheckScene(app, "before"),
    "RestScene": lambda app: RestScene(app, 30.0),
    "CalibrationScene": lambda app: CalibrationScene(app, app.patient),
    "FamilyProgressScene": lambda app: FamilyProgressScene(app, app.patient),
}
"""Screens the patient reads, opened for Ann (the play and results screens are checked in
a session below)."""


def test_every_patient_screen_is_marked_and_no_therapist_screen_is() -> None:
    """The screens that follow the patient's text size are the ones marked ``for_patient``."""
    marked = {c.__name__ for c in screen_classes() if c.for_patient}
    assert set(PATIENT_SCREENS) | {"PlayScene", "ResultsScene", "AfterCheckScene", "FamilyCodeScene",
                                   "NoCameraScene"} <= marked  # fmt: skip
    assert not {n for n in marked if n.startswith(("Therapist", "Pin", "Settings", "Plan"))}


@pytest.mark.parametrize("name", sorted(PATIENT_SCREENS))
def test_patient_screens_follow_the_text_size(
    robot: RobotMaker, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 14: "Text size (for low vision)" = 1.6 makes every word on the screen larger."""
    r = robot()
    _ann_reads_big(r)
    assert r.app.stack is not None
    r.app.stack.apply(Push(PATIENT_SCREENS[name](r.app)))
    r.frames(2)
    assert top_name(r) == name
    scales = _scales_while_drawing(r, monkeypatch)
    assert scales == {BIG}, f"{name} draws words at {scales}, not the patient's {BIG}"


def test_play_and_results_follow_the_text_size(robot: RobotMaker, monkeypatch: pytest.MonkeyPatch) -> None:
    r = robot(first=start_play, settings={"level": "reach-apples", "patient": ANN})
    _ann_reads_big(r)
    r.frames(2)
    assert _scales_while_drawing(r, monkeypatch) == {BIG}  # the pain check
    r.key("return")
    r.wait_s(2.0)
    assert top_name(r) == "PlayScene" and _scales_while_drawing(r, monkeypatch) == {BIG}
    r.key("escape")
    r.key("escape")
    r.key("return")
    assert top_name(r) == "ResultsScene" and _scales_while_drawing(r, monkeypatch) == {BIG}
    assert FamilyCodeScene.for_patient


def test_calibration_names_the_arm(robot: RobotMaker) -> None:
    """Item 14: "Raise your good arm up" says which arm: Ann's good arm is her right."""
    r = robot(settings={"patient": ANN})
    scene = CalibrationScene(r.app, r.app.patient)
    scene.step = "up"
    assert "right arm" in str(scene.title) and "good" not in str(scene.title)


def test_skipping_every_move_saves_no_range_and_says_so(robot: RobotMaker) -> None:
    """Item 14: Enter on every arm move skips it; the results say "not measured" for them
    and no made-up range (13 deg) is saved."""
    r = robot(settings={"patient": ANN}, first=lambda app: TitleScene(app))
    r.press(next(t for t in r.top.targets() if t.key == "calibrate"), "keys")
    cal = r.top
    assert isinstance(cal, CalibrationScene)
    r.wait_until(lambda: cal.step == "up", 15.0)
    for move in ("up", "out", "forward"):
        assert cal.step == move
        r.wait_s(0.6)  # the arm starts to move
        r.key("return")
    assert cal.step == "done"
    lines = " ".join(cal.result_lines())
    assert lines.count("not measured") == 3, lines
    r.key("return")
    saved = r.db.latest_calibration(ANN)
    assert saved is not None
    assert all(math.isnan(saved.values[f"range_{m}_deg"]) for m in ("up", "out", "forward"))
