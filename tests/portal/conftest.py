"""The portal tests' database and a real portal server (uvicorn on a free local port)."""

from __future__ import annotations

import calendar
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn

from game.levels import load_all
from game.portal.app import create_app
from game.portal.web import Services
from game.storage import Database, open_database
from game.storage.portal_store import SqlitePortalStore, open_portal_store
from tests.history import TODAY, make_history

NASTY_ALIAS = '<script>alert(1)</script> O\'Brien & "B"'
"""A patient alias a page must show as text, never run (quotes, angle brackets, ampersand)."""
SETUP_CODE = "ABCDE-FGHJK"
NOW_S = calendar.timegm(TODAY.timetuple()) + 12 * 3600.0
"""Noon UTC on the history's last day."""


class Clock:
    """The portal's wall clock, moved by the tests."""

    def __init__(self, now_s: float = NOW_S) -> None:
        self.now_s = now_s

    def __call__(self) -> float:
        return self.now_s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(services: Services) -> Iterator[str]:
    """Run the real portal application in uvicorn on a free port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services), host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20.0
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the portal server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10.0)


def make_clinic(target: Path | str, today: date = TODAY, local_dir: Path | None = None) -> Database:
    """Two patients with four weeks of history each up to `today` (one alias full of HTML), in a
    SQLite file or a PostgreSQL database (`target` a URL; `local_dir` the station's folder)."""
    db = open_database(target, local_dir=local_dir)
    make_history(
        db, "p1", alias=NASTY_ALIAS, today=today, safety_notes="No weight on the <b>left</b> shoulder"
    )
    make_history(db, "p2", alias="Second patient", seed=1, today=today)
    return db


@dataclass
class Portal:
    url: str
    db: Database
    store: SqlitePortalStore
    services: Services
    clock: Clock
    url_of_db: str
    """The database: a SQLite file path or a PostgreSQL URL."""


@pytest.fixture
def portal(db_target: str, tmp_path: Path) -> Iterator[Portal]:
    """The real portal on each engine (a SQLite file, a PostgreSQL database)."""
    db = make_clinic(db_target, local_dir=tmp_path)
    store = open_portal_store(db)
    clock = Clock()
    services = Services(db, store, load_all(), clock, setup_code=SETUP_CODE)
    with serving(services) as url:
        yield Portal(url, db, store, services, clock, db_target)
    db.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def sign_up(client: httpx.Client, username: str = "ann", password: str = "correct horse 1") -> httpx.Response:
    """Create the first administrator through the setup page (signs the client in)."""
    page = client.get("/setup")
    assert page.status_code == 200
    return client.post(
        "/setup",
        data={
            "csrf": csrf_of(page.text),
            "setup_code": SETUP_CODE,
            "username": username,
            "password": password,
            "repeat": password,
        },
    )


@pytest.fixture
def therapist(portal: Portal) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=portal.url, follow_redirects=True, timeout=60.0) as client:
        assert sign_up(client).url.path == "/patients"
        yield client
