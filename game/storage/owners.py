"""Who owns a running session, and when its owner counts as gone.

Every session row records the running MirrorPlay instance that plays it: a random instance id,
the host name and the process id, and ``heartbeat_at``, refreshed every
:data:`HEARTBEAT_INTERVAL_S` while the instance runs (:class:`Heartbeat`). At start-up,
recovery marks "aborted" only the running sessions whose owner is gone:

- its heartbeat is older than :data:`HEARTBEAT_TIMEOUT_S` (any host), or
- it ran on this host and its process no longer exists (checked at once, POSIX only:
  on Windows ``os.kill(pid, 0)`` would end the process, so only the heartbeat counts), or
- it has no owner recorded (written by a MirrorPlay before owners existed).

So a second window, or a test run beside a game, never aborts the session being played. A
recovered session keeps its reps; its end is the time of its last rep (else its last
heartbeat, else its start), not the time of the next start.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

HEARTBEAT_INTERVAL_S = 5.0
"""How often a running instance stamps its sessions as alive."""
HEARTBEAT_TIMEOUT_S = 60.0
"""A heartbeat older than this means the owner is gone (12 missed beats: a busy disk or a
slow frame never gets that far behind; a laptop asleep this long may be recovered, and its
owner can still finish the session when it wakes: see ``Database.finish_session``)."""


@dataclass(frozen=True)
class Owner:
    """One running MirrorPlay instance: random id, host name, process id and, on a clinic's
    server, the station (install) it runs on (game/storage/station.py)."""

    id: str
    host: str
    pid: int
    station: str | None = None

    @classmethod
    def current(cls, station: str | None = None) -> Owner:
        """A new owner for this process (each opened database gets its own id)."""
        return cls(uuid.uuid4().hex[:16], socket.gethostname() or "unknown-host", os.getpid(), station)


def pid_alive(pid: int) -> bool:
    """True when a process `pid` exists on this host (POSIX; always True elsewhere)."""
    if sys.platform.startswith("win") or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return True
    return True


def _seconds_between(earlier: str, later: str) -> float | None:
    try:
        a = datetime.fromisoformat(earlier.replace("Z", "+00:00"))
        b = datetime.fromisoformat(later.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return (b - a).total_seconds()


def owner_gone(
    host: str | None,
    pid: int | None,
    heartbeat_at: str | None,
    now: str,
    *,
    this_host: str,
    timeout_s: float = HEARTBEAT_TIMEOUT_S,
    alive: Callable[[int], bool] = pid_alive,
) -> bool:
    """Whether the owner recorded on a running session is gone (see the module docstring)."""
    if host is None or pid is None or heartbeat_at is None:
        return True
    age_s = _seconds_between(heartbeat_at, now)
    if age_s is None or age_s > timeout_s:
        return True
    return host == this_host and not alive(int(pid))


class Heartbeat:
    """Calls ``beat()`` every `interval_s` seconds on a daemon thread until :meth:`stop`.

    ``beat`` is usually ``lambda: db.heartbeat(utc_now())``; its errors (a busy or full disk)
    are swallowed: a missed beat is retried at the next interval, and the timeout is many
    intervals long.
    """

    def __init__(self, beat: Callable[[], object], interval_s: float = HEARTBEAT_INTERVAL_S) -> None:
        if not interval_s > 0:
            raise ValueError(f"interval_s must be > 0, got {interval_s}")
        self._beat = beat
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self.missed = 0

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2.0)

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self._beat()
            except Exception:  # busy, full, closed: the next beat tries again
                self.missed += 1
