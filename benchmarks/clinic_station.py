"""One benchmark station: the real game (``main.py`` play, headless demo) with its rep writes timed.

    python benchmarks/clinic_station.py REPORT.json -- --headless --demo --seconds 300 --db URL

Runs the game exactly as ``main.py`` does, after wrapping two methods of the station's database
(game/storage/outbox.py) to take the measurements: ``add_rep`` is timed on the game thread and
given a known unique id, and ``close`` writes REPORT.json: every rep id the game saved, the
game-thread time of each save (ms), the time from the outbox to the server's commit of each
save (``[queued at (epoch s), ms]``) and the saves waiting when the game began to close.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import main as game_main  # noqa: E402
from game.storage.outbox import StationDatabase  # noqa: E402

_report: dict[str, Any] = {"uids": [], "add_rep_ms": [], "queued_at_s": []}


def _instrument(report_path: Path) -> None:
    add_rep, close = StationDatabase.add_rep, StationDatabase.close

    def timed_add_rep(self: StationDatabase, session_id: int, rep: Any, **kw: Any) -> int:
        kw["uid"] = uid = uuid.uuid4().hex
        t0 = time.perf_counter()
        out = add_rep(self, session_id, rep, **kw)
        _report["add_rep_ms"].append((time.perf_counter() - t0) * 1000.0)
        _report["uids"].append(uid)
        _report["queued_at_s"].append(time.time())
        return out

    def reporting_close(self: StationDatabase) -> None:
        _report["pending_before_close"] = self.pending()
        close(self)
        _report["uploads"] = self.upload_ms
        report_path.write_text(json.dumps(_report))

    StationDatabase.add_rep = timed_add_rep  # type: ignore[method-assign]
    StationDatabase.close = reporting_close  # type: ignore[method-assign]


if __name__ == "__main__":
    report, sep, *argv = sys.argv[1:]
    _instrument(Path(report))
    sys.exit(game_main.main(argv))
