"""SQL of a session's life beyond one save: owner stamps, heartbeats and start-up recovery.

Called by :class:`game.storage.db.Database` inside its transactions (each function takes the
open connection). The rules are in game/storage/owners.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.storage.owners import HEARTBEAT_TIMEOUT_S, Owner, owner_gone, pid_alive


def stamp_owner(conn: Any, session_id: int, owner: Owner, at: str) -> None:
    """Record `owner` as the running instance of `session_id`, alive at `at`."""
    conn.execute(
        "UPDATE sessions SET owner_id = ?, owner_host = ?, owner_pid = ?, heartbeat_at = ?, station_id = ? "
        "WHERE id = ?",
        (owner.id, owner.host, owner.pid, at, owner.station, session_id),
    )


def beat(conn: Any, owner: Owner, at: str) -> int:
    """Refresh the heartbeat of `owner`'s running sessions; return how many."""
    cur = conn.execute(
        "UPDATE sessions SET heartbeat_at = ? WHERE owner_id = ? AND status = 'running'", (at, owner.id)
    )
    return int(cur.rowcount)


def gone_sessions(
    conn: Any,
    now: str,
    owner: Owner,
    timeout_s: float = HEARTBEAT_TIMEOUT_S,
    alive: Callable[[int], bool] = pid_alive,
) -> list[int]:
    """Ids of running sessions whose owner is gone (never `owner`'s own)."""
    rows = conn.execute(
        "SELECT id, owner_id, owner_host, owner_pid, heartbeat_at FROM sessions "
        "WHERE status = 'running' ORDER BY id"
    ).fetchall()
    return [
        int(sid)
        for sid, owner_id, host, pid, heartbeat in rows
        if owner_id != owner.id
        and owner_gone(host, pid, heartbeat, now, this_host=owner.host, timeout_s=timeout_s, alive=alive)
    ]


def abort_recovered(conn: Any, session_id: int, now: str) -> None:
    """Mark a gone owner's session aborted: its end is its last rep (else last heartbeat, else
    its start) and its active time at least the time spent in its levels' reps."""
    last_rep, estimate_s = conn.execute(
        "SELECT max(created_at), coalesce(sum(span), 0) FROM ("
        "  SELECT max(created_at) AS created_at, max(t_end_s) - min(t_cue_s) AS span"
        "  FROM reps WHERE session_id = ? GROUP BY level_id, set_index) AS sets",
        (session_id,),
    ).fetchone()
    estimate = max(float(estimate_s or 0.0), 0.0)
    conn.execute(
        "UPDATE sessions SET status = 'aborted', recovered_at = ?, "
        "ended_at = coalesce(?, heartbeat_at, started_at), "
        "active_s = CASE WHEN active_s > ? THEN active_s ELSE ? END "
        "WHERE id = ? AND status = 'running'",
        (now, last_rep, estimate, estimate, session_id),
    )


def raise_active(conn: Any, session_id: int, active_s: float) -> None:
    """Keep the session's active time at least `active_s` while it runs (saved with each rep)."""
    conn.execute(
        "UPDATE sessions SET active_s = CASE WHEN active_s > ? THEN active_s ELSE ? END "
        "WHERE id = ? AND status = 'running'",
        (float(active_s), float(active_s), session_id),
    )
