"""Portal sign-in: therapist passwords, family access codes, browser sessions, lockout.

Passwords and access codes are hashed with the therapist PIN's salted scrypt
(game/therapist/pin.py); wrong attempts lock an account (or a family link) on the PIN's
schedule: 3 free tries, then 30 s doubling up to 15 min, kept in the database so a restart does
not reset it. A wrong username costs the same scrypt work as a wrong password and gets the same
answer, so the login page does not tell which usernames exist.

A browser session is a random token in an HttpOnly cookie; the database keeps only its SHA-256
(:func:`token_hash`) with a CSRF token that every form must send back. Time is passed in as
``now_s`` (wall-clock seconds since the Unix epoch).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from game.storage.portal_store import FamilyLink, PortalSession, PortalStore, Therapist
from game.therapist.pin import FREE_TRIES, MAX_DELAY_S, hash_pin, lockout_delay_s, verify_pin

PASSWORD_MIN_CHARS = 10
"""NIST SP 800-63B asks for at least 8 characters; 10 for an account that sees health data."""
USERNAME_MAX_CHARS = 40
THERAPIST_SESSION_S = 12 * 3600.0
"""A therapist signs in once per working day."""
FAMILY_SESSION_S = 30 * 24 * 3600.0
"""A family member's phone stays signed in for a month (until the therapist revokes the link)."""
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Access-code letters without look-alikes (no 0/O, 1/I/L), easy to read out on the phone."""
CODE_CHARS = 10
"""10 characters of 31: about 50 bits, with the lockout far beyond guessing."""
_DUMMY_HASH = hash_pin("not-a-password")


class AuthError(ValueError):
    """A bad new username, password or label; the message is shown on the form."""


@dataclass(frozen=True)
class Attempt:
    """Outcome of a sign-in: `ok`, and the message and remaining lockout when not."""

    ok: bool
    message: str
    locked_for_s: float = 0.0


def token_hash(token: str) -> str:
    """SHA-256 hex of a session token (what the database keeps)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_username(username: str) -> str:
    name = username.strip() if isinstance(username, str) else ""
    if not name or len(name) > USERNAME_MAX_CHARS or not name.isprintable():
        raise AuthError(f"A username is 1 to {USERNAME_MAX_CHARS} printable characters.")
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_CHARS:
        raise AuthError(f"A password needs at least {PASSWORD_MIN_CHARS} characters.")
    return password


def new_therapist(username: str, password: str, *, is_admin: bool, created_at: str) -> Therapist:
    """A checked, hashed account record (raises AuthError for a bad username or password)."""
    return Therapist(check_username(username), hash_pin(check_password(password)), is_admin, created_at)


def _locked_for(locked_until_s: float, now_s: float) -> float:
    # Clock set back: never more than the longest delay.
    return min(max(0.0, locked_until_s - now_s), MAX_DELAY_S)


def _failed(failures: int, now_s: float) -> tuple[int, float, Attempt]:
    failures += 1
    delay_s = lockout_delay_s(failures)
    if delay_s:
        return failures, now_s + delay_s, Attempt(False, f"Locked for {_words(delay_s)}.", delay_s)
    return failures, 0.0, Attempt(False, f"{FREE_TRIES - failures} tries left before a pause.")


def login(store: PortalStore, username: str, password: str, now_s: float) -> Attempt:
    """Check a therapist's password at `now_s`, counting failures and applying the lockout."""
    account = store.get_therapist(username.strip())
    if account is None:
        verify_pin(password, _DUMMY_HASH)  # the same work as for a real account
        return Attempt(False, "Wrong username or password.")
    wait_s = _locked_for(account.locked_until_s, now_s)
    if wait_s > 0:
        return Attempt(False, f"Too many wrong passwords: locked for {_words(wait_s)}.", wait_s)
    if verify_pin(password, account.password_hash):
        if account.failures:
            store.set_login_failures(account.username, 0, 0.0)
        return Attempt(True, "Signed in.")
    failures, until_s, result = _failed(account.failures, now_s)
    store.set_login_failures(account.username, failures, until_s)
    return Attempt(False, f"Wrong username or password. {result.message}", result.locked_for_s)


def new_code() -> str:
    """A fresh access code, shown once as ``ABCDE-FGHJK``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_CHARS))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str) -> str:
    """What was typed, without spaces or dashes, upper case (codes are read out on the phone)."""
    return "".join(ch for ch in text.upper() if ch.isalnum()) if isinstance(text, str) else ""


def new_link(patient_id: str, label: str, created_by: str, created_at: str) -> tuple[FamilyLink, str]:
    """A family link and its access code (returned once; only its hash is kept)."""
    label = label.strip() if isinstance(label, str) else ""
    if not label or len(label) > 60:
        raise AuthError("Name the link (1 to 60 characters), e.g. 'Daughter Anna'.")
    code = new_code()
    link = FamilyLink(
        secrets.token_urlsafe(12), patient_id, hash_pin(normalise_code(code)), label, created_by, created_at
    )
    return link, code


def open_link(store: PortalStore, link_id: str, code: str, now_s: float) -> Attempt:
    """Check a family access code for a link (revoked links never open)."""
    link = store.get_family_link(link_id)
    if link is None or link.revoked_at is not None:
        return Attempt(False, "This link no longer works. Ask the therapist for a new one.")
    wait_s = _locked_for(link.locked_until_s, now_s)
    if wait_s > 0:
        return Attempt(False, f"Too many wrong codes: try again in {_words(wait_s)}.", wait_s)
    if verify_pin(normalise_code(code), link.code_hash):
        if link.failures:
            store.set_link_failures(link.id, 0, 0.0)
        return Attempt(True, "Welcome.")
    failures, until_s, result = _failed(link.failures, now_s)
    store.set_link_failures(link.id, failures, until_s)
    return Attempt(False, f"That code is not right. {result.message}", result.locked_for_s)


def start_session(store: PortalStore, kind: str, subject: str, now_s: float) -> tuple[str, PortalSession]:
    """Sign a browser in: returns the cookie token and the stored session (with its CSRF token)."""
    token = secrets.token_urlsafe(32)
    life_s = THERAPIST_SESSION_S if kind == "therapist" else FAMILY_SESSION_S
    session = PortalSession(token_hash(token), kind, subject, secrets.token_urlsafe(24), now_s + life_s)
    store.add_portal_session(session)
    return token, session


def same_token(sent: str, expected: str) -> bool:
    """Constant-time comparison of a CSRF token sent with a form."""
    return bool(sent) and hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def _words(seconds: float) -> str:
    whole = int(-(-seconds // 1))
    return f"{whole} seconds" if whole < 120 else f"{-(-whole // 60)} minutes"
