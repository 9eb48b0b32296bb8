"""A throwaway PostgreSQL cluster for tests and benchmarks (Debian's ``postgresql`` package).

``Cluster.start(folder)`` runs ``initdb`` into `folder` and ``pg_ctl start`` on a free local TCP
port (and a unix socket in the folder), trust authentication, superuser ``mirrorplay``. Run as
root, the server runs as the ``postgres`` user (PostgreSQL refuses root). ``stop()``/``restart``
stop and start the same real server (a station test stops it during play).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

SUPERUSER = "mirrorplay"
INSTALL = "PostgreSQL tests need Debian's server: apt-get install postgresql"


def bindir() -> Path | None:
    """Folder of initdb/pg_ctl: ``pg_config --bindir``, else /usr/lib/postgresql/*/bin; None if absent."""
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running PostgreSQL server in a folder of its own."""

    def __init__(self, folder: Path, bin_dir: Path, port: int, *, fast: bool) -> None:
        self.folder, self.bin, self.port, self.fast = folder, bin_dir, port, fast
        self.data = folder / "data"
        self._user = "postgres" if os.geteuid() == 0 else None

    @classmethod
    def start(cls, folder: Path | None = None, *, fast: bool = True) -> Cluster:
        """initdb and start a server; `fast` turns fsync off (tests; never for measurements)."""
        bin_dir = bindir()
        if bin_dir is None:
            raise FileNotFoundError(INSTALL)
        root = Path(folder or tempfile.mkdtemp(prefix="mirrorplay-pg-"))
        cluster = cls(root, bin_dir, _free_port(), fast=fast)
        cluster._own(root)
        cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                     "--no-instructions", "--no-sync")  # fmt: skip
        cluster.boot()
        return cluster

    def _own(self, path: Path) -> None:
        if self._user is not None:
            pw = pwd.getpwnam(self._user)
            os.chown(path, pw.pw_uid, pw.pw_gid)
        path.chmod(0o700)

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if self._user is not None:
            cmd = ["runuser", "-u", self._user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd="/")

    def boot(self) -> None:
        """Start (or start again) the server and wait until it accepts connections."""
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if self.fast:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", opts, "-w",
                  "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server now (``-m fast``: clients are disconnected, as when a server goes down)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, dbname: str) -> str:
        """A new empty database; return its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)

    def close(self) -> None:
        """Stop the server (if running) and delete its folder."""
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
