"""The play screen's Pause for a patient with only the tracked hand (game/scenes/hand_hold.py):
the raised hand held on Pause pauses, and Stop ends the session; but the hand that plays a
level, reaching for its targets and holding them, never pauses it.

The default suite plays the arm level whose targets take the hand highest (measured: the hand
pointer's highest point during each shipped level) with either side affected; ``-m soak``
plays every shipped level.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from game.app import App
from game.launch import ensure_demo_patient
from game.render import theme as T
from game.render.window import Window
from game.scenes.hand_hold import HAND_HOLD_S
from game.scenes.play import PlayScene, start_play
from game.settings import Settings
from game.storage import open_database
from game.tracking.simulated import MILD, SimulatedPatient
from tests.robot.driver import Robot, levels
from tests.robot.helpers import centre, target, top_name
from tests.robot.test_play import playing

RobotMaker = Callable[..., Robot]
HIGH_REACHING = ("match-moon",)
"""The arm level whose targets bring the simulated hand's pointer highest (to about y = 500 px
of 720 with either side affected). Measured 2026-12-01 over every shipped level with the left
side affected (the right side: the first 11 arm levels): only the functional reach test goes
higher, to 320 px, and it takes a minute to play; the Pause button is above y = 80 px."""


def test_the_raised_hand_held_on_pause_pauses_then_stop_ends_the_session(robot: RobotMaker) -> None:
    r = playing(robot, "reach-apples")
    play = r.top
    assert isinstance(play, PlayScene) and "pause" in play.hand_holds
    r.wait_s(2.0)  # the patient is playing
    pause = target(r, "pause")
    assert r.hand_to(centre(pause), pause.rect), "the hand could not point at Pause"
    held_from = r.app.t_s
    r.wait_s(T.DWELL_SELECT_S + 0.2)
    assert not play.paused, "the hand paused as fast as a menu's dwell: too easy by accident"
    assert r.wait_until(lambda: play.paused, HAND_HOLD_S)
    assert r.app.t_s - held_from == pytest.approx(HAND_HOLD_S, abs=0.3)
    assert play.hand_pointer  # paused: the hand points at Go on / Stop like on a menu
    assert r.press(target(r, "stop"), "hand")
    assert top_name(r) == "AfterCheckScene"


def test_a_hand_already_on_pause_when_the_level_starts_must_come_again(robot: RobotMaker) -> None:
    """The hand that chose Go on does not pause again by resting: it must leave and come."""
    r = playing(robot, "reach-apples")
    play = r.top
    assert isinstance(play, PlayScene)
    pause = target(r, "pause")
    r.hand_to(centre(pause), pause.rect)
    r.wait_until(lambda: play.paused, HAND_HOLD_S + 0.5)
    r.key("return")  # Go on, with the hand still up on Pause
    assert not play.paused
    r.wait_s(2 * HAND_HOLD_S)
    assert not play.paused, "a hand resting where it was when play went on paused it again"


def play_watching(level: str, side: str, tmp_path: Path) -> tuple[float, int]:
    """Play `level` to its end as the demo's simulated patient (affected `side`), failing at
    once if it pauses; returns the seconds played and how many steps the raised hand pointed."""
    model = dataclasses.replace(MILD, affected_side=side)  # type: ignore[arg-type]
    db = open_database(tmp_path / "p.db")
    source = SimulatedPatient(model, seed=1)
    window = Window(headless=True)
    settings = Settings(demo=True, headless=True, seconds=300.0, level=level, db=tmp_path / "p.db",
                        mute=True, seed=1)  # fmt: skip
    app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
              levels=levels())  # fmt: skip
    played, pointed, started = 0.0, 0, False
    try:
        app.patient = ensure_demo_patient(db, side)
        app.start(start_play(app))
        while app.frame():
            assert app.stack is not None
            play = next((s for s in app.stack.scenes if isinstance(s, PlayScene)), None)
            if play is None and started:
                break
            if play is None or app.stack.top is not play:
                continue
            started = True
            assert not play.paused, f"{level} ({side} affected) paused by itself after {played:.1f} s"
            played += app.dt_s
            pointed += play.hand_pause.pos is not None
    finally:
        app._finish()  # noqa: SLF001 - the run is over: close as main.py does
        window.close()
        db.close()
    return played, pointed


def _every_level() -> list[object]:
    return [pytest.param(lid, marks=pytest.mark.soak) for lid in levels() if lid not in HIGH_REACHING]


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("level", [*HIGH_REACHING, *_every_level()])
def test_a_whole_level_played_never_pauses_by_itself(level: str, side: str, tmp_path: Path) -> None:
    played, pointed = play_watching(level, side, tmp_path)
    assert played > 5.0, f"{level} was not played"
    if level in HIGH_REACHING:
        assert pointed > 60, "the playing hand was never raised: the test watched nothing"
