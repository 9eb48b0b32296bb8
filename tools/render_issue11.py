"""Re-render docs/accessibility/*.png: the screens issue 11 changed, reached by the user robot
(tests/robot) the way a user reaches them, on the robot's world database.

Run: ``uv run tools/render_issue11.py [OUT_DIR]`` (default docs/accessibility).
"""
# ruff: noqa: E402  (SDL drivers must be chosen before pygame is imported)

import os
import sys
import tempfile
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
sys.path.insert(0, ".")
import pygame

from game.scenes.no_camera import NoCameraScene
from game.scenes.play import start_play
from tests.robot.driver import Robot
from tests.robot.world import ANN, build_world

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/accessibility")
tmp = Path(tempfile.mkdtemp())
world = build_world(tmp / "world.db")


def shot(robot: Robot, name: str) -> None:
    robot.frames(2)
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.image.save(robot.window.surface, str(OUT / name))
    print(OUT / name, type(robot.top).__name__)


def press(robot: Robot, key: str) -> None:
    target = next(t for t in robot.top.targets() if t.key == key)
    robot.press(target, "click")
    robot.mouse_away()


r = Robot(world, tmp / "a", first=lambda app: NoCameraScene(app, 0))
shot(r, "01_no_camera.png")
r.close()

r = Robot(world, tmp / "b")
press(r, "play")
shot(r, "02_who_is_playing_pages.png")
r.key("escape")
press(r, "progress")
shot(r, "03_family_code.png")
r.key("escape")
press(r, "therapist")
shot(r, "04_pin_pad_with_back.png")
r.close()

r = Robot(world, tmp / "c", first=start_play, settings={"level": "reach-apples", "patient": ANN})
r.frames(3)
r.key("return")
r.wait_s(3.0)
r.key("escape")
shot(r, "05_play_stop_here.png")
r.close()

r = Robot(world, tmp / "e", first=start_play, settings={"level": "reach-apples", "patient": ANN})
r.frames(3)
r.key("return")
r.wait_s(3.0)
pause = next(t for t in r.top.targets() if t.key == "pause")
r.hand_to((pause.rect[0] + pause.rect[2] // 2, pause.rect[1] + pause.rect[3] // 2), pause.rect)
play = r.top
r.wait_until(lambda: play.hand_pause.dwell.fraction >= 0.5, 3.0)  # type: ignore[attr-defined]
shot(r, "07_play_hand_on_pause.png")
r.close()

r = Robot(world, tmp / "d", first=start_play, settings={"level": "stand-steady", "patient": ANN})
r.frames(3)
r.key("return")
r.wait_s(1.0)
shot(r, "06_chair_question.png")
r.close()
