"""Small moves the item tests share: find a target, press it, get past the PIN."""

from __future__ import annotations

from game.scenes.base import Target
from tests.robot.driver import Robot
from tests.robot.world import PIN


def target(robot: Robot, key: str) -> Target:
    found = [t for t in robot.top.targets() if t.key == key]
    assert found, f"{type(robot.top).__name__} shows no {key!r} (has {[t.key for t in robot.top.targets()]})"
    return found[0]


def centre(t: Target) -> tuple[int, int]:
    return t.rect[0] + t.rect[2] // 2, t.rect[1] + t.rect[3] // 2


def click(robot: Robot, key: str) -> None:
    robot.click(centre(target(robot, key)))


def top_name(robot: Robot) -> str:
    return type(robot.top).__name__


def as_therapist(robot: Robot, patient: str | None = "p1") -> None:
    """From the title: Therapist, the PIN (clicked), then the patient's menu."""
    click(robot, "therapist")
    for d in (*PIN, "ok"):
        click(robot, d)
    assert top_name(robot) == "TherapistHomeScene"
    if patient is not None:
        click(robot, patient)
        assert top_name(robot) == "PatientMenuScene"
