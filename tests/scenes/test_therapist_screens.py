"""Therapist screens driven by actions only (no mouse coordinates): PIN, editor, plan, review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.actions import Act, Action
from game.app import App
from game.levels import load_all
from game.render.window import Window
from game.scenes.base import Pop, Push, Scene, SceneStack
from game.settings import Settings
from game.storage import Patient, open_database
from game.therapist.settings_schema import SPEC_BY_NAME, PatientSettings
from game.tracking.simulated import SimulatedPatient

PIN = "2468"


def make_app(tmp_path: Path, *, demo: bool = False) -> tuple[App, Callable[[], None]]:
    settings = Settings(headless=True, db=tmp_path / "t.db", mute=True, demo=demo)
    source = SimulatedPatient(seed=0)
    db = open_database(tmp_path / "t.db")
    window = Window(headless=True)
    app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
              levels=load_all())  # fmt: skip

    def close() -> None:
        window.close()
        db.close()
        source.close()

    return app, close


def add_patient(app: App, pid: str = "p1", **settings: Any) -> Patient:
    s = PatientSettings(alias="Ann", affected_side="right", **settings)
    p = Patient(pid, "Ann", "right", "2026-01-01T00:00:00Z", s.to_mapping())
    app.db.add_patient(p)
    return p


def act(scene: Scene, *acts: Act) -> Any:
    out = None
    for a in acts:
        out = scene.handle(Action(a))
    return out


def press_grid(scene: Any, key: str) -> Any:
    """Move the grid focus with Right presses onto `key`, then press Enter."""
    keys = [k.key for k in scene.grid.keys]
    for _ in range(len(keys)):
        if keys[scene.grid.focus] == key:
            break
        scene.handle(Action(Act.RIGHT))
    assert keys[scene.grid.focus] == key
    return scene.handle(Action(Act.SELECT))


def enter_pin(scene: Any, pin: str) -> Any:
    for d in pin:
        press_grid(scene, d)
    return press_grid(scene, "ok")


def focus_row(scene: Any, key: str) -> None:
    for _ in range(len(scene.rows)):
        if scene.row.key == key:
            return
        scene.handle(Action(Act.DOWN))
    raise AssertionError(f"no row {key}")


# -- settings editor ---------------------------------------------------------------------------

BAD_NUMBERS = {name: (spec.max or 0) + 1000 for name, spec in SPEC_BY_NAME.items()
               if spec.type in (int, float)}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_NUMBERS))
def test_every_number_setting_rejects_bad_values_and_saves_nothing(app: App, name: str) -> None:
    from game.scenes.therapist_settings import SettingsEditorScene

    patient = add_patient(app)
    scene = SettingsEditorScene(app, patient)
    focus_row(scene, name)
    label = scene.row.label
    before = scene.draft
    for typed in (str(BAD_NUMBERS[name]), "-7", "1.2.3"):
        for ch in typed:
            scene.type_char(ch)
        act(scene, Act.SELECT)
        assert str(scene.message).startswith(f"Not changed - {label}:"), (typed, str(scene.message))
        assert scene.draft == before
    act(scene, Act.UP, Act.UP)  # leave the row, go to Save from the bottom
    focus_row(scene, "__save")
    act(scene, Act.SELECT)
    assert str(scene.message) == "Nothing changed."
    assert app.db.change_log("p1") == []
    assert app.db.get_patient("p1").settings == patient.settings


def test_text_choice_bounds_and_cross_checks_give_messages(app: App) -> None:
    from game.scenes.therapist_settings import SettingsEditorScene

    patient = add_patient(app)
    scene = SettingsEditorScene(app, patient)
    focus_row(scene, "alias")
    assert isinstance(act(scene, Act.SELECT), Push)  # the on-screen keyboard
    scene.resume("")
    assert "Name or alias" in str(scene.message)
    focus_row(scene, "safety_notes")
    scene.resume("x" * 600)
    assert "above the allowed maximum 500" in str(scene.message)
    focus_row(scene, "target_reach_fraction")
    for ch in "0.95":  # beyond max reach 0.9
        scene.type_char(ch)
    act(scene, Act.SELECT)
    assert "Max reach" in str(scene.message) and "max_reach_fraction" not in str(scene.message)
    focus_row(scene, "bounds:dwell_s:0")
    for ch in "3":  # lowest above highest (2.0)
        scene.type_char(ch)
    act(scene, Act.SELECT)
    assert "above highest" in str(scene.message)
    focus_row(scene, "neglect_side")
    act(scene, Act.RIGHT)
    assert scene.draft.neglect_side == "left"
    assert scene.draft.alias == "Ann" and scene.draft.target_reach_fraction == 0.5
    scene.draw(app.window.surface)


def test_valid_edits_save_with_a_logged_change(app: App) -> None:
    from game.scenes.therapist_settings import SettingsEditorScene

    add_patient(app)
    scene = SettingsEditorScene(app, app.db.get_patient("p1"))
    focus_row(scene, "dwell_s")
    act(scene, Act.RIGHT, Act.RIGHT)
    focus_row(scene, "mirror_mode")
    act(scene, Act.RIGHT)
    assert act(scene, Act.BACK) is None and "Unsaved" in str(scene.message)  # no silent loss
    focus_row(scene, "__save")
    act(scene, Act.SELECT)
    assert str(scene.message) == "Saved 2 changes."
    stored = app.db.get_patient("p1").settings
    assert stored["dwell_s"] == pytest.approx(1.2) and stored["mirror_mode"] == "avatar"
    log = {e.key: e for e in app.db.change_log("p1")}
    assert set(log) == {"dwell_s", "mirror_mode"} and log["dwell_s"].who == "therapist"
    assert log["dwell_s"].old == 1.0
    assert isinstance(act(scene, Act.BACK), Pop)


def test_per_level_override_and_clear(app: App) -> None:
    from game.scenes.therapist_settings import SettingsEditorScene

    add_patient(app)
    scene = SettingsEditorScene(app, app.db.get_patient("p1"), level_id="reach-apples")
    assert all(SPEC_BY_NAME[r.key].per_level for r in scene.rows if not r.key.startswith("__"))
    focus_row(scene, "speed_scale")
    act(scene, Act.LEFT)
    focus_row(scene, "__save")
    act(scene, Act.SELECT)
    over = app.db.get_patient("p1").settings["level_overrides"]
    assert over == {"reach-apples": {"speed_scale": pytest.approx(0.7)}}
    focus_row(scene, "__clear")
    act(scene, Act.SELECT)
    focus_row(scene, "__save")
    act(scene, Act.SELECT)
    assert app.db.get_patient("p1").settings["level_overrides"] == {}
    scene.draw(app.window.surface)


def test_plan_editor_add_change_move_remove_save(app: App) -> None:
    from game.scenes.therapist_plan import PlanEditorScene

    add_patient(app)
    scene = PlanEditorScene(app, app.db.get_patient("p1"))

    def button(key: str) -> None:
        target = len(scene.steps) + [b[0] for b in scene.BUTTONS].index(key)
        while scene.focus != target:
            act(scene, Act.DOWN)
        act(scene, Act.SELECT)

    button("add")
    button("add")
    assert len(scene.steps) == 2
    while scene.focus != 1:
        act(scene, Act.DOWN)
    act(scene, Act.RIGHT)  # field 0: level -> the next level
    act(scene, Act.SELECT, Act.RIGHT)  # field 1: sets + 1
    assert scene.steps[1]["level"] == "reach-bubbles" and scene.steps[1]["sets"] == 3
    button("up")
    assert scene.steps[0]["level"] == "reach-bubbles"
    button("add")
    button("remove")
    button("save")
    plan = app.db.get_patient("p1").settings["plan"]
    assert [s["level"] for s in plan] == ["reach-bubbles", "reach-apples"] and plan[0]["sets"] == 3
    assert any(e.key == "plan" for e in app.db.change_log("p1"))
    scene.draw(app.window.surface)


# -- whole navigation --------------------------------------------------------------------------


def test_every_therapist_screen_is_reachable_and_leaves_by_keys(app: App, tmp_path: Path) -> None:
    from game.scenes.menus import TitleScene
    from game.scenes.therapist import PatientMenuScene, PinScene, TherapistHomeScene
    from tests.history import make_history

    make_history(app.db, "p1", weeks=2)
    stack = SceneStack(TitleScene(app))

    def do(*acts: Act) -> Scene:
        for a in acts:
            stack.apply(stack.top.handle(Action(a)))
            for _ in range(2):  # a screen may show "working..." for a frame first
                stack.top.update(1 / 60)
                stack.top.draw(app.window.surface)
        return stack.top

    def to(key: str) -> None:
        """Move the focus onto `key` with the arrows (the menus have two columns)."""
        for arrow in (Act.DOWN, Act.RIGHT, Act.DOWN, Act.LEFT, Act.DOWN):
            for _ in range(8):
                if stack.top.focused() == key:
                    return
                do(arrow)
        raise AssertionError(f"the arrows never reach {key}")

    assert isinstance(do(Act.RIGHT, Act.SELECT), PinScene)
    enter_pin(stack.top, PIN)
    stack.apply(enter_pin(stack.top, PIN))  # first use: chosen, then confirmed
    assert isinstance(stack.top, TherapistHomeScene)
    assert isinstance(do(Act.SELECT), PatientMenuScene)
    menu_keys = [b.key for b in stack.top.menu.buttons]
    for key in menu_keys[:-1]:
        to(key)
        top = do(Act.SELECT)
        if key == "export":
            assert isinstance(top, PatientMenuScene) and str(top.message).startswith("Saved to")
        else:
            assert not isinstance(top, PatientMenuScene), key
            if key == "review":
                do(Act.RIGHT, Act.RIGHT, Act.SELECT, Act.LEFT, Act.LEFT, Act.SELECT)  # trends, earlier
            do(Act.BACK)
            if not isinstance(stack.top, PatientMenuScene):
                do(Act.BACK)  # an editor asking to confirm
        assert isinstance(stack.top, PatientMenuScene), key
    do(Act.BACK)
    assert isinstance(stack.top, TherapistHomeScene)
    to("__add")
    do(Act.SELECT)  # add patient
    top = do(Act.SELECT)  # name -> keyboard
    for ch in "Bo":
        press_grid(top, ch.upper())
    stack.apply(press_grid(top, "ok"))
    top = do(Act.DOWN, Act.RIGHT, Act.DOWN, Act.SELECT)  # side -> left→right, create
    assert (
        isinstance(top, PatientMenuScene)
        and top.patient.alias == "Bo"
        and top.patient.affected_side == "right"
    )
    exports = list((tmp_path / "exports").iterdir())
    assert len(exports) == 1 and {p.name for p in exports[0].iterdir()} >= {
        "metrics.csv",
        "bundle.json",
        "report.pdf",
    }


def test_adaptive_log_screen_lists_changes(app: App) -> None:
    from game.scenes.therapist_review import AdaptiveLogScene
    from game.therapist.adaptive_session import AdaptiveState, record_reps, save_state
    from tests.therapist.test_adaptive_session import R

    p = add_patient(app)
    s = PatientSettings()
    state, changes = record_reps(
        AdaptiveState(), s, "reach-apples", [R(False)] * 3, params=app.levels["reach-apples"].kind.adaptive
    )
    save_state(app.db, p.id, state, changes, at="2026-03-01T10:00:00Z")
    scene = AdaptiveLogScene(app, p)
    assert len(scene.log) == len(changes) and "closer" in scene.log[-1]["reason"] + scene.log[0]["reason"]
    scene.draw(app.window.surface)
    act(scene, Act.RIGHT, Act.SELECT)
    assert isinstance(act(scene, Act.RIGHT, Act.SELECT), Pop)


def test_dwell_and_click_work_on_the_pad_and_the_editor(app: App) -> None:
    from game.scenes.therapist import PinScene
    from game.scenes.therapist_settings import SettingsEditorScene

    pad = PinScene(app, clock=lambda: 0.0)
    five = pad.grid.rects[4].center
    pad.handle(Action(Act.POINT, five))
    for _ in range(int(1.5 * 60) + 1):
        pad.update(1 / 60)
    assert pad.digits == "5"  # one dwell = one press, then nothing until the pointer leaves
    pad.handle(Action(Act.CLICK, pad.grid.rects[0].center))
    assert pad.digits == "51"
    add_patient(app)
    ed = SettingsEditorScene(app, app.db.get_patient("p1"))
    focus_row(ed, "shared_gain")
    slot = ed.focus - ed.first
    row = ed._row_rect(slot)
    ed.handle(Action(Act.CLICK, (row.right - 20, row.centery)))  # the ">" end
    assert ed.draft.shared_gain == pytest.approx(0.35)
    ed.handle(Action(Act.CLICK, (row.x + 660, row.centery)))  # the "<" end
    assert ed.draft.shared_gain == pytest.approx(0.3)


# -- paging -----------------------------------------------------------------------------------


def test_level_chooser_scrolls_through_every_level(app: App) -> None:
    from game.scenes.therapist_levels import LevelPickScene
    from game.scenes.therapist_settings import SettingsEditorScene

    scene = LevelPickScene(app, add_patient(app))
    ids = list(app.levels)
    assert len(ids) > scene.VISIBLE
    seen = []
    for i in range(len(ids)):
        button = scene.menu.buttons[scene.menu.focus]
        seen.append(button.key)
        assert scene.first <= i < scene.first + scene.VISIBLE
        scene.draw(app.window.surface)
        act(scene, Act.DOWN)
    assert seen == ids and scene.menu.buttons[scene.menu.focus].key == "__back"
    act(scene, Act.DOWN)  # wraps to the first level
    assert scene.cursor == 0 and scene.first == 0
    act(scene, Act.RIGHT)  # a page on
    out = act(scene, Act.SELECT)
    assert isinstance(out, Push) and isinstance(out.scene, SettingsEditorScene)
    assert out.scene.level_id == ids[scene.VISIBLE]
    pages = 1
    while ids[-1] not in {b.key for b in scene.menu.buttons}:  # pointer users page with the buttons
        more = next(b for b in scene.menu.buttons if b.key == "__next")
        scene.handle(Action(Act.CLICK, more.rect[:2]))
        pages += 1
        assert pages <= len(ids) and scene.first == min(pages * scene.VISIBLE, len(ids) - scene.VISIBLE)
    row = next(b for b in scene.menu.buttons if b.key == ids[-1])
    out = scene.handle(Action(Act.CLICK, (row.rect[0] + 5, row.rect[1] + 5)))
    assert isinstance(out, Push) and out.scene.level_id == ids[-1]


def test_plan_editor_scrolls_a_long_plan(app: App) -> None:
    from game.scenes.therapist_plan import PlanEditorScene

    ids = list(app.levels)
    plan = [{"level": ids[i % len(ids)], "sets": 1, "reps": 1 + i, "rest_s": 10.0} for i in range(30)]
    scene = PlanEditorScene(app, add_patient(app, plan=plan))
    for i in range(1, 30):
        act(scene, Act.DOWN)
        assert scene.selected == i and i in scene.visible()
        scene.draw(app.window.surface)
    assert scene.first == 30 - scene.VISIBLE
    r = scene._step_rect(25)  # a click on the row shown in slot 25 - first chooses step 25
    scene.handle(Action(Act.CLICK, r.center))
    assert scene.selected == 25 and scene.steps[25]["reps"] == 26
    prev = scene.pager.buttons[0].rect
    scene.handle(Action(Act.CLICK, (prev[0] + 5, prev[1] + 5)))
    assert scene.first == 30 - 2 * scene.VISIBLE and scene.selected in scene.visible()
    act(scene, Act.UP)
    assert scene.selected in scene.visible()
