"""A station: one MirrorPlay install, known to a clinic's server by a random id kept on its disk.

The id is made once (a UUID) and kept in the file ``station-id`` of the install's data folder
(mode 0600), so every session a station plays on the server says where it was played
(``sessions.station_id``), and the station's recovery files (its outbox while the server cannot
be reached, game/storage/repwriter.py) stay on the station.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

STATION_FILE = "station-id"
_VALID = re.compile(r"^[0-9a-f]{32}$")


def station_id(data_dir: Path) -> str:
    """This install's station id, made and kept in `data_dir` on first use (folder made 0700)."""
    path = data_dir / STATION_FILE
    text = _read(path)
    if _VALID.match(text):
        return text
    new = uuid.uuid4().hex
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f"{STATION_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(new + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # never replaces: two stations starting at once keep the first id
    except FileExistsError:
        existing = _read(path)
        if _VALID.match(existing):
            return existing
        os.replace(tmp, path)  # a damaged id file: this id replaces it
    finally:
        tmp.unlink(missing_ok=True)
    return new


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def local_name(host: str, port: str, dbname: str) -> str:
    """A file name for a server database on this station (recovery files and exports sit beside it)."""
    raw = f"{host or 'local'}-{port or '5432'}-{dbname or 'db'}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("_")[:120] + ".postgresql"
