"""Family access: the code a therapist gives a patient's family, and checking it (no pygame).

A family sees one patient's progress only: the patient chosen in their own session, or the
patient whose family code they type (``FAMILY_CODE_DIGITS`` digits, set by the therapist in
the patient's menu). There is never a list of patients on the family side.

The code is not stored: storage keeps ``HMAC-SHA256(key, code)`` (game/storage/family.py),
with a random 32-byte key made once per database and kept in ``meta``. A keyed digest, not a
salted slow hash, because the family types only the code and the game must find the patient
by it; six digits are no secret against someone holding the database file, so the protection
is the lockout: after ``FREE_TRIES`` wrong codes the pad pauses, doubling each time
(game.therapist.pin.lockout_delay_s, the therapist PIN's schedule), and the count survives
restarts. The web portal (H8) shares the same table and digest.

Time is passed in as wall-clock seconds since the epoch (the lockout outlives the process).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Protocol

from game.storage.protocol import FamilyAccessStore, MetaStore, PatientStore
from game.storage.records import Patient
from game.therapist.pin import FREE_TRIES, MAX_DELAY_S, lockout_delay_s

FAMILY_CODE_DIGITS = 6
KEY_SECRET = "family_code_key"
KEY_FAILURES = "family_code_failures"
KEY_LOCKED_UNTIL = "family_code_locked_until_s"


class FamilyStore(MetaStore, PatientStore, FamilyAccessStore, Protocol):
    """What family access needs of the database."""


def validate_family_code(code: str) -> None:
    """Raise ValueError with a plain message unless `code` is a usable family code."""
    if not (isinstance(code, str) and code.isascii() and code.isdigit()):
        raise ValueError("A family code is digits 0-9 only.")
    if len(code) != FAMILY_CODE_DIGITS:
        raise ValueError(f"A family code has {FAMILY_CODE_DIGITS} digits (this one has {len(code)}).")
    steps = {int(b) - int(a) for a, b in zip(code, code[1:], strict=False)}
    if len(set(code)) == 1 or steps in ({1}, {-1}):
        raise ValueError("Too easy to guess (like 111111 or 123456): choose another.")


def code_digest(store: MetaStore, code: str) -> str:
    """The keyed digest storage keeps for `code` (the key is made on first use)."""
    key = store.get_meta(KEY_SECRET)
    if not key:
        key = secrets.token_hex(32)
        store.set_meta(KEY_SECRET, key)
    return hmac.new(bytes.fromhex(key), code.encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class FamilyResult:
    """One attempt: the patient it opens (None when wrong or locked), the wait, and words."""

    patient: Patient | None
    locked_for_s: float
    message: str


class FamilyGate:
    """Sets, removes and checks family codes, with a lockout that survives restarts."""

    def __init__(self, store: FamilyStore) -> None:
        self._store = store

    def set_code(self, patient_id: str, code: str, at: str) -> None:
        """Give the patient `code` (replacing an earlier one). ValueError with plain words for
        a bad code; StorageError if another patient has it."""
        validate_family_code(code)
        self._store.set_family_code(patient_id, code_digest(self._store, code), at=at)

    def clear(self, patient_id: str) -> None:
        self._store.clear_family_code(patient_id)

    def has_code(self, patient_id: str) -> bool:
        return self._store.family_code_set_at(patient_id) is not None

    def locked_for_s(self, now_s: float) -> float:
        """Seconds until the next attempt is accepted (0 when not locked)."""
        raw = self._store.get_meta(KEY_LOCKED_UNTIL)
        try:
            until_s = float(raw) if raw else 0.0
        except ValueError:
            until_s = now_s + MAX_DELAY_S
        return min(max(0.0, until_s - now_s), MAX_DELAY_S)

    def open(self, code: str, now_s: float) -> FamilyResult:
        """The patient `code` opens at wall-clock `now_s`, counting wrong codes."""
        wait_s = self.locked_for_s(now_s)
        if wait_s > 0:
            return FamilyResult(None, wait_s, f"Please wait {_seconds(wait_s)}, then try again.")
        patient_id = self._store.family_code_patient(code_digest(self._store, code)) if code else None
        patient = self._store.get_patient(patient_id) if patient_id else None
        if patient is not None:
            self._store.set_meta(KEY_FAILURES, "0")
            self._store.set_meta(KEY_LOCKED_UNTIL, "")
            return FamilyResult(patient, 0.0, "")
        raw = self._store.get_meta(KEY_FAILURES)
        failures = (int(raw) if raw and raw.isdigit() else 0) + 1
        delay_s = lockout_delay_s(failures)
        self._store.set_meta(KEY_FAILURES, str(failures))
        self._store.set_meta(KEY_LOCKED_UNTIL, repr(now_s + delay_s) if delay_s else "")
        if delay_s:
            return FamilyResult(None, delay_s, f"That code is not right. Please wait {_seconds(delay_s)}.")
        return FamilyResult(None, 0.0, f"That code is not right: {tries_left(FREE_TRIES - failures)}.")


def tries_left(left: int) -> str:
    """How many wrong tries remain before the pad pauses, in plain words."""
    if left <= 0:
        return "the next wrong try pauses the pad"
    return "1 more try before a pause" if left == 1 else f"{left} more tries before a pause"


def _seconds(seconds: float) -> str:
    whole = int(-(-seconds // 1))
    return f"{whole} seconds" if whole < 120 else f"{-(-whole // 60)} minutes"
