"""What the web portal stores: therapist accounts, family access links and browser sessions.

Three tables of their own, created and upgraded by :data:`PORTAL_MIGRATIONS` on first use and
versioned by the meta key ``portal_schema_version`` (independent of the game's ``user_version``,
so the game's schema and the portal's evolve without touching each other). All in the same
database file as the patients, so a family link disappears with its patient (ON DELETE CASCADE).

Only hashes are stored: passwords and access codes as salted scrypt (made by the caller,
game/therapist/pin.py), browser session tokens as SHA-256 (made by the caller: a random token is
looked up by its hash so a stolen database holds no usable token). Times are wall-clock seconds
since the Unix epoch (lockouts and expiry must outlive the process); ``created_at`` texts are
ISO-8601 UTC like the rest of the database.

The portal types its database as :class:`PortalStore` (the seam for the PostgreSQL engine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from game.storage.db import Database
from game.storage.errors import StorageError
from game.storage.records import check_utc_timestamp
from game.storage.rows import check_text
from game.storage.schema import script

SCHEMA_KEY = "portal_schema_version"
SESSION_KINDS = ("therapist", "family")


@dataclass(frozen=True)
class Therapist:
    """A portal account. `failures`/`locked_until_s` drive the login lockout."""

    username: str
    password_hash: str
    is_admin: bool
    created_at: str
    failures: int = 0
    locked_until_s: float = 0.0


@dataclass(frozen=True)
class FamilyLink:
    """A per-patient link (``/f/<id>``) opened with an access code; revoked links stay listed."""

    id: str
    patient_id: str
    code_hash: str
    label: str
    created_by: str
    created_at: str
    revoked_at: str | None = None
    failures: int = 0
    locked_until_s: float = 0.0


@dataclass(frozen=True)
class PortalSession:
    """A signed-in browser: `kind` therapist (subject = username) or family (subject = link id)."""

    token_hash: str
    kind: str
    subject: str
    csrf: str
    expires_at_s: float


class PortalStore(Protocol):
    """The portal's accounts, family links and browser sessions."""

    def count_therapists(self) -> int: ...

    def add_first_admin(self, therapist: Therapist) -> bool: ...

    def add_therapist(self, therapist: Therapist) -> None: ...

    def get_therapist(self, username: str) -> Therapist | None: ...

    def list_therapists(self) -> list[Therapist]: ...

    def set_login_failures(self, username: str, failures: int, locked_until_s: float) -> None: ...

    def add_family_link(self, link: FamilyLink) -> None: ...

    def get_family_link(self, link_id: str) -> FamilyLink | None: ...

    def family_links(self, patient_id: str) -> list[FamilyLink]: ...

    def revoke_family_link(self, link_id: str, at: str) -> None: ...

    def set_link_failures(self, link_id: str, failures: int, locked_until_s: float) -> None: ...

    def add_portal_session(self, session: PortalSession) -> None: ...

    def get_portal_session(self, token_hash: str, now_s: float) -> PortalSession | None: ...

    def delete_portal_session(self, token_hash: str) -> None: ...

    def delete_family_sessions(self, link_id: str) -> None: ...


