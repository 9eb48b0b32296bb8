"""The scene tests' app: the real App, headless, on a fresh database and the simulated patient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.app import App
from tests.scenes.test_therapist_screens import make_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    a, close = make_app(tmp_path)
    yield a
    close()
