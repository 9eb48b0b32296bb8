"""``python -m game.portal``: bad input is one line and exit 2, a busy port exit 1."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from game.portal.cli import run


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--port", "70000"], "port number 1-65535"),
        (["--port", "x"], "port number"),
        (["--db", "postgresql://clinic/mirrorplay?nonsense=1"], "not a valid PostgreSQL URL"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and err.startswith("mirrorplay serve: ")


def test_a_folder_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run(["--db", str(tmp_path), "--port", str(port)]) == 2
    assert "is a folder, not a database file" in capsys.readouterr().err


def test_a_busy_port_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run(["--db", str(tmp_path / "c.db"), "--port", str(port)]) == 1
    assert "is in use" in capsys.readouterr().err
    assert not (tmp_path / "c.db").exists()  # nothing made before the port was known to be free


def test_a_server_that_cannot_be_reached_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        db_port = s.getsockname()[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run(["--db", f"postgresql://nobody@127.0.0.1:{db_port}/clinic", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and err.count("\n") == 1
