"""Issue 11 items 2, 8 and 9: the therapist's settings editor changes only what the therapist
changed, says why a change is refused, and offers the fix (the real App, keys and mouse)."""

from __future__ import annotations

from collections.abc import Callable

from game.scenes.menus import TitleScene
from game.scenes.play import PlayScene
from tests.robot.driver import Robot
from tests.robot.helpers import as_therapist, centre, click, target, top_name
from tests.robot.world import ANN

RobotMaker = Callable[..., Robot]


def _editor(r: Robot) -> object:
    as_therapist(r)
    click(r, "settings")
    assert top_name(r) == "SettingsEditorScene"
    return r.top


def _focus(r: Robot, key: str) -> None:
    assert r.focus_on(key), f"the keys cannot reach row {key}"


def _save_and_back(r: Robot) -> None:
    _focus(r, "__save")
    r.key("return")
    r.key("escape")


def test_affected_side_saved_is_the_side_shown_and_played(robot: RobotMaker) -> None:
    """Item 2: Affected side = right, Save: the header, the settings and the session all say
    right; saving another field later does not put it back."""
    r = robot()
    editor = _editor(r)
    _focus(r, "affected_side")
    r.key("right")
    assert editor.value("affected_side") == "right"  # type: ignore[attr-defined]
    _save_and_back(r)
    assert top_name(r) == "PatientMenuScene"
    assert r.top.patient.affected_side == "right"  # type: ignore[attr-defined]
    click(r, "settings")
    assert r.top.value("affected_side") == "right"  # type: ignore[attr-defined]
    _focus(r, "reps")
    r.key("right")
    _save_and_back(r)
    log = r.db.change_log(ANN)
    sides = [e for e in log if e.key == "affected_side"]
    assert [(e.old, e.new) for e in sides] == [("left", "right")], "a save of reps changed the side"
    assert r.db.get_patient(ANN).affected_side == "right"  # type: ignore[union-attr]
    r.key("escape")
    r.key("escape")  # the patient list, the title
    assert isinstance(r.top, TitleScene)
    click(r, "play")
    click(r, ANN)
    click(r, "0")  # no pain
    r.wait_until(lambda: isinstance(r.top, PlayScene), 3.0)
    assert isinstance(r.top, PlayScene) and r.top.run.side == "right"


def test_a_renamed_patient_is_shown_by_the_new_name(robot: RobotMaker) -> None:
    """Item 2: rename Ann to Anna on the keyboard screen, Save: the lists say Anna."""
    r = robot()
    _editor(r)
    _focus(r, "alias")
    r.key("return")
    assert top_name(r) == "KeyboardScene"
    r.type_text("na")
    r.key("return")
    _save_and_back(r)
    assert r.top.patient.alias == "Annna"  # type: ignore[attr-defined]
    r.key("escape")
    labels = [str(b.label) for b in r.top.menu.buttons]  # type: ignore[attr-defined]
    assert any(label.startswith("Annna") for label in labels), labels


def test_enter_or_a_click_with_nothing_typed_changes_nothing(robot: RobotMaker) -> None:
    """Item 8: letters then Enter on Max shoulder abduction, or a click on the row's middle,
    never raise the limit; the line below says what to do instead."""
    r = robot()
    editor = _editor(r)
    _focus(r, "max_shoulder_abduction_deg")
    before = editor.value("max_shoulder_abduction_deg")  # type: ignore[attr-defined]
    r.type_text("abc")
    assert "letters" in str(editor.message)  # type: ignore[attr-defined]
    r.key("return")
    assert editor.value("max_shoulder_abduction_deg") == before  # type: ignore[attr-defined]
    click(r, "max_shoulder_abduction_deg")
    assert editor.value("max_shoulder_abduction_deg") == before  # type: ignore[attr-defined]
    assert "<" in str(editor.message)  # type: ignore[attr-defined]
    _save_and_back(r)
    assert not [e for e in r.db.change_log(ANN) if e.key == "max_shoulder_abduction_deg"]


def test_lowering_max_reach_offers_to_lower_what_lies_beyond(robot: RobotMaker) -> None:
    """Item 9: Max reach 0.3 is not refused with a code word: the editor names Target
    distance and the adaptive bound, offers to lower them, and Enter does it."""
    r = robot()
    editor = _editor(r)
    _focus(r, "max_reach_fraction")
    r.type_text("0.3")
    r.key("return")
    message = str(editor.message)  # type: ignore[attr-defined]
    assert "Target distance" in message and "Adaptive target distance" in message, message
    assert "_" not in message, f"a code word on screen: {message}"
    assert editor.value("max_reach_fraction") != 0.3  # type: ignore[attr-defined]
    r.key("return")
    assert editor.value("max_reach_fraction") == 0.3  # type: ignore[attr-defined]
    assert editor.value("target_reach_fraction") == 0.3  # type: ignore[attr-defined]
    assert editor.value("bounds:target_reach_fraction:1") == 0.3  # type: ignore[attr-defined]
    _save_and_back(r)
    stored = r.db.get_patient(ANN).settings  # type: ignore[union-attr]
    assert stored["max_reach_fraction"] == 0.3 and stored["target_reach_fraction"] == 0.3


def test_max_reach_stepped_down_with_the_mouse_offers_the_same(robot: RobotMaker) -> None:
    """Item 9 by mouse: clicking < past the Target distance offers; one more click lowers both."""
    r = robot()
    editor = _editor(r)
    _focus(r, "max_reach_fraction")
    lower = target(r, "max_reach_fraction:<")
    for _ in range(20):
        r.click(centre(lower))
        if "Press again" in str(editor.message):  # type: ignore[attr-defined]
            break
    limit = editor.value("max_reach_fraction")  # type: ignore[attr-defined]
    r.click(centre(lower))
    assert editor.value("max_reach_fraction") < limit  # type: ignore[attr-defined]
    assert editor.value("target_reach_fraction") <= editor.value("max_reach_fraction")  # type: ignore[attr-defined]
