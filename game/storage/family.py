"""Family access codes: one per patient, the key to that patient's progress for the family.

One table, ``family_codes`` (schema version 3, :data:`FAMILY_CODES_DDL`): a patient has at
most one code, and a code opens at most one patient. Storage keeps only a keyed digest of the
code, never the digits: game/therapist/family_access.py makes the digest (HMAC-SHA256 with a
random key kept in ``meta``) and checks attempts; the game's family screen and the web portal
read the same table through :class:`FamilyCodeRows` (the :class:`~game.storage.protocol.FamilyAccessStore`
role).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from game.storage.errors import StorageError
from game.storage.records import check_utc_timestamp
from game.storage.rows import check_text

FAMILY_CODES_DDL = (
    """CREATE TABLE family_codes (
        patient_id TEXT PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,
        code_digest TEXT NOT NULL UNIQUE,
        set_at TEXT NOT NULL
    )""",
)
"""The family codes table: who, the code's keyed digest (unique: one code, one patient), when
it was set (ISO-8601 UTC)."""


class FamilyCodeRows:
    """The family-code methods of :class:`game.storage.Database` (mixed in; SQL lives here)."""

    _read: Callable[[str], AbstractContextManager[sqlite3.Connection]]
    _write: Callable[[str], AbstractContextManager[sqlite3.Connection]]

    def set_family_code(self, patient_id: str, code_digest: str, *, at: str) -> None:
        """Give `patient_id` the family code whose digest is `code_digest` (replacing any
        earlier code). StorageError if another patient has that code or the patient is unknown."""
        check_text(code_digest, "code_digest")
        check_utc_timestamp(at, "at")
        with self._write(f"set the family code of patient {patient_id!r}") as conn:
            if conn.execute("SELECT 1 FROM patients WHERE id = ?", (patient_id,)).fetchone() is None:
                raise StorageError(f"cannot set a family code: no patient with id {patient_id!r}.")
            other = conn.execute(
                "SELECT patient_id FROM family_codes WHERE code_digest = ? AND patient_id != ?",
                (code_digest, patient_id),
            ).fetchone()
            if other is not None:
                raise StorageError("that family code is already used for another patient: choose another.")
            conn.execute(
                "INSERT INTO family_codes (patient_id, code_digest, set_at) VALUES (?, ?, ?) "
                "ON CONFLICT (patient_id) DO UPDATE SET code_digest = excluded.code_digest, "
                "set_at = excluded.set_at",
                (patient_id, code_digest, at),
            )

    def clear_family_code(self, patient_id: str) -> None:
        """Remove the patient's family code (the family can no longer open their progress)."""
        with self._write(f"remove the family code of patient {patient_id!r}") as conn:
            conn.execute("DELETE FROM family_codes WHERE patient_id = ?", (patient_id,))

    def family_code_patient(self, code_digest: str) -> str | None:
        """The id of the patient whose family code has this digest, or None."""
        with self._read("look up a family code") as conn:
            row = conn.execute(
                "SELECT patient_id FROM family_codes WHERE code_digest = ?", (code_digest,)
            ).fetchone()
        return None if row is None else str(row[0])

    def family_code_set_at(self, patient_id: str) -> str | None:
        """When the patient's family code was set (ISO-8601 UTC), or None when there is none."""
        with self._read(f"read the family code of patient {patient_id!r}") as conn:
            row = conn.execute(
                "SELECT set_at FROM family_codes WHERE patient_id = ?", (patient_id,)
            ).fetchone()
        return None if row is None else str(row[0])
