"""Timestamps of stored records: written with utc_now, read back to a calendar day with day_of."""

from __future__ import annotations

from datetime import UTC, datetime

from game.storage import day_of, utc_now
from game.storage.records import check_utc_timestamp


def test_utc_now_is_a_storable_stamp_and_day_of_reads_it_back() -> None:
    stamp = utc_now()
    assert check_utc_timestamp(stamp, "stamp") == stamp
    assert day_of(stamp) == datetime.now(UTC).date() or day_of(stamp) == datetime.fromisoformat(stamp).date()
    assert str(day_of("2026-03-01T23:30:00Z")) == "2026-03-01"
    assert day_of("not a time") is None and day_of(None) is None
