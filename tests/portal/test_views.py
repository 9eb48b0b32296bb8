"""Portal page data: charts never zoom past the noise floor, finished sessions are summarised once."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.portal.views import PAD_B, H, StatsCache, chart
from game.storage import RepRow, open_database
from game.therapist.review import session_stats
from tests.history import make_history


def test_a_change_inside_the_floor_is_no_measurable_change() -> None:
    flat = chart("Reach", [0.9875, 0.9890, 0.9910], [True] * 3, 0.02)
    assert flat.no_change and flat.band is not None
    plot_h = H - PAD_B - 16
    ys = [y for _, y, _ in flat.points]
    assert max(ys) - min(ys) < plot_h / 2  # the 0.0035 wobble does not fill the panel
    rising = chart("Reach", [0.40, 0.45, 0.60], [True] * 3, 0.02)
    assert not rising.no_change
    assert chart("Reach", [float("nan")], [False], 0.02).empty


class CountingReader:
    """A HistoryReader that counts rep reads (to see what the cache saves)."""

    def __init__(self, db: object) -> None:
        self.db, self.rep_reads = db, 0

    def reps(self, session_id: int) -> list[RepRow]:
        self.rep_reads += 1
        return self.db.reps(session_id)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_finished_sessions_are_read_once(tmp_path: Path) -> None:
    with open_database(tmp_path / "c.db") as db:
        make_history(db, weeks=2)
        sid = db.start_session("p1", started_at="2026-03-19T18:00:00Z", source="camera", plan={})
        reader, cache = CountingReader(db), StatsCache()
        sessions = db.sessions("p1")
        first = cache.stats(reader, sessions)  # type: ignore[arg-type]
        assert reader.rep_reads == len(sessions)
        again = cache.stats(reader, sessions)  # type: ignore[arg-type]
        assert reader.rep_reads == len(sessions) + 1  # only the running session is read again
        assert [s.session_id for s in again] == [s.session_id for s in first]
        direct = session_stats(db, "p1")
        assert [s.reps for s in again] == [s.reps for s in direct]
        assert np.allclose([s.active_min for s in again], [s.active_min for s in direct])
        db.finish_session(sid, status="ended_pain", ended_at="2026-03-19T18:05:00Z", active_s=60.0)
        updated = cache.stats(reader, db.sessions("p1"))  # type: ignore[arg-type]
        assert updated[-1].status == "ended_pain"
