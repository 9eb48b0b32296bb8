"""Where MirrorPlay keeps its database: the user's data folder, never the working directory.

Demo sessions go into ``demo.db`` beside the real ``mirrorplay.db`` so that simulated or
try-out data never mixes with patients' records.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_DIR = "MirrorPlay"
"""Folder created inside the platform's data folder."""
DB_NAME = "mirrorplay.db"
"""Real patients' database file name."""
DEMO_DB_NAME = "demo.db"
"""Database for demo and simulated-patient sessions."""
HOME_ENV = "MIRRORPLAY_HOME"
"""Environment variable naming the MirrorPlay data folder itself (overrides the platform)."""


def default_data_dir(
    *,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """Return the folder MirrorPlay writes its data to.

    Parameters
    ----------
    environ, platform, home
        Stand-ins for ``os.environ``, ``sys.platform`` and ``Path.home()`` (for tests).

    Returns
    -------
    Path
        ``$MIRRORPLAY_HOME`` if set; otherwise ``<platform data folder>/MirrorPlay`` where the
        platform folder is ``$XDG_DATA_HOME`` or ``~/.local/share`` on Linux and other Unix,
        ``~/Library/Application Support`` on macOS and ``%APPDATA%`` on Windows.
    """
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    user_home = Path.home() if home is None else home
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser()
    if plat.startswith("win"):
        base = Path(env["APPDATA"]) if env.get("APPDATA") else user_home / "AppData" / "Roaming"
    elif plat == "darwin":
        base = user_home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_DATA_HOME", "")
        # The XDG spec says relative values are invalid and must be ignored.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else user_home / ".local" / "share"
    return base / APP_DIR


def default_db_path(
    *,
    demo: bool,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """Return the database path: ``mirrorplay.db``, or ``demo.db`` when `demo` is true.

    See `default_data_dir` for the folder and the meaning of the other arguments.
    """
    folder = default_data_dir(environ=environ, platform=platform, home=home)
    return folder / (DEMO_DB_NAME if demo else DB_NAME)
