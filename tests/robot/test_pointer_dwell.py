"""Issue 11 items 5 and 6: a dwell chooses once per visit of the pointer, never after a click,
and never on a screen the pointer is no longer pointing at (the real App, a mouse and a hand)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.robot.driver import Robot
from tests.robot.helpers import as_therapist, centre, click, target, top_name

RobotMaker = Callable[..., Robot]


def test_no_ghost_dwell_after_click_move_off_and_esc(robot: RobotMaker) -> None:
    """Item 5: click Progress, move the pointer off the buttons, Esc: the title stays."""
    r = robot()
    click(r, "progress")
    assert top_name(r) != "TitleScene"
    r.mouse_away()
    r.key("escape")
    assert top_name(r) == "TitleScene"
    r.wait_s(4.0)
    assert top_name(r) == "TitleScene", "the title chose a button the pointer had left"
    assert r.stack[-1].focused() is not None


def test_no_ghost_dwell_when_the_pointer_stays_where_it_clicked(robot: RobotMaker) -> None:
    """Item 5, keyboard user: after a click and Esc the resting pointer does not reopen it."""
    r = robot()
    click(r, "therapist")
    r.key("escape")
    r.wait_s(4.0)
    assert top_name(r) == "TitleScene"


def test_four_clicks_type_four_digits_even_with_the_pointer_resting(robot: RobotMaker) -> None:
    """Item 6: each click on the PIN pad types one digit, however long the pointer rests."""
    r = robot()
    click(r, "therapist")
    for d in "1357":
        click(r, d)
        r.wait_s(3.2)
    assert r.top.digits == "1357"  # type: ignore[attr-defined]


def test_a_resting_pointer_presses_a_key_once(robot: RobotMaker) -> None:
    """Item 6: resting the mouse on a key presses it once, not every 1.5 s."""
    r = robot()
    click(r, "therapist")
    r.mouse_away()
    r.rest(centre(target(r, "5")), 6.5)
    assert r.top.digits == "5"  # type: ignore[attr-defined]


def test_a_resting_hand_presses_a_key_once(robot: RobotMaker) -> None:
    """Item 6 with the tracked hand: hold it on a key for 6 s, one digit."""
    r = robot()
    click(r, "therapist")
    r.mouse_away()
    assert r.hand_to(centre(target(r, "5")), target(r, "5").rect)
    r.wait_s(6.0)
    assert r.top.digits == "5"  # type: ignore[attr-defined]


def test_a_resting_pointer_on_a_row_end_steps_once_and_the_list_stays(robot: RobotMaker) -> None:
    """Item 6, settings editor: a pointer resting on the ">" of the lowest row in view for
    10 s changes the value one step, the list does not scroll under it, nothing opens."""
    r = robot()
    as_therapist(r)
    click(r, "settings")
    editor = r.top
    steppers = [t for t in editor.targets() if t.key.endswith(":>")]
    lowest = max(steppers, key=lambda t: t.rect[1])
    name = lowest.focus_key
    before = editor.value(name)  # type: ignore[attr-defined]
    shown = [t.key for t in editor.targets()]
    r.rest(centre(lowest), 10.0)
    assert r.top is editor, f"{top_name(r)} opened by itself"
    assert [t.key for t in editor.targets()] == shown, "the list scrolled under a resting pointer"
    after = editor.value(name)  # type: ignore[attr-defined]
    assert after != before
    again = editor.draft.with_change(name, before)  # type: ignore[attr-defined]
    assert again is not None
    r.mouse_away()
    r.rest(centre(lowest), 2.0)  # leave and come back: one more step
    assert editor.value(name) != after  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["click", "rest", "hand"])
def test_a_screen_opening_under_the_pointer_chooses_nothing(robot: RobotMaker, how: str) -> None:
    """A button that appears under a resting pointer (or hand) waits for the pointer to
    leave and come back: the next screen's key under the same spot is not pressed."""
    r = robot()
    t = target(r, "therapist")
    if how == "click":
        click(r, "therapist")
    elif how == "rest":
        r.rest(centre(t))
    else:
        assert r.hand_to(centre(t), t.rect)
        r.wait_until(lambda: top_name(r) != "TitleScene", 3.0)
    assert top_name(r) == "PinScene"
    r.wait_s(4.0)
    assert r.top.digits == ""  # type: ignore[attr-defined]
