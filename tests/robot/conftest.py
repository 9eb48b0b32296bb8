"""The robot's fixtures: the world database (built once) and robots started on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robot.driver import Robot
from tests.robot.world import build_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_world(tmp_path_factory.mktemp("world") / "world.db")


@pytest.fixture
def robot(world: Path, tmp_path: Path) -> Iterator[Callable[..., Robot]]:
    """``robot(**kwargs)`` starts the real App on a copy of the world (see Robot)."""
    made: list[Robot] = []

    def make(**kwargs: Any) -> Robot:
        r = Robot(world, tmp_path / f"robot{len(made)}", **kwargs)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()
