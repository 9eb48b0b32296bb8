"""The therapist PIN: salted scrypt hashes and a lockout that survives restarts.

The PIN itself is never stored: only ``scrypt$n$r$p$salt_b64$hash_b64``. Failed attempts and the
lockout deadline are persisted through a tiny key/value store (:class:`MetaStore`, provided by the
storage layer), so quitting and restarting the app does not reset the delay.

Time is passed in as ``now_s``: wall-clock seconds since the Unix epoch (``time.time()``), because
the lockout must outlive the process. Within one run the countdown follows a monotonic clock
(``monotonic``, e.g. ``time.monotonic``), so setting the wall clock back or forward changes
nothing. Across restarts the stored deadline is read against the wall clock, capped at the
lock's own delay; when the clock was set back, the deadline is re-stored as now + that delay,
so a lock never lasts longer than its delay after the clock change (never "still 15 min two
hours later").

Lockout schedule (design choice, like phone PIN screens): ``FREE_TRIES`` (3) wrong PINs are free;
the 4th locks for 30 s, each further wrong PIN doubles it (60, 120, ...) up to ``MAX_DELAY_S``
(15 min). A correct PIN clears the count.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from game.storage.errors import StorageError
from game.storage.protocol import MetaStore

SCRYPT_N = 2**14
"""CPU/memory cost (16 MiB with r = 8): about 37 ms per check here, fine for a PIN screen."""
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN_DIGITS, PIN_MAX_DIGITS = 4, 8
FREE_TRIES = 3
"""Wrong PINs allowed before the first lockout."""
BASE_DELAY_S = 30.0
"""First lockout, doubled for every further wrong PIN."""
MAX_DELAY_S = 900.0
"""Longest lockout (15 min): long enough to stop guessing, short enough for a clinic day."""

KEY_HASH = "therapist_pin_hash"
KEY_FAILURES = "therapist_pin_failures"
KEY_LOCKED_UNTIL = "therapist_pin_locked_until_s"

_MAX_LOG2_N = 20  # refuse stored parameters that would take seconds or gigabytes to check


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Return a self-describing salted scrypt hash of `pin`.

    Parameters
    ----------
    pin : str
        The PIN text (validate a new PIN with :func:`validate_new_pin` first).
    salt : bytes, optional
        16 random bytes from :func:`os.urandom` when omitted; pass one only in tests.

    Returns
    -------
    str
        ``"scrypt$16384$8$1$<salt base64>$<hash base64>"``.
    """
    if not isinstance(pin, str):
        raise ValueError(f"pin must be text, got {type(pin).__name__}")
    if salt is None:
        salt = os.urandom(SALT_BYTES)
    if not isinstance(salt, bytes) or len(salt) < 8:
        raise ValueError("salt must be at least 8 bytes")
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$") if isinstance(stored, str) else []
    try:
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        raise ValueError("stored PIN hash is not a 'scrypt$n$r$p$salt$hash' string") from None
    if n < 2 or n & (n - 1) or n > 2**_MAX_LOG2_N or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError(f"stored PIN hash has unsupported scrypt parameters n={n} r={r} p={p}")
    if not salt or not digest:
        raise ValueError("stored PIN hash has an empty salt or hash")
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Return True if `pin` matches the `stored` hash (constant-time comparison).

    Raises ValueError if `stored` is not a hash made by :func:`hash_pin`.
    """
    n, r, p, salt, digest = _parse(stored)
    if not isinstance(pin, str):
        return False
    candidate = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=256 * 1024**2
    )
    return hmac.compare_digest(candidate, digest)


def validate_new_pin(pin: str) -> None:
    """Raise ValueError with a clear message unless `pin` is 4 to 8 digits (0-9)."""
    if not isinstance(pin, str):
        raise ValueError(f"PIN must be text, got {type(pin).__name__}")
    if not (pin.isascii() and pin.isdigit()):
        raise ValueError("PIN must contain digits 0-9 only")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise ValueError(f"PIN must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits long, got {len(pin)}")


def lockout_delay_s(failures: int) -> float:
    """Seconds locked after `failures` consecutive wrong PINs (0 while within the free tries)."""
    if failures <= FREE_TRIES:
        return 0.0
    doublings = min(failures - FREE_TRIES - 1, 16)  # avoid huge powers; the cap wins anyway
    return min(BASE_DELAY_S * 2.0**doublings, MAX_DELAY_S)


@dataclass(frozen=True)
class PinResult:
    """Outcome of one PIN attempt.

    `locked_for_s` is how long until the next attempt is accepted (0 when not locked);
    `failures` is the count of consecutive wrong PINs; `message` is short text for the screen.
    """

    ok: bool
    locked_for_s: float
    failures: int
    message: str


class PinGate:
    """Guards therapist mode: first-use PIN setup, checks, and a persisted growing lockout."""

    def __init__(self, store: MetaStore, monotonic: Callable[[], float] | None = None) -> None:
        self._store = store
        self._monotonic = monotonic
        self._anchor: tuple[str, float, float] | None = None
        """(stored deadline text, monotonic time, seconds left then) of the lock seen last."""

    def has_pin(self) -> bool:
        """True once a PIN has been chosen."""
        return bool(self._store.get_meta(KEY_HASH))

    def failures(self) -> int:
        """Consecutive wrong PINs so far (a damaged value counts as the free tries used up)."""
        raw = self._store.get_meta(KEY_FAILURES)
        try:
            return max(0, int(raw)) if raw else 0
        except ValueError:
            return FREE_TRIES

    def locked_for_s(self, now_s: float) -> float:
        """Seconds until the next attempt is accepted (0 when not locked)."""
        raw = self._store.get_meta(KEY_LOCKED_UNTIL) or ""
        if self._anchor is not None and self._anchor[0] == raw and self._monotonic is not None:
            _, mono0_s, left0_s = self._anchor
            return max(0.0, left0_s - (self._monotonic() - mono0_s))
        try:
            until_s = float(raw) if raw else 0.0
        except ValueError:
            until_s = now_s + MAX_DELAY_S
        cap_s = lockout_delay_s(self.failures()) or MAX_DELAY_S
        left_s = until_s - now_s
        if left_s > cap_s:  # the clock was set back since the lock began
            left_s = cap_s
            raw = self._store_deadline(now_s + cap_s)
        left_s = max(0.0, left_s)
        if self._monotonic is not None:
            self._anchor = (raw, self._monotonic(), left_s)
        return left_s

    def _store_deadline(self, until_s: float) -> str:
        raw = repr(until_s)
        try:
            self._store.set_meta(KEY_LOCKED_UNTIL, raw)
        except StorageError:
            pass  # a busy database: the cap still holds, the re-anchor waits for the next read
        return raw

    def set_first_pin(self, pin: str) -> None:
        """Store the first PIN. Raises ValueError if one exists or `pin` is not 4-8 digits."""
        if self.has_pin():
            raise ValueError("a PIN is already set; use change_pin")
        validate_new_pin(pin)
        self._store.set_meta(KEY_HASH, hash_pin(pin))
        self._reset()

    def attempt(self, pin: str, now_s: float) -> PinResult:
        """Check `pin` at wall-clock time `now_s`, counting failures and applying the lockout."""
        stored = self._store.get_meta(KEY_HASH)
        if not stored:
            raise ValueError("no PIN is set yet; call set_first_pin first")
        wait_s = self.locked_for_s(now_s)
        failures = self.failures()
        if wait_s > 0:
            return PinResult(False, wait_s, failures, f"Locked. Try again in {_fmt_s(wait_s)}.")
        if verify_pin(pin, stored):
            self._reset()
            return PinResult(True, 0.0, 0, "PIN accepted.")
        failures += 1
        delay_s = lockout_delay_s(failures)
        self._store.set_meta(KEY_FAILURES, str(failures))
        raw = repr(now_s + delay_s) if delay_s else ""
        self._store.set_meta(KEY_LOCKED_UNTIL, raw)
        if self._monotonic is not None:
            self._anchor = (raw, self._monotonic(), delay_s)
        if delay_s:
            return PinResult(False, delay_s, failures, f"Wrong PIN. Locked for {_fmt_s(delay_s)}.")
        left = FREE_TRIES - failures
        return PinResult(False, 0.0, failures, f"Wrong PIN. {left} tries before a pause.")

    def change_pin(self, old_pin: str, new_pin: str, now_s: float) -> PinResult:
        """Replace the PIN if `old_pin` is accepted (same lockout rules); validate `new_pin` first."""
        validate_new_pin(new_pin)
        result = self.attempt(old_pin, now_s)
        if result.ok:
            self._store.set_meta(KEY_HASH, hash_pin(new_pin))
            return PinResult(True, 0.0, 0, "PIN changed.")
        return result

    def _reset(self) -> None:
        self._store.set_meta(KEY_FAILURES, "0")
        self._store.set_meta(KEY_LOCKED_UNTIL, "")


def _fmt_s(seconds: float) -> str:
    whole = int(-(-seconds // 1))  # round up: "0 s" would be wrong while still locked
    return f"{whole} s" if whole < 120 else f"{-(-whole // 60)} min"
