"""The therapist PIN: chosen twice on first use, stored only as a hash, a lockout with a
countdown after wrong PINs, and changing it (old PIN, then the new one twice)."""

from __future__ import annotations

import pytest

from game.actions import Act, Action
from game.app import App
from game.scenes.base import Pop, Push, Replace
from game.therapist.pin import verify_pin
from tests.scenes.test_therapist_screens import PIN, act, enter_pin, press_grid


def test_first_pin_is_chosen_twice_and_stored_only_as_hash(app: App) -> None:
    from game.scenes.therapist import PinScene, TherapistHomeScene

    scene = PinScene(app, clock=lambda: 1000.0)
    assert scene.mode == "new"
    enter_pin(scene, "12")
    assert scene.mode == "new" and "4 to 8 digits" in str(scene.message)
    enter_pin(scene, PIN)
    assert scene.mode == "confirm"
    enter_pin(scene, "1357")
    assert scene.mode == "new" and "differ" in str(scene.message)
    enter_pin(scene, PIN)
    out = enter_pin(scene, PIN)
    assert isinstance(out, Replace) and isinstance(out.scene, TherapistHomeScene)
    stored = app.db.get_meta("therapist_pin_hash")
    assert stored is not None and stored.startswith("scrypt$") and PIN not in stored.split("$")[:4]
    assert verify_pin(PIN, stored) and not verify_pin("1357", stored)
    scene.draw(app.window.surface)


def test_wrong_pins_lock_with_a_countdown_and_typed_digits_work(app: App) -> None:
    from game.scenes.therapist import PinScene

    now = [5000.0]
    first = PinScene(app, clock=lambda: now[0], monotonic=lambda: now[0])
    enter_pin(first, PIN)
    enter_pin(first, PIN)
    scene = PinScene(app, clock=lambda: now[0], monotonic=lambda: now[0])
    assert scene.mode == "enter"
    for _ in range(4):
        assert enter_pin(scene, "0000") is None
    assert scene.locked_s == 30.0 and "Locked" in str(scene.message)
    scene.draw(app.window.surface)
    assert enter_pin(scene, PIN) is None  # the right PIN is refused while locked
    now[0] += 10.0
    scene.update(1 / 60)
    assert scene.locked_s == pytest.approx(20.0)
    # The lockout survives a new screen (restart) and shows there too.
    again = PinScene(app, clock=lambda: now[0], monotonic=lambda: now[0])
    assert again.locked_s == pytest.approx(20.0)
    now[0] += 21.0
    for ch in PIN:
        again.type_char(ch)
    assert isinstance(again.handle(Action(Act.SELECT)) if again.grid.keys[again.grid.focus].key == "ok"
                      else press_grid(again, "ok"), Replace)  # fmt: skip


def test_pin_back_leaves(app: App) -> None:
    from game.scenes.therapist import PinScene

    assert isinstance(PinScene(app).handle(Action(Act.BACK)), Pop)


def test_change_pin_needs_the_old_pin_and_the_new_one_twice(app: App) -> None:
    from game.scenes.therapist import ChangePinScene, TherapistHomeScene
    from game.therapist.pin import PinGate

    PinGate(app.db).set_first_pin(PIN)
    home = TherapistHomeScene(app)
    keys = [b.key for b in home.menu.buttons]
    out = act(home, *([Act.DOWN] * keys.index("__pin")), Act.SELECT)
    assert isinstance(out, Push) and isinstance(out.scene, ChangePinScene)
    scene = ChangePinScene(app, clock=lambda: 100.0)
    assert enter_pin(scene, "1111") is None and scene.mode == "old" and "Wrong" in str(scene.message)
    enter_pin(scene, PIN)
    assert scene.mode == "new"
    enter_pin(scene, "13")
    assert scene.mode == "new" and "4 to 8 digits" in str(scene.message)
    enter_pin(scene, "1357")
    enter_pin(scene, "1358")
    assert scene.mode == "new" and "differ" in str(scene.message)
    enter_pin(scene, "1357")
    out = enter_pin(scene, "1357")
    assert isinstance(out, Pop) and str(out.result) == "PIN changed."
    stored = app.db.get_meta("therapist_pin_hash")
    assert verify_pin("1357", stored) and not verify_pin(PIN, stored)
    back = home.resume(out.result)
    assert isinstance(back, Replace) and str(back.scene.notice) == "PIN changed."
    assert isinstance(ChangePinScene(app).handle(Action(Act.BACK)), Pop)  # leaving changes nothing
