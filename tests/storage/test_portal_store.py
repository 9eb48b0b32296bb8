"""The portal's tables: created by their own migration, one first admin, sessions expire,
revoking a link signs its browsers out, a newer version is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from game.storage import Database, StorageError
from game.storage.portal_store import (
    PORTAL_MIGRATIONS,
    SCHEMA_KEY,
    FamilyLink,
    PortalSession,
    Therapist,
    open_portal_store,
)
from tests.history import make_history

AT = "2026-03-01T09:00:00Z"


def test_tables_are_made_once_and_beside_the_games(opener: Callable[[], Database]) -> None:
    with opener() as db:
        make_history(db, weeks=1)
        store = open_portal_store(db)
        assert db.get_meta(SCHEMA_KEY) == str(len(PORTAL_MIGRATIONS))
        assert store.add_first_admin(Therapist("ann", "scrypt$x", True, AT))
        assert not store.add_first_admin(Therapist("eve", "scrypt$y", True, AT))  # one first admin only
    with opener() as db:  # reopened: nothing migrated twice, nothing lost
        store = open_portal_store(db)
        assert [t.username for t in store.list_therapists()] == ["ann"]
        assert db.sessions("p1")  # the game's data untouched
        with pytest.raises(StorageError, match="taken|UNIQUE|ann"):
            store.add_therapist(Therapist("ann", "scrypt$z", False, AT))


def test_a_newer_portal_schema_is_refused(opener: Callable[[], Database]) -> None:
    with opener() as db:
        db.set_meta(SCHEMA_KEY, str(len(PORTAL_MIGRATIONS) + 1))
        with pytest.raises(StorageError, match="newer MirrorPlay"):
            open_portal_store(db)


def test_sessions_expire_and_revoking_signs_the_family_out(opener: Callable[[], Database]) -> None:
    with opener() as db:
        make_history(db, weeks=1)
        store = open_portal_store(db)
        store.add_family_link(FamilyLink("L1", "p1", "scrypt$c", "Anna", "ann", AT))
        store.add_portal_session(PortalSession("h1", "family", "L1", "c1", 1000.0))
        store.add_portal_session(PortalSession("h2", "therapist", "ann", "c2", 1000.0))
        assert store.get_portal_session("h1", 999.0) is not None
        assert store.get_portal_session("h1", 1000.0) is None  # expired
        store.revoke_family_link("L1", AT)
        assert store.get_portal_session("h1", 0.0) is None and store.get_portal_session("h2", 0.0) is not None
        [link] = store.family_links("p1")
        assert link.revoked_at == AT
        with pytest.raises(StorageError, match="no such link"):
            store.revoke_family_link("nope", AT)
        with pytest.raises(StorageError):  # a link needs a real patient
            store.add_family_link(FamilyLink("L2", "ghost", "scrypt$c", "x", "ann", AT))
        with pytest.raises(ValueError, match="kind"):
            store.add_portal_session(PortalSession("h3", "admin", "ann", "c", 1.0))
