"""Typed run settings: what the command line asked for, validated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """How this run should behave (from the command line)."""

    demo: bool = False
    camera: int = 0
    patient: str | None = None
    level: str | None = None
    db: Path | str | None = None
    """The database: a file, or a ``postgresql://`` URL (text); None = the default file."""
    headless: bool = False
    seconds: float | None = None
    screenshot: Path | None = None
    video: Path | None = None
    replay: Path | None = None
    record: Path | None = None
    fast: bool = False
    force: bool = False
    """Outputs (--screenshot, --record) may replace existing files (never the database)."""
    seed: int = 0
    mute: bool = False
    fps: int = 60
    """Render and fixed-update rate in hertz."""
    language: str | None = None
    """``--language CODE``: every screen and the voice in this language for this run (a shipped
    code, game.i18n.LANGUAGES; checked with game.i18n.check_language); None = the patient's own
    language on patient screens and the clinic's on therapist screens."""

    @property
    def autoplay(self) -> bool:
        """The demo plays itself: menus are navigated and the simulated patient moves."""
        return self.demo

    @property
    def uses_demo_db(self) -> bool:
        """Demo sessions go to the separate demo database unless --db names one."""
        return self.demo and self.db is None