PORTAL_MIGRATIONS: tuple[Callable[[Any], None], ...] = (
    script(
        """CREATE TABLE portal_therapists (
            username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            is_admin INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
            created_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until_s REAL NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE portal_family_links (
            id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            label TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until_s REAL NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX portal_family_links_patient ON portal_family_links (patient_id)",
        """CREATE TABLE portal_sessions (
            token_hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('therapist', 'family')),
            subject TEXT NOT NULL,
            csrf TEXT NOT NULL,
            expires_at_s REAL NOT NULL
        )""",
    ),
)
"""``PORTAL_MIGRATIONS[i]`` takes the portal tables from version ``i`` to ``i + 1``."""

_THERAPIST_COLS = "username, password_hash, is_admin, created_at, failures, locked_until_s"
_LINK_COLS = "id, patient_id, code_hash, label, created_by, created_at, revoked_at, failures, locked_until_s"


class SqlitePortalStore:
    """:class:`PortalStore` in the game's SQLite database (open with :func:`open_portal_store`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- accounts ------------------------------------------------------------------------

    def count_therapists(self) -> int:
        with self._db._read("count portal accounts") as conn:
            return int(conn.execute("SELECT count(*) FROM portal_therapists").fetchone()[0])

    def add_first_admin(self, therapist: Therapist) -> bool:
        """Add `therapist` only while no account exists (one transaction); False if one does."""
        _check_therapist(therapist)
        with self._db._write("create the first portal account") as conn:
            if conn.execute("SELECT count(*) FROM portal_therapists").fetchone()[0]:
                return False
            self._insert_therapist(conn, therapist)
        return True

    def add_therapist(self, therapist: Therapist) -> None:
        """Add an account; StorageError if the username is taken."""
        _check_therapist(therapist)
        with self._db._write(f"add portal account {therapist.username!r}") as conn:
            self._insert_therapist(conn, therapist)

    @staticmethod
    def _insert_therapist(conn: Any, t: Therapist) -> None:
        conn.execute(
            f"INSERT INTO portal_therapists ({_THERAPIST_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
            (t.username, t.password_hash, int(t.is_admin), t.created_at, t.failures, t.locked_until_s),
        )

    def get_therapist(self, username: str) -> Therapist | None:
        with self._db._read("read a portal account") as conn:
            row = conn.execute(
                f"SELECT {_THERAPIST_COLS} FROM portal_therapists WHERE username = ?", (username,)
            ).fetchone()
        return None if row is None else Therapist(row[0], row[1], bool(row[2]), row[3], row[4], row[5])

    def list_therapists(self) -> list[Therapist]:
        with self._db._read("list portal accounts") as conn:
            rows = conn.execute(
                f"SELECT {_THERAPIST_COLS} FROM portal_therapists ORDER BY username"
            ).fetchall()
        return [Therapist(r[0], r[1], bool(r[2]), r[3], r[4], r[5]) for r in rows]

    def set_login_failures(self, username: str, failures: int, locked_until_s: float) -> None:
        with self._db._write("record a portal login") as conn:
            conn.execute(
                "UPDATE portal_therapists SET failures = ?, locked_until_s = ? WHERE username = ?",
                (int(failures), float(locked_until_s), username),
            )

    # -- family links --------------------------------------------------------------------

    def add_family_link(self, link: FamilyLink) -> None:
        check_text(link.id, "link.id")
        check_text(link.code_hash, "link.code_hash")
        check_utc_timestamp(link.created_at, "link.created_at")
        with self._db._write(f"add a family link for patient {link.patient_id!r}") as conn:
            conn.execute(
                f"INSERT INTO portal_family_links ({_LINK_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    link.id,
                    link.patient_id,
                    link.code_hash,
                    link.label,
                    link.created_by,
                    link.created_at,
                    link.revoked_at,
                    link.failures,
                    link.locked_until_s,
                ),
            )

    def get_family_link(self, link_id: str) -> FamilyLink | None:
        with self._db._read("read a family link") as conn:
            row = conn.execute(
                f"SELECT {_LINK_COLS} FROM portal_family_links WHERE id = ?", (link_id,)
            ).fetchone()
        return None if row is None else FamilyLink(*row)

    def family_links(self, patient_id: str) -> list[FamilyLink]:
        """The patient's links, newest first (revoked ones too)."""
        with self._db._read("list family links") as conn:
            rows = conn.execute(
                f"SELECT {_LINK_COLS} FROM portal_family_links WHERE patient_id = ? "
                "ORDER BY created_at DESC, id",
                (patient_id,),
            ).fetchall()
        return [FamilyLink(*r) for r in rows]

    def revoke_family_link(self, link_id: str, at: str) -> None:
        """Revoke a link and sign out every browser that opened it (one transaction)."""
        check_utc_timestamp(at, "at")
        with self._db._write("revoke a family link") as conn:
            cur = conn.execute(
                "UPDATE portal_family_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (at, link_id),
            )
            conn.execute("DELETE FROM portal_sessions WHERE kind = 'family' AND subject = ?", (link_id,))
            if (
                cur.rowcount == 0
                and conn.execute("SELECT 1 FROM portal_family_links WHERE id = ?", (link_id,)).fetchone()
                is None
            ):
                raise StorageError(f"cannot revoke family link {link_id!r}: no such link.")

    def set_link_failures(self, link_id: str, failures: int, locked_until_s: float) -> None:
        with self._db._write("record a family code attempt") as conn:
            conn.execute(
                "UPDATE portal_family_links SET failures = ?, locked_until_s = ? WHERE id = ?",
                (int(failures), float(locked_until_s), link_id),
            )

    # -- browser sessions ----------------------------------------------------------------

    def add_portal_session(self, session: PortalSession) -> None:
        if session.kind not in SESSION_KINDS:
            raise ValueError(f"session kind must be one of {SESSION_KINDS}, got {session.kind!r}")
        with self._db._write("sign in") as conn:
            conn.execute(
                "INSERT INTO portal_sessions (token_hash, kind, subject, csrf, expires_at_s) "
                "VALUES (?, ?, ?, ?, ?)",
                (session.token_hash, session.kind, session.subject, session.csrf, session.expires_at_s),
            )

    def get_portal_session(self, token_hash: str, now_s: float) -> PortalSession | None:
        """The session with `token_hash` unless it expired by `now_s`."""
        with self._db._read("read a sign-in") as conn:
            row = conn.execute(
                "SELECT token_hash, kind, subject, csrf, expires_at_s FROM portal_sessions "
                "WHERE token_hash = ? AND expires_at_s > ?",
                (token_hash, float(now_s)),
            ).fetchone()
        return None if row is None else PortalSession(*row)

    def delete_portal_session(self, token_hash: str) -> None:
        with self._db._write("sign out") as conn:
            conn.execute("DELETE FROM portal_sessions WHERE token_hash = ?", (token_hash,))

    def delete_family_sessions(self, link_id: str) -> None:
        with self._db._write("sign out a family link") as conn:
            conn.execute("DELETE FROM portal_sessions WHERE kind = 'family' AND subject = ?", (link_id,))


def _check_therapist(t: Therapist) -> None:
    check_text(t.username, "username")
    check_text(t.password_hash, "password_hash")
    check_utc_timestamp(t.created_at, "created_at")


def _schema_version(conn: Any) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SCHEMA_KEY,)).fetchone()
    return int(row[0]) if row else 0


def open_portal_store(db: Database) -> SqlitePortalStore:
    """The portal tables of `db`, created or upgraded first (all pending steps in one transaction).

    Raises StorageError when the database holds portal tables of a newer MirrorPlay.
    """
    with db._read("read the portal tables' version") as conn:
        version = _schema_version(conn)
    if version > len(PORTAL_MIGRATIONS):
        raise StorageError(
            f"{db.name} holds portal tables of a newer MirrorPlay (version {version}); update MirrorPlay."
        )
    if version < len(PORTAL_MIGRATIONS):
        with db._write("create the portal tables") as conn:
            version = _schema_version(conn)  # re-read under the write lock: one process migrates
            for step in PORTAL_MIGRATIONS[version:]:
                step(conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (SCHEMA_KEY, str(len(PORTAL_MIGRATIONS))),
            )
    return SqlitePortalStore(db)
