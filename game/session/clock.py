"""The session clock: seconds since the session started, for everything a session stores.

Pose sources stamp frames on their own clock (``PoseFrame.t_s``), and the play screen gives
levels the same clock (``Tracked.t_s``, from ``App.now_s``): game time for the simulated
patient and replays, ``time.perf_counter`` for live cameras, whose zero is arbitrary (often
boot). Stored rep times are documented as seconds since the session started (storage/records.py)
and exports add them to the session's ``started_at``, so every time a session stores goes
through one :class:`SessionClock`, started when the session starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def utc_now() -> str:
    """ISO-8601 UTC timestamp for storage rows."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SessionClock:
    """Turns pose-clock timestamps into seconds since the session started."""

    start_s: float
    """The pose clock's reading when the session started (``App.now_s()``)."""

    def since_start(self, t_s: float) -> float:
        """Seconds since the session started of a pose-clock time ``t_s``."""
        return float(t_s) - self.start_s
