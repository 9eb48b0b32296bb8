"""What the rest of the game needs from a database, as Protocols (the seam for a second engine).

:class:`game.storage.Database` (SQLite) implements :class:`Store`. Callers ask for the smallest
role they use, so a read-only engine can serve the review and export screens:

- :class:`MetaStore`: app-wide text values (therapist PIN, adaptive state, export salt);
- :class:`PatientStore`: patients, their settings history and calibrations;
- :class:`HistoryReader`: sessions, reps, level results and recordings, read back;
- :class:`SessionWriter`: a session as it is played (one transaction per save);
- :class:`FamilyAccessStore`: per-patient family access codes (keyed digests);
- :class:`Store`: all of them, plus where it lives and ``close``.

Timestamps are ISO-8601 UTC strings stamped by the caller (records.py); errors a user can meet
are :class:`game.storage.StorageError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from game.storage.owners import Owner
from game.storage.records import Calibration, ChangeLogEntry, LevelResult, Patient, Rep, RepRow, SessionRow


class MetaStore(Protocol):
    """App-wide key/value text (the therapist PIN hash, adaptive state, the export salt)."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


class PatientStore(Protocol):
    """Patients, their settings (every change logged) and their calibrations."""

    def add_patient(self, patient: Patient) -> None: ...

    def get_patient(self, patient_id: str) -> Patient | None: ...

    def list_patients(self, include_guests: bool = False) -> list[Patient]: ...

    def update_patient_settings(
        self, patient_id: str, settings: Mapping[str, Any], *, who: str, reason: str, at: str
    ) -> list[ChangeLogEntry]: ...

    def change_log(self, patient_id: str) -> list[ChangeLogEntry]: ...

    def save_calibration(self, calibration: Calibration) -> None: ...

    def latest_calibration(self, patient_id: str) -> Calibration | None: ...


class HistoryReader(Protocol):
    """What was played, read back (the therapist review, the family screen, the exports)."""

    def sessions(self, patient_id: str) -> list[SessionRow]: ...

    def reps(self, session_id: int) -> list[RepRow]: ...

    def level_results(self, session_id: int) -> list[LevelResult]: ...

    def frames(self, session_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(t_s (N,) float64, image (N, 33, 4) float32, world (N, 33, 4) float32)``."""
        ...


class SessionWriter(Protocol):
    """A session as it is played: each call is one transaction, so a crash loses at most the
    rep in progress."""

    def start_session(
        self,
        patient_id: str,
        *,
        started_at: str,
        source: str,
        plan: Mapping[str, Any],
        pain_before: int | None = None,
    ) -> int: ...

    def finish_session(
        self, session_id: int, *, status: str, ended_at: str, pain_after: int | None = None, active_s: float
    ) -> None: ...

    def recover_unfinished(self, ended_at: str) -> list[int]:
        """Abort the running sessions whose owner is gone (game/storage/owners.py)."""
        ...

    def heartbeat(self, at: str, wait_s: float = 0.1) -> int:
        """Stamp this instance's running sessions as alive."""
        ...

    def add_rep(
        self,
        session_id: int,
        rep: Rep,
        *,
        created_at: str,
        uid: str | None = None,
        active_s: float | None = None,
    ) -> int: ...

    def add_level_result(self, result: LevelResult, *, uid: str | None = None) -> None: ...

    def add_frames(
        self, session_id: int, start_idx: int, t_s: np.ndarray, image: np.ndarray, world: np.ndarray
    ) -> None:
        """Append recorded frames: ``t_s (N,)`` seconds since the session started, landmarks
        ``(N, 33, 4)``."""
        ...


class FamilyAccessStore(Protocol):
    """Per-patient family access codes, stored as keyed digests (game/storage/family.py;
    digests made by game/therapist/family_access.py). The game's family screen and the web
    portal share them."""

    def set_family_code(self, patient_id: str, code_digest: str, *, at: str) -> None: ...

    def clear_family_code(self, patient_id: str) -> None: ...

    def family_code_patient(self, code_digest: str) -> str | None: ...

    def family_code_set_at(self, patient_id: str) -> str | None: ...


class Store(MetaStore, PatientStore, HistoryReader, SessionWriter, FamilyAccessStore, Protocol):
    """A whole MirrorPlay database."""

    @property
    def path(self) -> Path:
        """Where it lives (exports and the crash log go beside it)."""
        ...

    @property
    def owner(self) -> Owner:
        """This running instance (session rows and recovery files name it)."""
        ...

    @property
    def waiting(self) -> str | None:
        """Plain words while saves wait for a clinic server that cannot be reached, else None."""
        ...

    def close(self) -> None: ...
