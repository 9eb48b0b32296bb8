"""Therapist PIN: scrypt hashing, validation and the persisted lockout."""

from __future__ import annotations

import base64
import hashlib

import pytest

from game.therapist import pin as pinmod
from game.therapist.pin import (
    BASE_DELAY_S,
    FREE_TRIES,
    MAX_DELAY_S,
    PinGate,
    hash_pin,
    lockout_delay_s,
    validate_new_pin,
    verify_pin,
)


class DictStore:
    """The storage layer's two meta methods, in memory."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get_meta(self, key: str) -> str | None:
        return self.data.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.data[key] = value


def test_hash_matches_hashlib_scrypt_and_is_self_describing() -> None:
    salt = bytes(range(16))
    stored = hash_pin("2580", salt=salt)
    scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert base64.b64decode(salt_b64) == salt
    expected = hashlib.scrypt(b"2580", salt=salt, n=2**14, r=8, p=1, dklen=32)
    assert base64.b64decode(hash_b64) == expected
    assert "2580" not in stored


def test_verify_accepts_right_pin_only_and_salts_differ() -> None:
    a, b = hash_pin("1357"), hash_pin("1357")
    assert a != b  # random salt
    assert verify_pin("1357", a) and verify_pin("1357", b)
    assert not verify_pin("1358", a)
    assert not verify_pin("", a)


@pytest.mark.parametrize("bad", ["", "plain", "scrypt$3$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!$AA"])
def test_verify_rejects_malformed_stored_hash(bad: str) -> None:
    with pytest.raises(ValueError, match="stored PIN hash"):
        verify_pin("1234", bad)


@pytest.mark.parametrize(
    ("pin", "msg"),
    [
        ("123", "4 to 8 digits"),
        ("123456789", "4 to 8 digits"),
        ("12a4", "digits 0-9"),
        ("١٢٣٤", "digits 0-9"),
        ("12 34", "digits 0-9"),
    ],
)
def test_validate_new_pin_rejects(pin: str, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        validate_new_pin(pin)


def test_validate_new_pin_accepts_bounds() -> None:
    validate_new_pin("0000")
    validate_new_pin("12345678")


def test_lockout_schedule_doubles_then_caps() -> None:
    assert [lockout_delay_s(k) for k in range(FREE_TRIES + 1)] == [0.0] * (FREE_TRIES + 1)
    assert lockout_delay_s(FREE_TRIES + 1) == BASE_DELAY_S
    assert lockout_delay_s(FREE_TRIES + 2) == 2 * BASE_DELAY_S
    assert lockout_delay_s(FREE_TRIES + 3) == 4 * BASE_DELAY_S
    assert lockout_delay_s(1000) == MAX_DELAY_S


def test_gate_first_use_and_pin_never_stored() -> None:
    store = DictStore()
    gate = PinGate(store)
    assert not gate.has_pin()
    with pytest.raises(ValueError, match="no PIN"):
        gate.attempt("1234", now_s=0.0)
    with pytest.raises(ValueError, match="4 to 8"):
        gate.set_first_pin("12")
    gate.set_first_pin("4826")
    assert gate.has_pin()
    assert all("4826" not in v for v in store.data.values())
    with pytest.raises(ValueError, match="already set"):
        gate.set_first_pin("1111")
    assert gate.attempt("4826", now_s=10.0).ok


def test_gate_locks_with_growing_delay_and_survives_restart() -> None:
    store = DictStore()
    PinGate(store).set_first_pin("4826")
    gate = PinGate(store)
    t = 1_000.0
    for k in range(1, FREE_TRIES + 1):
        res = gate.attempt("0000", t)
        assert not res.ok and res.locked_for_s == 0.0 and res.failures == k
    res = gate.attempt("0000", t)
    assert res.locked_for_s == BASE_DELAY_S
    # Restart: a new gate on the same store is still locked, even for the right PIN.
    gate2 = PinGate(store)
    locked = gate2.attempt("4826", t + 10.0)
    assert not locked.ok and locked.locked_for_s == pytest.approx(BASE_DELAY_S - 10.0)
    # After the delay, another wrong PIN doubles the lock.
    res = gate2.attempt("0000", t + BASE_DELAY_S)
    assert res.locked_for_s == 2 * BASE_DELAY_S
    # The right PIN after the delay unlocks and clears the count.
    ok = gate2.attempt("4826", t + 3 * BASE_DELAY_S + 1)
    assert ok.ok and gate2.failures() == 0 and gate2.locked_for_s(t + 3 * BASE_DELAY_S + 1) == 0


def test_clock_set_back_caps_remaining_lock_at_its_own_delay() -> None:
    store = DictStore()
    gate = PinGate(store)
    gate.set_first_pin("4826")
    for _ in range(FREE_TRIES + 1):
        gate.attempt("0000", 1e9)
    assert gate.locked_for_s(0.0) == BASE_DELAY_S <= MAX_DELAY_S


def test_change_pin_requires_old_pin() -> None:
    store = DictStore()
    gate = PinGate(store)
    gate.set_first_pin("4826")
    assert not gate.change_pin("1111", "9999", 0.0).ok
    assert gate.change_pin("4826", "9999", 0.0).ok
    assert gate.attempt("9999", 1.0).ok and not gate.attempt("4826", 2.0).ok
    with pytest.raises(ValueError):
        gate.change_pin("9999", "99", 3.0)


def test_corrupt_failure_count_does_not_unlock() -> None:
    store = DictStore()
    gate = PinGate(store)
    gate.set_first_pin("4826")
    store.data[pinmod.KEY_FAILURES] = "garbage"
    assert gate.failures() == FREE_TRIES
    assert gate.attempt("0000", 0.0).locked_for_s == BASE_DELAY_S
