"""Issue 11 items 3, 4, 7, 10, 14 and 15 on the menu and therapist screens (the real App,
keys and mouse)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from game.levels import DEFAULT_PLAN, load_plan
from tests.robot.driver import Robot, levels
from tests.robot.helpers import as_therapist, centre, click, target, top_name
from tests.robot.world import OTHERS, PIN

RobotMaker = Callable[..., Robot]


def test_pin_pad_has_a_back_button(robot: RobotMaker) -> None:
    """Item 4: the PIN pad can be left with the mouse alone."""
    r = robot()
    click(r, "therapist")
    click(r, "back")
    assert top_name(r) == "TitleScene"


def test_enter_on_the_pin_pad_submits_typed_digits(robot: RobotMaker) -> None:
    """Item 7: digits typed on a keyboard, then Enter: the PIN is checked (as on the name
    keyboard, where Enter means OK), not the focused key pressed."""
    r = robot()
    click(r, "therapist")
    r.mouse_away()
    r.type_text(PIN)
    r.key("return")
    assert top_name(r) == "TherapistHomeScene"


@pytest.mark.parametrize("how", ["keys", "click"])
def test_every_patient_can_be_chosen_to_play(robot: RobotMaker, how: str) -> None:
    """Item 3: "Who is playing?" reaches every patient, a page at a time, and its Back is on
    screen."""
    r = robot()
    click(r, "play") if how == "click" else r.press(target(r, "play"), "keys")
    assert top_name(r) == "PatientSelectScene"
    names: set[str] = set()
    for _ in range(4):
        labels = {str(b.label) for b in r.top.menu.buttons}  # type: ignore[attr-defined]
        names |= labels
        for t in r.top.targets():
            assert 0 <= t.rect[1] and t.rect[1] + t.rect[3] <= 720, f"{t.key} is cut off at the bottom"
        more = [t for t in r.top.targets() if t.key == "__more"]
        if "Flo" in labels or not more:
            break
        r.press(more[0], how)
    assert {"Ann", *OTHERS} <= names, names
    flo = next(b for b in r.top.menu.buttons if str(b.label) == "Flo")  # type: ignore[attr-defined]
    r.press(target(r, flo.key), how)
    assert top_name(r) == "PainCheckScene"
    assert r.app.patient is not None and r.app.patient.alias == "Flo"


def test_arrows_follow_the_two_columns_of_the_title(robot: RobotMaker) -> None:
    """Item 10: Right from Play goes to the button on its right (Therapist), not below."""
    r = robot()
    assert r.top.focused() == "play"
    r.key("right")
    assert r.top.focused() == "therapist"
    r.key("left")
    assert r.top.focused() == "play"
    r.key("down")
    assert r.top.focused() == "calibrate"


def _plan_editor(r: Robot) -> object:
    as_therapist(r)
    click(r, "plan")
    assert top_name(r) == "PlanEditorScene"
    return r.top


def test_plan_editor_esc_asks_before_discarding(robot: RobotMaker) -> None:
    """Item 10: Esc with an unsaved plan asks first (as the settings editor does)."""
    r = robot()
    editor = _plan_editor(r)
    r.key("right")  # the first step's level changes
    r.key("escape")
    assert r.top is editor, "Esc threw the changed plan away without asking"
    r.key("escape")
    assert top_name(r) == "PatientMenuScene"


def test_plan_editor_shows_one_focus_ring(robot: RobotMaker) -> None:
    """Item 10: the keyboard focus and the pointer never show two rings at once."""
    r = robot()
    editor = _plan_editor(r)
    r.move(centre(target(r, "save")))
    assert editor.rings() == 1  # type: ignore[attr-defined]
    r.key("up")
    assert editor.rings() == 1  # type: ignore[attr-defined]


def test_an_empty_plan_lists_the_default_plan(robot: RobotMaker) -> None:
    """Item 10: "the default plan is played" names the levels it plays."""
    r = robot()
    editor = _plan_editor(r)
    while editor.steps:  # type: ignore[attr-defined]
        click(r, "remove")
    titles = {str(levels()[e["level"]].title) for e in load_plan(DEFAULT_PLAN, levels())}
    shown = " ".join(editor.empty_lines())  # type: ignore[attr-defined]
    assert all(title in shown for title in titles), shown


def test_a_second_patient_called_ann_is_refused(robot: RobotMaker) -> None:
    """Item 14: two patients cannot have the same name (two identical "Ann" buttons)."""
    r = robot()
    as_therapist(r, patient=None)
    click(r, "__add")
    click(r, "name")
    r.type_text("ann")
    r.key("return")
    before = len(r.db.list_patients())
    click(r, "create")
    assert len(r.db.list_patients()) == before
    assert "already" in str(r.top.message)  # type: ignore[attr-defined]


def test_export_says_it_is_working_before_the_wait(robot: RobotMaker) -> None:
    """Item 14: Export shows "Exporting..." on screen before the work starts."""
    r = robot()
    as_therapist(r)
    menu = r.top
    seen: list[str] = []
    original = menu.draw

    def draw(surface: object) -> None:
        seen.append(str(menu.message))  # type: ignore[attr-defined]
        original(surface)  # type: ignore[arg-type]

    menu.draw = draw  # type: ignore[method-assign]
    click(r, "export")
    r.wait_until(lambda: str(menu.message).startswith("Saved"), 10.0)  # type: ignore[attr-defined]
    assert any(m.startswith("Exporting") for m in seen), seen
    assert str(menu.message).startswith("Saved")  # type: ignore[attr-defined]
