"""Test set-up: SDL dummy drivers (no window, no sound card), and shared fixtures."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("GLOG_minloglevel", "2")


import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from game.storage import Database, open_database  # noqa: E402
from tests.pgcluster import INSTALL as PG_INSTALL  # noqa: E402
from tests.pgcluster import Cluster, bindir  # noqa: E402
from tests.real import require_real  # noqa: E402

ENGINES = ("sqlite", "postgresql")
"""The storage engines every repository test runs against."""


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the whole test run (started once, ~2 s)."""
    require_real(bindir() is not None, PG_INSTALL)
    cluster = Cluster.start(fast=True)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(params=ENGINES)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each engine: a SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "mp.db")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def opener(db_target: str, tmp_path: Path) -> Callable[[], Database]:
    """Opens the test's fresh database (again on each call), on each engine."""
    return lambda: open_database(db_target, local_dir=tmp_path)
