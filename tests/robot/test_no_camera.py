"""Issue 11 item 13: without a camera a clear first screen (Watch a demo / Try again / how a
therapist picks another camera); the demo never writes to a real patient, and its database
is explained where a user meets it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from game import launch as L
from game.app import App
from game.scenes.base import Scene
from game.scenes.menus import TitleScene
from game.scenes.no_camera import RETRY_CAMERA, NoCameraScene
from game.settings import Settings
from game.storage import open_database
from game.therapist.adaptive_session import load_state
from tests.robot.driver import Robot
from tests.robot.helpers import click

RobotMaker = Callable[..., Robot]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MIRRORPLAY_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _first_scene_of(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Scene:
    seen: list[Scene] = []

    def run(app: App, first: Scene) -> int:
        seen.append(first)
        return 0

    monkeypatch.setattr(App, "run", run)
    L.launch(settings)
    return seen[0]


def test_no_camera_shows_a_first_screen_instead_of_a_running_demo(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _first_scene_of(Settings(headless=True, camera=7, mute=True), monkeypatch)
    assert isinstance(first, NoCameraScene)
    assert {t.key for t in first.targets()} == {"demo", "retry"}


def test_watch_a_demo_and_try_again(robot: RobotMaker) -> None:
    r = robot(first=lambda app: NoCameraScene(app, 0), settings={"demo": False})
    click(r, "demo")
    assert isinstance(r.top, TitleScene)
    r2 = robot(first=lambda app: NoCameraScene(app, 0))
    r2.press(next(t for t in r2.top.targets() if t.key == "retry"), "keys")
    assert r2.ended and r2.app.stack is not None and r2.app.stack.result == RETRY_CAMERA


def test_try_again_opens_the_camera_again(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tries: list[int] = []

    def no_camera(settings: Settings) -> object:
        tries.append(settings.camera)
        raise RuntimeError("no camera here")

    answers = iter(["retry", "retry", "demo"])

    def autoplay(self: NoCameraScene, dt_s: float) -> list[object]:
        return [self.menu_select(next(answers))]

    monkeypatch.setattr(L, "open_camera_source", no_camera)
    monkeypatch.setattr(NoCameraScene, "autoplay", autoplay)
    assert L.launch(Settings(headless=True, seconds=2.0, mute=True)) == 0
    assert tries == [0, 0, 0]


def test_demo_with_an_unknown_patient_explains_the_demo_database(home: Path) -> None:
    with pytest.raises(L.LaunchError) as err:
        L.launch(Settings(headless=True, demo=True, patient="p1", mute=True))
    words = str(err.value)
    assert "demo.db" in words and "--db" in words


def test_progress_without_a_database_names_the_demo_database_and_db(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import main as cli

    assert cli.main(["progress", "--patient", "demo", "--png", str(home / "p.png")]) == 2
    words = capsys.readouterr().err
    assert "demo.db" in words and "--db" in words


def test_demo_on_a_real_database_plays_the_patients_side_and_writes_nothing_to_them(
    world: Path, tmp_path: Path, home: Path
) -> None:
    """--demo --db PATH --patient p2: the simulated patient has Bea's affected side (right),
    and Bea's history and adaptive state stay as they were."""
    db_path = tmp_path / "real.db"
    shutil.copyfile(world, db_path)
    before = open_database(db_path)
    sessions, state = len(before.sessions("p2")), load_state(before, "p2")
    before.close()
    sides: list[str] = []
    original = L._follow_patient_side

    def spy(opened: L.OpenedSource, patient: object) -> L.OpenedSource:
        out = original(opened, patient)  # type: ignore[arg-type]
        sides.append(str(out.simulated_side))
        return out

    L._follow_patient_side = spy  # type: ignore[assignment]
    try:
        settings = Settings(headless=True, demo=True, db=db_path, patient="p2", level="reach-apples",
                            seconds=25.0, mute=True)  # fmt: skip
        assert L.launch(settings) == 0
    finally:
        L._follow_patient_side = original  # type: ignore[assignment]
    after = open_database(db_path)
    try:
        assert sides == ["right"]
        assert len(after.sessions("p2")) == sessions and load_state(after, "p2") == state
        assert after.sessions("demo"), "the demo's session went nowhere"
    finally:
        after.close()
