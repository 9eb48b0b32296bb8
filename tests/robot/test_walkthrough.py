"""The user robot's walkthroughs: every screen of the game, found from the code, is reached and
left again with the keys alone, the mouse alone (clicks, and a resting pointer), and the
tracked hand alone (dwell). A screen one of them cannot reach or leave fails with its name.

The keys walk maps the screens first (breadth first from the launcher's first screens: the
title with nobody chosen, the title with a patient chosen as ``--patient`` does, and the
no-camera screen); the other walks follow that map with their own input only. The resting
mouse and the hand wait as long as a user does (1.5 s on a menu button, 3 s for the hand on the
play screen's Pause); the walks stay short by going on from the screen the app is on rather
than starting again for every screen (tests/robot/screens.py ``walk``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenes.menus import TitleScene
from game.scenes.no_camera import NoCameraScene
from tests.robot.screens import Explorer, Root, screen_classes, walk
from tests.robot.world import ANN, FLO

ROOTS = [
    Root("TitleScene", TitleScene),
    Root("TitleScene", TitleScene, {"patient": FLO}),  # first: her calibration has the hand step
    Root("TitleScene", TitleScene, {"patient": ANN}),
    Root("NoCameraScene", lambda app: NoCameraScene(app, 0)),
]
"""The first screens the launcher shows: the title (as ``uv run main.py``), the title with
a patient chosen (``--patient``: Flo, whose plan has a hand level, and Ann), and the screen shown
when no camera answers."""


@pytest.fixture(scope="module")
def explorer(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Explorer:
    found = Explorer(world, tmp_path_factory.mktemp("walk"), ROOTS)
    found.run()
    return found


def test_every_screen_in_the_code_is_found_from_the_first_screens(explorer: Explorer) -> None:
    names = [c.__name__ for c in screen_classes()]
    assert len(names) >= 20
    missing = [n for n in names if n not in explorer.map.paths]
    assert not missing, f"screens no key path reaches from the first screens: {missing}"
    assert not explorer.map.problems, explorer.map.problems


@pytest.mark.parametrize("how", ["keys", "click", "rest", "hand"])
def test_every_screen_is_reached_and_left(explorer: Explorer, how: str) -> None:
    """keys: arrows, Enter, Esc; click: mouse clicks; rest: the mouse resting on buttons;
    hand: the simulated patient's raised hand dwelling (the app's own hand pointer; on the play
    screen held on Pause, game/scenes/hand_hold.py)."""
    names = [c.__name__ for c in screen_classes()]
    failures = walk(explorer, how).failures(names)
    assert not failures, "\n".join(failures)
