"""What a scene may use of the application: the seam between the scenes and game/app.py.

Scenes are given an :class:`AppServices` (the running :class:`game.app.App` satisfies it) and
never import the App, so the App can own the scene stack without an import cycle, and a test
can hand a scene any object with these members. Everything here is read-only for a scene: the
current patient changes only through the scene stack (a :class:`~game.scenes.base.ChoosePatient`
transition), never by assignment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np

from game.i18n import Text
from game.levels import LevelSpec
from game.settings import Settings
from game.storage.protocol import Store
from game.storage.records import Patient
from game.tracking.pose import PoseSource


class AppServices(Protocol):
    """The services shared by every scene (passed in, never global)."""

    @property
    def settings(self) -> Settings:
        """How this run was asked to behave (command line)."""
        ...

    @property
    def db(self) -> Store:
        """The database of patients and their sessions."""
        ...

    @property
    def levels(self) -> Mapping[str, LevelSpec]:
        """Every loaded level by id."""
        ...

    @property
    def patient(self) -> Patient | None:
        """Who is playing, once chosen."""
        ...

    @property
    def source(self) -> PoseSource:
        """Where poses come from (camera, video, replay or the simulated patient)."""
        ...

    @property
    def frame_size(self) -> tuple[int, int]:
        """The pose source's raw frame size ``(width_px, height_px)``."""
        ...

    @property
    def rng(self) -> np.random.Generator:
        """The run's seeded random generator."""
        ...

    @property
    def notice(self) -> str | None:
        """One friendly line for the title screen (e.g. why the demo started)."""
        ...

    @property
    def t_s(self) -> float:
        """Game time in seconds since start (advances by fixed steps)."""
        ...

    @property
    def dt_s(self) -> float:
        """One fixed update step in seconds."""
        ...

    def now_s(self) -> float:
        """The time to poll the pose source with (see game/app.py)."""
        ...

    def play(self, name: str) -> None:
        """Play a sound cue by name (nothing when muted)."""
        ...

    def request_parts(self, parts: frozenset[str]) -> None:
        """Have the tracker run the models for ``parts`` ("hands", "face"; the body always)
        from its next picture, when the source can choose (camera, video)."""
        ...

    @property
    def system_language(self) -> str | None:
        """The operating system's language when MirrorPlay ships it (the clinic's default)."""
        ...

    def say(self, words: Text) -> None:
        """Speak `words` to the patient in their language, at their voice settings; returns at
        once (speech runs on its own thread, the newest prompt replacing an older one). Nothing
        happens when the patient's voice is off or no voice is installed."""
        ...
