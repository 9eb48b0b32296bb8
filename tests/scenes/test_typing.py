"""Keys from a real keyboard: the window turns them into navigation and text, screens that
take text type letters (menus navigate with them), digits reach the PIN pad and the editor."""

from __future__ import annotations

from game.actions import Act, Action
from game.app import App
from game.scenes.base import Pop, Replace
from tests.scenes.test_therapist_screens import PIN, add_patient, focus_row, press_grid


def post_keys(app: App, *keys: tuple[int, str]) -> list[Action]:
    """Post real KEYDOWN events (key code, typed unicode) and read them back as actions."""
    import pygame

    pygame.event.clear()
    for code, typed in keys:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, unicode=typed, mod=0, scancode=0))
    return [a for a in app.window.events() if isinstance(a, Action)]


def test_window_turns_keys_into_navigation_and_text(app: App) -> None:
    import pygame

    acts = post_keys(app, (pygame.K_w, "w"), (pygame.K_UP, ""), (pygame.K_7, "7"), (pygame.K_SPACE, " "))
    assert [(a.act, a.text) for a in acts] == [
        (Act.UP, ""), (Act.TEXT, "w"), (Act.UP, ""), (Act.TEXT, "7"), (Act.SELECT, ""), (Act.TEXT, " "),
    ]  # fmt: skip


def test_typing_screens_type_letters_and_menus_navigate(app: App) -> None:
    import pygame

    from game.actions import route
    from game.scenes.therapist import PatientMenuScene
    from game.scenes.therapist_widgets import KeyboardScene

    kb = KeyboardScene(app, "Name")
    focus = kb.grid.focus
    keys = [(pygame.K_w, "W"), (pygame.K_a, "a"), (pygame.K_s, "s"), (pygame.K_d, "d"), (pygame.K_SPACE, " "),
            (pygame.K_p, "p"), (pygame.K_BACKSPACE, "\b"), (pygame.K_RIGHT, "")]  # fmt: skip
    for a in post_keys(app, *keys):
        assert route(kb, a) is None  # nothing leaves the screen, Backspace included
    assert kb.value == "Wasd " and kb.grid.focus == focus + 1  # letters typed; only the arrow moved
    route(kb, post_keys(app, (pygame.K_RETURN, "\r"))[0])  # after an arrow: presses the focused key
    assert kb.value == "Wasd b"
    out = [route(kb, a) for a in post_keys(app, (pygame.K_x, "x"), (pygame.K_RETURN, "\r"))]
    assert out[-1] == Pop("Wasd bx")  # after typing, Enter is "done"
    menu = PatientMenuScene(app, add_patient(app))
    for a in post_keys(app, (pygame.K_s, "s"), (pygame.K_s, "s")):
        route(menu, a)
    assert menu.menu.focus == 2  # WASD navigate where nothing is typed; TEXT is ignored


def test_pin_pad_and_editor_take_typed_digits_through_route(app: App) -> None:
    import pygame

    from game.actions import route
    from game.scenes.therapist import PinScene, TherapistHomeScene
    from game.scenes.therapist_settings import SettingsEditorScene

    pad = PinScene(app, clock=lambda: 0.0)
    digits = [(getattr(pygame, f"K_{d}"), d) for d in PIN + "9"]
    for a in post_keys(app, *digits, (pygame.K_BACKSPACE, "\b")):
        route(pad, a)
    assert pad.digits == PIN
    pad.submit()
    for a in post_keys(app, *digits[:-1]):
        route(pad, a)
    out = press_grid(pad, "ok")  # typed digits, then OK on the pad
    assert isinstance(out, Replace) and isinstance(out.scene, TherapistHomeScene)
    ed = SettingsEditorScene(app, add_patient(app))
    focus_row(ed, "reps")
    for a in post_keys(app, (pygame.K_1, "1"), (pygame.K_2, "2"), (pygame.K_x, "x"), (pygame.K_RETURN, "\r")):
        route(ed, a)
    assert ed.draft.reps == 12
