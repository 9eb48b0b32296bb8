"""Start the web portal: ``python -m game.portal [--db PATH] [--host H] [--port P] [--secure-cookies]``.

The database is ``--db``, else ``$MIRRORPLAY_DB``, else the game's usual file
(``storage.default_db_path(demo=False)``). The first start of a database without portal
accounts prints a one-time setup code: the page ``/setup`` asks for it, creates the first
administrator and disappears. By default the portal listens on 127.0.0.1 only; to serve a clinic
network, put it behind an HTTPS reverse proxy and pass ``--host 0.0.0.0 --secure-cookies``.

Bad options, an unusable database or a ``postgresql://`` URL (not yet supported) get one line
and exit code 2; a port already in use gets one line and exit code 1.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from typing import NoReturn

import uvicorn

from game.levels import LevelError, load_all
from game.portal.app import create_app
from game.portal.auth import new_code
from game.portal.web import Services
from game.storage import StorageError, db_target, default_db_path, open_database
from game.storage.portal_store import open_portal_store

EXIT_USAGE, EXIT_ENVIRONMENT = 2, 1
DEFAULT_PORT = 8080


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see --help)")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 1-65535, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="mirrorplay serve", description="Start the MirrorPlay web portal for therapists and families."
    )
    p.add_argument(
        "--db",
        metavar="PATH",
        default=os.environ.get("MIRRORPLAY_DB"),
        help="database file or postgresql:// URL (default: $MIRRORPLAY_DB, else the game's usual file)",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer)"
    )
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark cookies Secure (when the portal is served over HTTPS)",
    )
    return p


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def run(argv: list[str]) -> int:
    """Parse `argv`, open the database and serve until stopped; return the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as err:
        print(f"mirrorplay serve: {err}", file=sys.stderr)
        return EXIT_USAGE
    if not _port_free(args.host, args.port):
        print(f"mirrorplay serve: {args.host}:{args.port} is in use; choose another --port", file=sys.stderr)
        return EXIT_ENVIRONMENT
    try:
        # The portal plays no session: on a server every write goes straight to it (no outbox).
        db = open_database(db_target(args.db) if args.db else default_db_path(demo=False), station=False)
        store = open_portal_store(db)
        levels = load_all()
    except StorageError as err:
        print(f"mirrorplay serve: {err}", file=sys.stderr)
        return err.code  # 2 for a wrong file or URL, 1 for a server that cannot be reached
    except LevelError as err:
        print(f"mirrorplay serve: {err}", file=sys.stderr)
        return EXIT_USAGE
    with db:
        code = new_code() if store.count_therapists() == 0 else None
        services = Services(db, store, levels, time.time, secure_cookies=args.secure_cookies, setup_code=code)
        url = f"http://{args.host}:{args.port}"
        print(f"MirrorPlay portal on {url} (database {db.name}); Ctrl+C stops it.", flush=True)
        if code:
            print(
                f"First start: open {url}/setup and enter the setup code {code} to create the administrator.",
                flush=True,
            )
        config = uvicorn.Config(
            create_app(services), host=args.host, port=args.port, log_level="warning", access_log=False
        )
        uvicorn.Server(config).run()
    return 0
